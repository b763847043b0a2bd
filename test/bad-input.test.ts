import type { IDataObject } from 'n8n-workflow';

import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { createRequests, credentialsFor } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});

/** Every field comes from the item, so one record can break exactly one field. */
const parameters = {
	resource: 'conversation',
	operation: 'create',
	inboxId: { __rl: true, mode: 'id', value: '={{ $json.inbox }}' },
	contactEmail: '={{ $json.email }}',
	firstName: '={{ $json.firstName }}',
	initiator: '={{ $json.initiator }}',
	content: '={{ $json.content }}',
	additionalFields: {
		lastName: '={{ $json.lastName }}',
		teamId: { __rl: true, mode: 'id', value: '={{ $json.team }}' },
		agentId: { __rl: true, mode: 'id', value: '={{ $json.agent }}' },
		externalUserId: '={{ $json.ext }}',
		customAttributesJson: '={{ $json.attributes }}',
		attachmentIds: '={{ $json.attachments }}',
	},
};

let serial = 0;
function record(fields: IDataObject = {}): IDataObject {
	serial++;
	return {
		inbox: '1',
		email: `good${serial}@example.com`,
		firstName: 'Good',
		initiator: 'contact',
		content: 'Hello',
		lastName: '',
		team: '',
		agent: '',
		ext: '',
		attributes: '',
		attachments: '',
		...fields,
	};
}

const long = (length: number) => 'x'.repeat(length);

/** [what is wrong, the record, the start of the expected error after "Item N: "] */
const BAD: Array<[string, IDataObject, string]> = [
	['email missing', { email: undefined }, 'Contact Email is required'],
	['email empty', { email: '' }, 'Contact Email is required (got "")'],
	['email without @', { email: 'plainaddress' }, 'Contact Email is not a valid email address (expected one plain address such as jane@example.com) (got "plainaddress")'],
	['email with two @', { email: 'a@b@c.com' }, 'Contact Email is not a valid email address'],
	['email with a display name', { email: 'Jane Doe <jane@example.com>' }, 'Contact Email is not a valid email address'],
	['email with a space', { email: 'jane@exa mple.com' }, 'Contact Email is not a valid email address'],
	['email with two dots', { email: 'jane..doe@example.com' }, 'Contact Email is not a valid email address'],
	['email as a number', { email: 12345 }, 'Contact Email must be text (got 12345)'],
	['email without local part', { email: '@example.com' }, 'Contact Email is not a valid email address'],
	['email of 400 characters', { email: `${long(390)}@example.com` }, 'Contact Email is longer than 320 characters'],
	['first name missing', { firstName: undefined }, 'First Name is required'],
	['first name blank', { firstName: '   ' }, 'First Name is required (got "   ")'],
	['first name too long', { firstName: long(141) }, 'First Name is longer than 140 characters'],
	['first name as an object', { firstName: { given: 'Jane' } }, 'First Name must be text'],
	['last name too long', { lastName: long(200) }, 'Last Name is longer than 140 characters'],
	['content empty', { content: '' }, 'Content is required'],
	['content missing', { content: undefined }, 'Content is required'],
	['initiator unknown', { initiator: 'bot' }, 'Initiator must be "contact" or "agent" (got "bot")'],
	['inbox not a number', { inbox: 'abc' }, 'Inbox must be a positive whole number (got "abc")'],
	['inbox zero', { inbox: '0' }, 'Inbox must be a positive whole number (got "0")'],
	['inbox negative', { inbox: '-1' }, 'Inbox must be a positive whole number (got "-1")'],
	['inbox fractional', { inbox: '1.5' }, 'Inbox must be a positive whole number (got "1.5")'],
	['team not a number', { team: 'billing' }, 'Team must be a positive whole number (got "billing")'],
	['agent zero', { agent: '0' }, 'Agent must be a positive whole number (got "0")'],
	['custom attributes not JSON', { attributes: '{"plan": pro}' }, 'Custom Attributes must be a flat JSON object of key/value pairs (got "{\\"plan\\": pro}")'],
	['custom attributes a list', { attributes: '[1, 2]' }, 'Custom Attributes must be a flat JSON object of key/value pairs (got [1,2])'],
	['custom attributes null', { attributes: 'null' }, 'Custom Attributes must be a flat JSON object of key/value pairs (got null)'],
	['custom attribute nested', { attributes: { plan: { name: 'pro' } } }, 'Custom Attributes → plan must be text, a number, true/false or null'],
	['custom attribute a list', { attributes: { tags: ['a'] } }, 'Custom Attributes → tags must be text, a number, true/false or null'],
	['attachment id not a number', { attachments: 'x' }, 'Attachment IDs → 0 must be a positive whole number (got "x")'],
	['attachment id negative', { attachments: '1, -2' }, 'Attachment IDs → 1 must be a positive whole number (got "-2")'],
	['attachment id fractional', { attachments: [1.5] }, 'Attachment IDs → 0 must be a positive whole number (got 1.5)'],
	['external user id as an object', { ext: { id: 7 } }, 'External User ID must be text'],
];

