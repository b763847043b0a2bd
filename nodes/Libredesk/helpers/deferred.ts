/** A promise settled from outside, e.g. an item's request that a later step produces. */
export interface Deferred<T> {
	promise: Promise<T>;
	resolve: (value: T | PromiseLike<T>) => void;
	reject: (reason: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
	let resolve!: Deferred<T>['resolve'];
	let reject!: Deferred<T>['reject'];
	const promise = new Promise<T>((onResolve, onReject) => {
		resolve = onResolve;
		reject = onReject;
	});
	// Marked handled: a promise nobody awaits (its item was never reached) must not become an unhandled
	// rejection; whoever awaits it still gets the rejection.
	promise.catch(() => undefined);
	return { promise, resolve, reject };
}
