import { ADMIN, AGENT, LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { createParameters, createRequests, credentialsFor, crmRecord, crmRecords } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

describe('Conversation → Create through the n8n engine', () => {
	test('maps every field of the create call from the item and outputs the created conversation', async () => {
		const item = {
			...crmRecord(1),
			lastName: 'Doe',
			crmId: 'crm-9f3a21',
			order: { order_total: 129.5, plan: 'pro' },
		};
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [item],
			parameters: createParameters({
				initiator: 'agent',
				additionalFields: {
					subject: 'Order A-1024',
					lastName: '={{ $json.lastName }}',
					teamId: { __rl: true, mode: 'list', value: '2' },
					agentId: { __rl: true, mode: 'id', value: '1' },
					externalUserId: '={{ $json.crmId }}',
					customAttributesJson: '={{ $json.order }}',
					customAttributesUi: { attribute: [{ key: 'crm_record_id', value: '={{ $json.id }}' }] },
				},
			}),
		});

		expect(result.error).toBeUndefined();
		const [request] = createRequests(emulator);
		expect(request.json).toEqual({
			inbox_id: 1,
			contact_email: 'customer1@example.com',
			first_name: 'Customer1',
			last_name: 'Doe',
			initiator: 'agent',
			content: '<p>Order question 1</p>',
			subject: 'Order A-1024',
			team_id: 2,
			agent_id: 1,
			external_user_id: 'crm-9f3a21',
			custom_attributes: { order_total: 129.5, plan: 'pro', crm_record_id: 'crm-1' },
		});
		expect(result.output).toHaveLength(1);
		const conversation = result.output[0].json;
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(conversation.uuid).toEqual(expect.any(String));
		expect(conversation.subject).toBe(`Order A-1024 - #${String(conversation.reference_number)}`);
		expect(conversation.assigned_team_id).toBe(2);
		expect(conversation.custom_attributes).toEqual({ order_total: 129.5, plan: 'pro', crm_record_id: 'crm-1' });
		expect((conversation.contact as { external_user_id: string }).external_user_id).toBe('crm-9f3a21');
	});

	test('custom attributes as key/value pairs alone, and as a JSON string', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(1), crmRecord(2)],
			parameters: createParameters({
				additionalFields: {
					customAttributesUi: {
						attribute: [
							{ key: 'plan', value: 'enterprise' },
							{ key: 'crm_record_id', value: '={{ $json.id }}' },
						],
					},
					customAttributesJson: '{"order_total": 10}',
				},
			}),
		});
		expect(result.error).toBeUndefined();
		expect(createRequests(emulator).map((request) => (request.json as { custom_attributes: unknown }).custom_attributes)).toEqual([
			{ order_total: 10, plan: 'enterprise', crm_record_id: 'crm-1' },
			{ order_total: 10, plan: 'enterprise', crm_record_id: 'crm-2' },
		]);
	});

	test('one conversation per item, outputs in input order with pairedItem', async () => {
		const items = crmRecords(6);
		const result = await runNode({ credentials: credentialsFor(emulator), items, parameters: createParameters() });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(result.output.map((item) => (item.json.contact as { email: string }).email)).toEqual(items.map((item) => item.email));
		expect(emulator.store.conversations).toHaveLength(6);
	});

	test('with Continue On Fail, bad items get paired error items, send nothing, and the good ones are created', async () => {
		const items = [
			crmRecord(0),
			crmRecord(1, { email: 'not-an-email' }),
			crmRecord(2),
			crmRecord(3, { firstName: '' }),
			crmRecord(4, { attributes: '{"plan": ' }),
			crmRecord(5, { attributes: { nested: { deep: true } } }),
			crmRecord(6, { attachments: 'abc, 2' }),
			crmRecord(7),
		];
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items,
			onError: 'continueRegularOutput',
			parameters: createParameters({
				options: { allowUnknownAttributes: true },
				additionalFields: { customAttributesJson: '={{ $json.attributes ?? "{}" }}', attachmentIds: '={{ $json.attachments ?? "" }}' },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		const errors = result.output.map((item) => item.json.error as string | undefined);
		expect(errors[0]).toBeUndefined();
		expect(errors[1]).toBe('Item 1: Contact Email is not a valid email address (expected one plain address such as jane@example.com) (got "not-an-email")');
		expect(errors[3]).toMatch(/^Item 3: First Name is required \(got ""\)/);
		expect(errors[4]).toMatch(/^Item 4: Custom Attributes must be a flat JSON object of key\/value pairs \(got "\{\\"plan\\": "\)/);
		expect(errors[5]).toMatch(/^Item 5: Custom Attributes → nested must be text, a number/);
		expect(errors[6]).toMatch(/^Item 6: Attachment IDs → 0 must be a positive whole number \(got "abc"\)/);
		expect(errors[7]).toBeUndefined();
		const sentEmails = createRequests(emulator).map((request) => (request.json as { contact_email: string }).contact_email);
		expect(sentEmails.sort()).toEqual(['customer0@example.com', 'customer2@example.com', 'customer7@example.com']);
	});

	test('the error output receives the failed items, the main output the created ones', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(0), crmRecord(1, { email: '' }), crmRecord(2)],
			onError: 'continueErrorOutput',
			parameters: createParameters(),
		});
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(result.errorOutput).toHaveLength(1);
		expect(result.errorOutput[0].pairedItem).toEqual({ item: 1 });
		expect(result.errorOutput[0].json.error).toMatch(/^Item 1: Contact Email is required/);
	});

	test('without Continue On Fail one bad item stops the node before anything is sent', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(0), crmRecord(1, { email: 'bob@' }), crmRecord(2)],
			parameters: createParameters(),
		});
		expect(result.error?.message).toBe('Item 1: Contact Email is not a valid email address (expected one plain address such as jane@example.com) (got "bob@")');
		expect(result.error?.description).toMatch(/Nothing was sent to Libredesk for this item/);
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('an inbox ID that is not a positive integer is rejected before sending', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(0, { inbox: '-3' })],
			parameters: createParameters({ inboxId: { __rl: true, mode: 'id', value: '={{ $json.inbox }}' } }),
		});
		expect(result.error?.message).toBe('Item 0: Inbox must be a positive whole number (got "-3")');
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('custom attribute keys Libredesk does not define fail the item instead of being dropped silently', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(0)],
			parameters: createParameters({ additionalFields: { customAttributesJson: '{"loyalty_tier": "gold", "plan": "pro"}' } }),
		});
		expect(result.error?.message).toBe('Item 0: Custom Attributes → loyalty_tier is not defined in Libredesk, which would drop it silently (got "gold")');
		expect(result.error?.description).toMatch(/Defined keys: .*crm_record_id/);
		expect(createRequests(emulator)).toHaveLength(0);
	});
});

