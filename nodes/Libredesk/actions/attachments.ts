import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { binaryAttachmentsLabels, binaryAttachmentsSchema } from '../request/attachments';
import { blankToUndefined } from '../request/readParameters';
import { parseItemRequest } from '../request/validate';
import { libredeskRequest, multipartBody } from '../transport';
import type { RunScope } from './types';

export const binaryPropertiesField: INodeProperties = {
	displayName: 'Binary Properties',
	name: 'binaryProperties',
	type: 'string',
	default: '',
	placeholder: 'e.g. data, invoice',
	description:
		'Names of binary properties of the input item to attach, comma-separated. Each file is uploaded to Libredesk first; if an upload fails, the item fails and nothing else is sent.',
};

/** The binary property names an item asks for, each checked to exist on the item. */
export function binaryAttachmentNames(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	const present = blankToUndefined(value);
	if (present === undefined) return [];
	const { binary_properties: names } = parseItemRequest(binaryAttachmentsSchema, { binary_properties: present }, binaryAttachmentsLabels, ctx.getNode(), itemIndex);
	for (const name of names) {
		try {
			ctx.helpers.assertBinaryData(itemIndex, name);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: Binary Properties names "${name}", but the item has no such binary data`, {
				itemIndex,
				description: `${(error as Error).message}. Use the name of a binary property of the input item (often "data"). Nothing was sent to Libredesk for this item.`,
			});
		}
	}
	return names;
}

interface LoadedFile {
	property: string;
	binary: IBinaryData;
	data: Buffer;
}

function fileNameOf(file: LoadedFile): string {
	return file.binary.fileName || file.property;
}

/**
 * Uploads the item's files (POST /api/v1/media) and returns their media IDs. Every file is read and checked
 * first, so an empty file fails the item before anything is uploaded. A repeated upload only leaves an unused
 * media record, so uploads are retried like reads.
 */
export async function uploadBinaryAttachments(this: IExecuteFunctions, scope: RunScope, itemIndex: number, names: string[]): Promise<number[]> {
	const files: LoadedFile[] = [];
	for (const property of names) {
		const binary = this.helpers.assertBinaryData(itemIndex, property);
		files.push({ property, binary, data: await this.helpers.getBinaryDataBuffer(itemIndex, property) });
	}
	const empty = files.find((file) => file.data.length === 0);
	if (empty) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: the file "${fileNameOf(empty)}" (binary property "${empty.property}") is empty`, {
			itemIndex,
			description: 'Libredesk refuses 0-byte attachments. Nothing was uploaded or created for this item.',
		});
	}
	const ids: number[] = [];
	for (const file of files) {
		try {
			const media = await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<{ id?: unknown }>>(this, scope.policy, {
				method: 'POST',
				path: '/api/v1/media',
				body: multipartBody({}, { files: { data: file.data, fileName: fileNameOf(file), mimeType: file.binary.mimeType } }),
				itemIndex,
			});
			ids.push(Number(media?.id));
		} catch (error) {
			const cause = error as NodeApiError;
			throw new NodeApiError(this.getNode(), { status: 'error', message: cause.message }, {
				itemIndex,
				httpCode: cause.httpCode ?? undefined,
				message: `Item ${itemIndex}: uploading "${fileNameOf(file)}" (binary property "${file.property}") failed: ${cause.message}`,
				description: `${cause.description ?? ''} Nothing else was sent for this item${ids.length > 0 ? ` (${ids.length} earlier file(s) were uploaded but are not attached to anything)` : ''}.`.trim(),
			});
		}
	}
	return ids;
}
