/** A load done at most once, on first use; every caller gets the same outcome. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
	let loaded: Promise<T> | undefined;
	return async () => await (loaded ??= load());
}