describe('validation as items are sent (Continue On Fail on)', () => {
	test('an unknown custom attribute fails only its item, and the definitions are read once', async () => {
		const items = [crmRecord(0, { extra: { plan: 'pro' } }), crmRecord(1, { extra: { loyalty_tier: 'gold' } }), crmRecord(2, { extra: { plan: 'Enterprise' } })];
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items,
			onError: 'continueRegularOutput',
			parameters: createParameters({ additionalFields: { customAttributesJson: '={{ $json.extra }}' } }),
		});
		expect(result.output.map((item) => item.json.error)).toEqual([
			undefined,
			'Item 1: Custom Attributes → loyalty_tier is not defined in Libredesk, which would drop it silently (got "gold")',
			undefined,
		]);
		// A list value is sent in Libredesk's own spelling.
		expect(createRequests(emulator).map((request) => (request.json as { custom_attributes: unknown }).custom_attributes)).toEqual([{ plan: 'pro' }, { plan: 'enterprise' }]);
		expect(emulator.requests.filter((request) => request.path === '/api/v1/custom-attributes')).toHaveLength(1);
	});
});

describe('server errors', () => {
	test('401 on a wrong secret carries the server message and what to check', async () => {
		const result = await runNode({
			credentials: { ...credentialsFor(emulator), apiSecret: 'wrong-secret-value' },
			items: [crmRecord(0)],
			parameters: createParameters(),
		});
		expect(result.error?.message).toBe('Libredesk: Invalid credential');
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.description).toMatch(/rejected the API key or secret/);
		expect(result.serialized).not.toContain('wrong-secret-value');
	});

	test('a credential Libredesk cannot use (empty secret): the run\'s first read gets 401 "Invalid or expired session", explained as a credential problem', async () => {
		const result = await runNode({ credentials: { ...credentialsFor(emulator), apiSecret: '' }, items: [crmRecord(0)], parameters: createParameters() });
		// Like the real server: without a usable Authorization header a read falls back to the cookie session (a write would fail its CSRF check).
		// The inbox is checked before the create, so the read is what fails, and nothing is created.
		expect(result.error?.message).toBe('Libredesk: Invalid or expired session');
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.description).toMatch(/No usable Authorization header reached Libredesk/);
		expect(result.error?.description).not.toMatch(/permission/);
		expect(createRequests(emulator)).toHaveLength(0);
		expect(emulator.store.conversations).toHaveLength(0);
	});

	test('a Libredesk 500 after the conversation was stored: the error says it may exist, explains the 500, and nothing is resent', async () => {
		emulator.faults.add(
			{ method: 'POST', path: '/api/v1/conversations' },
			{ type: 'respond', status: 500, body: '{"status":"error","message":"Something went wrong","data":null,"error_type":"GeneralException"}', runHandler: true },
		);
		const result = await runNode({ credentials: credentialsFor(emulator), items: [crmRecord(0)], onError: 'continueRegularOutput', parameters: createParameters() });
		expect(result.output[0].json).toMatchObject({
			error: 'The conversation may or may not have been created (HTTP 500 "Something went wrong"); it was not sent again',
			details: { httpCode: '500', description: expect.stringMatching(/its own HTTP 500 answer[\s\S]*may have created the conversation without its first message/) },
		});
		expect(createRequests(emulator)).toHaveLength(1);
		expect(emulator.store.conversations).toHaveLength(1);
	});

	test('429s (only ever from a proxy: Libredesk never rate-limits its API routes) end in an error that says so', async () => {
		emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'respond', status: 429, body: '<html>429 Too Many Requests</html>', headers: { 'Retry-After': '0' } }, { times: 100 });
		const result = await runNode({ credentials: credentialsFor(emulator), items: [crmRecord(0)], parameters: createParameters({ options: { maxAttempts: 1 } }) });
		expect(result.error?.httpCode).toBe('429');
		expect(result.error?.description).toMatch(/A proxy or gateway in front of Libredesk kept rate-limiting/);
		expect(emulator.store.conversations).toHaveLength(0);
	});

	test('403 when the API user lacks conversations:write names the permission', async () => {
		const result = await runNode({ credentials: credentialsFor(emulator, AGENT), items: [crmRecord(0)], parameters: createParameters() });
		expect(result.error?.message).toBe('Libredesk: Permission denied');
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.description).toMatch(/conversations:write/);
		expect(emulator.store.conversations).toHaveLength(0);
	});

	test.each([
		['2', 'Item 0: Inbox is disabled in Libredesk ("Old Support") (got 2)'],
		['3', 'Item 0: Inbox is a livechat inbox ("Website Chat"); conversations can only be created in email inboxes (got 3)'],
		['99', 'Item 0: Inbox does not exist in Libredesk (got 99)'],
	])('inbox %s, which Libredesk would refuse, fails the item before anything is sent', async (inbox, message) => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(0), crmRecord(1)],
			onError: 'continueRegularOutput',
			parameters: createParameters({ inboxId: { __rl: true, mode: 'id', value: '={{ $json.id === "crm-0" ? ' + inbox + ' : 1 }}' } }),
		});
		expect(result.output[0].json).toMatchObject({ error: message, details: { description: expect.stringMatching(/Enabled email inboxes: Support \(1\), Billing \(4\)/) } });
		expect(result.output[1].json.uuid).toEqual(expect.any(String));
		expect(createRequests(emulator)).toHaveLength(1);
		expect(emulator.requests.filter((request) => request.path === '/api/v1/inboxes')).toHaveLength(1);
	});
});

