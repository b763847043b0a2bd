/**
 * Runs work(0…count-1) with at most `limit` in flight and returns the results in index order.
 * Once `shouldStop` says so, no new index is started; indexes never started stay undefined.
 */
export async function mapConcurrently<T>(
	count: number,
	limit: number,
	work: (index: number) => Promise<T>,
	shouldStop: () => boolean = () => false,
): Promise<Array<T | undefined>> {
	const results = new Array<T | undefined>(count);
	let next = 0;
	const lane = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			results[index] = await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
	return results;
}
