import { z } from 'zod';

export const searchContactsSchema = z
	.object({
		query: z
			.string({ required_error: 'is required', invalid_type_error: 'must be text' })
			.trim()
			.min(3, 'must have at least 3 characters (Libredesk matches part of the email)'),
		exact: z.boolean(),
	})
	.strict();

export const searchContactsLabels: Record<string, string> = { query: 'Email', exact: 'Exact Match' };
