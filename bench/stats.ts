export interface Figure {
	median: number;
	min: number;
	max: number;
	runs: number[];
}

export function figure(runs: number[]): Figure {
	const sorted = [...runs].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

export async function repeat(times: number, once: () => Promise<number>): Promise<Figure> {
	const runs: number[] = [];
	for (let run = 0; run < times; run++) runs.push(await once());
	return figure(runs);
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function show(value: Figure, unit = '', digits = 2): string {
	return `${round(value.median, digits)}${unit} (min ${round(value.min, digits)}, max ${round(value.max, digits)})`;
}
