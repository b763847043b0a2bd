import { z } from 'zod';

import { instant, optionalText } from './fields';

export const listContactsSchema = z
	.object({
		email: optionalText(),
		created_after: instant.optional(),
		created_before: instant.optional(),
		order_by: z.enum(['created_at', 'updated_at', 'email']),
		order: z.enum(['ASC', 'DESC']),
	})
	.strict()
	.refine((request) => !request.created_after || !request.created_before || request.created_after < request.created_before, {
		message: 'must be later than Created After',
		path: ['created_before'],
	});

export type ListContactsRequest = z.output<typeof listContactsSchema>;

export const listContactsLabels: Record<string, string> = {
	email: 'Email Contains',
	created_after: 'Created After',
	created_before: 'Created Before',
	order_by: 'Sort By',
	order: 'Sort Order',
};

/** Only users.email, created_at and updated_at can be filtered (API.md §4). */
export function contactFilters(request: ListContactsRequest): string | undefined {
	const leaves: Array<{ model: string; field: string; operator: string; value: string }> = [];
	if (request.email) leaves.push({ model: 'users', field: 'email', operator: 'contains', value: request.email });
	if (request.created_after) leaves.push({ model: 'users', field: 'created_at', operator: 'greater than', value: request.created_after });
	if (request.created_before) leaves.push({ model: 'users', field: 'created_at', operator: 'less than', value: request.created_before });
	return leaves.length > 0 ? JSON.stringify(leaves) : undefined;
}
