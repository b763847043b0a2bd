import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { locatorValue, readCollection } from '../../request/readParameters';
import { CONTACT_FORM_FIELDS, updateContactLabels, updateContactSchema } from '../../request/updateContact';
import type { UpdateContactRequest } from '../../request/updateContact';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest, multipartBody } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation } from '../types';
import { contactLocator, readContact } from './get.operation';

/** Update Fields entry → the multipart field it sets. */
const FIELD_NAMES: Record<string, (typeof CONTACT_FORM_FIELDS)[number]> = {
	avatarUrl: 'avatar_url',
	country: 'country',
	email: 'email',
	firstName: 'first_name',
	lastName: 'last_name',
	phoneNumber: 'phone_number',
	phoneNumberCountryCode: 'phone_number_country_code',
};

const properties: INodeProperties[] = [
	contactLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Fields to change; the others keep their values. An empty value clears an optional field. External user ID and custom attributes cannot be changed here.',
		options: [
			{ displayName: 'Avatar URL', name: 'avatarUrl', type: 'string', default: '' },
			{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'e.g. DE' },
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'e.g. jane@example.com' },
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{ displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '', placeholder: 'e.g. 5550100' },
			{ displayName: 'Phone Number Country Code', name: 'phoneNumberCountryCode', type: 'string', default: '', placeholder: 'e.g. +1' },
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['update'] } }, properties);

function readContactChange(ctx: IExecuteFunctions, itemIndex: number): UpdateContactRequest {
	const fields = readCollection(ctx, 'updateFields', itemIndex);
	const raw: Record<string, unknown> = { contact_id: locatorValue(ctx.getNodeParameter('contact', itemIndex)) };
	for (const [field, name] of Object.entries(FIELD_NAMES)) {
		if (fields[field] !== undefined) raw[name] = fields[field] === null ? '' : fields[field];
	}
	return parseItemRequest(updateContactSchema, raw, updateContactLabels, ctx.getNode(), itemIndex);
}

/** The multipart form: every field, the changed ones from the request, the others as Libredesk has them. */
function fullForm(current: IDataObject, change: UpdateContactRequest): Record<string, string> {
	const form: Record<string, string> = {};
	for (const name of CONTACT_FORM_FIELDS) {
		const value = change[name] ?? current[name];
		form[name] = value === null || value === undefined ? '' : String(value);
	}
	return form;
}

/** PUT the whole contact (multipart; an omitted field is cleared): the change laid over the contact as it is. */
export async function putContact(ctx: IExecuteFunctions, policy: RequestPolicy, current: IDataObject, change: UpdateContactRequest, itemIndex: number): Promise<IDataObject> {
	return await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject>>(ctx, policy, {
		method: 'PUT',
		path: `/api/v1/contacts/${change.contact_id}`,
		body: multipartBody(fullForm(current, change)),
		itemIndex,
		permission: 'contacts:write',
	});
}

export const update: Operation<ItemRequests<UpdateContactRequest>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => readContactChange(this, itemIndex));
	},

	async execute(itemIndex, scope, changes): Promise<IDataObject> {
		const change = requestOf(changes, itemIndex);
		// Read, then send every field back (readMergeWrite's caveat applies: not atomic).
		const current = await readContact(this, scope.policy, change.contact_id, itemIndex);
		return await putContact(this, scope.policy, current, change, itemIndex);
	},
};
