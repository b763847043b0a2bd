/** Errors of items that were never sent because the run stopped first: the run's story counts them as not sent. */
const notSent = new WeakSet<object>();

export function markNotSent<E extends Error>(error: E): E {
	notSent.add(error);
	return error;
}

export function wasNotSent(error: unknown): boolean {
	return typeof error === 'object' && error !== null && notSent.has(error);
}