/** Odd but valid: sent as given (email lower-cased like the server does). */
const GOOD: Array<[string, IDataObject, IDataObject]> = [
	['unicode names', { firstName: 'Zoë', lastName: 'Ångström-Ñúñez 山田' }, { first_name: 'Zoë', last_name: 'Ångström-Ñúñez 山田' }],
	['HTML content', { content: '<p>Hi <b>there</b></p><script>alert(1)</script>' }, { content: '<p>Hi <b>there</b></p><script>alert(1)</script>' }],
	['Libredesk template text', { content: 'Hello {{ .Contact.FirstName }}' }, { content: 'Hello {{ .Contact.FirstName }}' }],
	['mixed-case email with a plus', { email: 'Jane+CRM@Example.COM' }, { contact_email: 'jane+crm@example.com' }],
	['numeric-string IDs', { inbox: '4', team: '1', agent: '2', attachments: '' }, { inbox_id: 4, team_id: 1, agent_id: 2 }],
	['a huge message', { content: long(200_000) }, { content: long(200_000) }],
];

test(`${BAD.length} malformed items mixed with ${GOOD.length + 4} good ones: each bad one names field and value, sends nothing`, async () => {
	expect(BAD.length).toBeGreaterThanOrEqual(30);
	const items: IDataObject[] = [];
	const expected: Array<{ index: number; error?: string; sent?: IDataObject }> = [];
	const push = (item: IDataObject, expectation: { error?: string; sent?: IDataObject }) => {
		expected.push({ index: items.length, ...expectation });
		items.push(item);
	};
	push(record(), { sent: {} });
	for (const [, fields, error] of BAD) push(record(fields), { error });
	for (const [, fields, sent] of GOOD) push(record(fields), { sent });
	push(record(), { sent: {} });

	const result = await runNode({ credentials: credentialsFor(emulator), items, parameters, onError: 'continueRegularOutput' });
	expect(result.error).toBeUndefined();
	expect(result.output).toHaveLength(items.length);

	const requests = createRequests(emulator).map((request) => request.json as IDataObject);
	for (const { index, error, sent } of expected) {
		const output = result.output[index];
		expect(output.pairedItem).toEqual({ item: index });
		if (error) {
			expect(String(output.json.error)).toContain(`Item ${index}: ${error}`);
			expect(requests.some((body) => body.contact_email === String(items[index].email).toLowerCase())).toBe(false);
		} else {
			expect(output.json.error).toBeUndefined();
			const body = requests.find((candidate) => candidate.contact_email === String(items[index].email).trim().toLowerCase());
			expect(body).toMatchObject(sent!);
		}
	}
	expect(requests).toHaveLength(GOOD.length + 2);
});