describe('credential', () => {
	test.each([
		['token' as const, `token ${ADMIN.apiKey}:${ADMIN.apiSecret}`],
		['basic' as const, `Basic ${Buffer.from(`${ADMIN.apiKey}:${ADMIN.apiSecret}`).toString('base64')}`],
	])('auth style %s sends the header Libredesk accepts', async (style, header) => {
		const result = await runNode({ credentials: credentialsFor(emulator, ADMIN, style), items: [crmRecord(0)], parameters: createParameters() });
		expect(result.error).toBeUndefined();
		expect(createRequests(emulator)[0].headers.authorization).toBe(header);
	});

	test('secrets appear nowhere in successful or failed executions', async () => {
		const secretForms = [ADMIN.apiSecret, `${ADMIN.apiKey}:${ADMIN.apiSecret}`, Buffer.from(`${ADMIN.apiKey}:${ADMIN.apiSecret}`).toString('base64')];
		const good = await runNode({ credentials: credentialsFor(emulator, ADMIN, 'basic'), items: [crmRecord(0)], parameters: createParameters() });
		const denied = await runNode({ credentials: credentialsFor(emulator, ADMIN), items: [crmRecord(0)], parameters: createParameters({ inboxId: { __rl: true, mode: 'id', value: '2' } }) });
		emulator.setLatency(0);
		const unreachable = await runNode({
			credentials: { ...credentialsFor(emulator), baseUrl: 'http://127.0.0.1:9' },
			items: [crmRecord(0)],
			parameters: createParameters({ options: { maxAttempts: 1 } }),
		});
		expect(good.error).toBeUndefined();
		expect(denied.error).toBeDefined();
		expect(unreachable.error?.message).toBe('Could not complete the request to Libredesk: connection refused');
		expect(unreachable.error?.description).toMatch(/ECONNREFUSED/);
		for (const run of [good, denied, unreachable]) {
			for (const secret of secretForms) expect(run.serialized).not.toContain(secret);
			expect(run.serialized).not.toMatch(/authorization/i);
		}
	});
});
