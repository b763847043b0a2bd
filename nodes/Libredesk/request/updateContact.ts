import { z } from 'zod';

import { email, positiveId, requiredText } from './fields';

const clearableText = (max: number) => z.string({ invalid_type_error: 'must be text' }).trim().max(max, `is longer than ${max} characters`);

/** The fields PUT /api/v1/contacts/{id} takes (multipart), as the user changes them; '' clears an optional one. */
export const updateContactSchema = z
	.object({
		contact_id: positiveId,
		first_name: requiredText(140).optional(),
		last_name: clearableText(140).optional(),
		email: email.optional(),
		phone_number: clearableText(20).optional(),
		phone_number_country_code: clearableText(10).optional(),
		// users.country CHECK (LENGTH(country) <= 140) in Libredesk's schema.
		country: clearableText(140).optional(),
		avatar_url: clearableText(2048).optional(),
	})
	.strict()
	.refine((request) => Object.keys(request).length > 1, { message: 'is empty: add at least one field to change', path: ['fields'] });

export type UpdateContactRequest = z.output<typeof updateContactSchema>;

/** Every field the PUT sets: an omitted one would be cleared. */
export const CONTACT_FORM_FIELDS = ['first_name', 'last_name', 'email', 'phone_number', 'phone_number_country_code', 'country', 'avatar_url'] as const;

export const updateContactLabels: Record<string, string> = {
	contact_id: 'Contact',
	first_name: 'First Name',
	last_name: 'Last Name',
	email: 'Email',
	phone_number: 'Phone Number',
	phone_number_country_code: 'Phone Country Code',
	country: 'Country',
	avatar_url: 'Avatar URL',
	fields: 'Update Fields',
};
