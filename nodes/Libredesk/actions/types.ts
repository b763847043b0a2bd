import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RequestPolicy } from '../transport';
import type { RunStory } from './runStory';

/** What the router hands every operation: one request policy for the whole run. */
export interface RunScope {
	policy: RequestPolicy;
	options: IDataObject;
	/** How many requests the run keeps in flight (the Concurrency option). */
	concurrency: number;
}

// Method syntax on purpose: an Operation<SomeBatch> must fit the router's Operation<unknown> table.
export interface Operation<Batch = unknown> {
	description: INodeProperties[];
	/** Work done once for all items before any item runs (validation, batched look-ups). */
	prepare?(this: IExecuteFunctions, itemCount: number, scope: RunScope): Promise<Batch>;
	/** One item: its output record(s). Throwing fails only this item. */
	execute(this: IExecuteFunctions, itemIndex: number, scope: RunScope, batch: Batch): Promise<IDataObject | IDataObject[]>;
	/** The run stopped at an error (Continue On Fail off): what the error should tell about every item. */
	tellStop?(this: IExecuteFunctions, story: RunStory, batch: Batch | undefined): string;
	/** After the run, whatever happened, once none of its requests is in flight (e.g. a lock is released). */
	finish?(this: IExecuteFunctions, batch: Batch | undefined): Promise<void>;
}

