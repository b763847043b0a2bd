import type { IDataObject } from 'n8n-workflow';

/** What a run that stopped at an error did with each item, for the error that ends it. */
export interface RunStory {
	itemCount: number;
	/** Items that finished, with their output records. */
	done: Map<number, IDataObject[]>;
	/** Items that failed, in index order, with their error message. */
	failed: Array<{ itemIndex: number; message: string }>;
	/** Items nothing was sent for because the run stopped first. */
	notSent: number[];
}

/** "0–54, 56, 60–61" */
export function itemRanges(indexes: number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		parts.push(start === end ? String(sorted[start]) : `${sorted[start]}–${sorted[end]}`);
		start = end + 1;
	}
	return parts.join(', ');
}

export function items(indexes: number[]): string {
	return `${indexes.length} item${indexes.length === 1 ? '' : 's'}${indexes.length > 0 ? ` (${itemRanges(indexes)})` : ''}`;
}

const MAX_FAILURES_SHOWN = 5;

/** The generic story: what was done, what failed and why, what was never sent; `doneLine` words the first part. */
export function tellStory(story: RunStory, doneLine = `Done: ${items([...story.done.keys()])}.`): string {
	const lines = [`The run stopped at an error after ${story.done.size + story.failed.length} of ${story.itemCount} items.`];
	lines.push(doneLine);
	const shown = story.failed.slice(0, MAX_FAILURES_SHOWN).map(({ itemIndex, message }) => `item ${itemIndex}: ${message}`);
	const more = story.failed.length > MAX_FAILURES_SHOWN ? `; and ${story.failed.length - MAX_FAILURES_SHOWN} more` : '';
	lines.push(`Failed: ${items(story.failed.map((failure) => failure.itemIndex))}${shown.length > 0 ? ` — ${shown.join('; ')}${more}` : ''}.`);
	lines.push(`Not sent: ${items(story.notSent)}.`);
	return lines.join(' ');
}
