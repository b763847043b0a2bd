import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { itemWithFiles, pdf } from './helpers/binary';
import { createParameters, createRequests, credentialsFor, crmRecord } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const uploads = () => emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/media');

const withFiles = (binaryProperties: string, extra = {}) => createParameters({ additionalFields: { binaryProperties, ...extra } });

describe('Conversation → Create with attachments from binary data', () => {
	test('uploads each named binary property as multipart "files" and attaches the media to the first message', async () => {
		const item = itemWithFiles(crmRecord(1), {
			data: pdf('invoice.pdf', 'invoice body'),
			photo: { content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]), fileName: 'damage.png', mimeType: 'image/png' },
		});
		const result = await runNode({ credentials: credentialsFor(emulator), inputItems: [item], parameters: withFiles('data, photo') });

		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		for (const upload of uploads()) expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		expect(uploads()[0].rawBody).toContain('name="files"; filename="invoice.pdf"');
		const media = emulator.store.media;
		expect(media.map((m) => [m.filename, m.content_type, m.size])).toEqual([
			['invoice.pdf', 'application/pdf', 12],
			['damage.png', 'image/png', 8],
		]);
		expect(media[1].content).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
		expect((createRequests(emulator)[0].json as { attachments: number[] }).attachments).toEqual(media.map((m) => m.id));
		const firstMessage = emulator.store.messages.find((m) => m.type === 'incoming');
		expect(media.every((m) => m.model_type === 'messages' && m.model_id === firstMessage?.id)).toBe(true);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	});

	test('Attachment IDs (which Libredesk cannot check) fail the item before anything is uploaded or created; files go as binary data', async () => {
		const earlier = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles(crmRecord(0), { data: pdf('terms.pdf') })],
			parameters: withFiles('data'),
		});
		expect(earlier.error).toBeUndefined();
		emulator.clearRequests();
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles(crmRecord(1), { data: pdf('invoice.pdf') })],
			parameters: withFiles('={{ ["data"] }}', { attachmentIds: '1' }),
		});
		expect(result.error?.message).toBe('Item 0: Attachment IDs cannot be checked, so they are not sent (got [1])');
		expect(result.error?.description).toMatch(/Attach the files with Binary Properties instead/);
		expect(uploads()).toHaveLength(0);
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('an empty file fails the item before anything is uploaded or created', async () => {
		const item = itemWithFiles(crmRecord(1, { files: 'data, empty' }), { data: pdf('invoice.pdf'), empty: pdf('empty.pdf', '') });
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [item, itemWithFiles(crmRecord(2, { files: 'data' }), { data: pdf() })],
			onError: 'continueRegularOutput',
			parameters: withFiles('={{ $json.files }}'),
		});
		expect(result.output[0].json.error).toBe('Item 0: the file "empty.pdf" (binary property "empty") is empty');
		expect(result.output[1].json.uuid).toEqual(expect.any(String));
		expect(uploads()).toHaveLength(1);
		expect(createRequests(emulator).map((request) => (request.json as { contact_email: string }).contact_email)).toEqual(['customer2@example.com']);
	});

	test('a file over the server limit (413) fails only its item, and no empty conversation is left behind', async () => {
		emulator.config.maxUploadBytes = 1024 * 1024;
		const big = { content: Buffer.alloc(1024 * 1024 + 1, 1), fileName: 'scan.pdf', mimeType: 'application/pdf' };
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles(crmRecord(1), { data: big }), itemWithFiles(crmRecord(2), { data: pdf() })],
			onError: 'continueRegularOutput',
			parameters: withFiles('data'),
		});
		expect(result.output[0].json).toMatchObject({
			error: 'Item 0: uploading "scan.pdf" (binary property "data") failed: Libredesk: File size too large, please upload a file less than 1MB',
			details: { httpCode: '413', description: expect.stringMatching(/larger than Libredesk allows.*Nothing else was sent/) },
		});
		expect(emulator.store.conversations.map((c) => emulator.store.user(c.contact_id)?.email)).toEqual(['customer2@example.com']);
		expect(createRequests(emulator)).toHaveLength(1);
	});

	test('a file type the server does not allow fails the item before the conversation is created', async () => {
		emulator.config.allowedUploadExtensions = ['pdf'];
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles(crmRecord(1), { data: pdf('ok.pdf'), tool: { content: 'MZ', fileName: 'setup.exe', mimeType: 'application/octet-stream' } })],
			parameters: withFiles('data, tool'),
		});
		expect(result.error?.message).toBe('Item 0: uploading "setup.exe" (binary property "tool") failed: Libredesk: File type not allowed');
		expect(result.error?.description).toMatch(/1 earlier file\(s\) were uploaded but are not attached to anything/);
		expect(createRequests(emulator)).toHaveLength(0);
		expect(emulator.store.conversations).toHaveLength(0);
	});

	test('a binary property the item does not have stops the node before anything is sent', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles(crmRecord(0), { data: pdf() }), itemWithFiles(crmRecord(1), { attachment: pdf() })],
			parameters: withFiles('data'),
		});
		expect(result.error?.message).toBe('Item 1: Binary Properties names "data", but the item has no such binary data');
		// Only the run's reference read (the inboxes, once): no upload, no create.
		expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/inboxes']);
	});

	test('with Skip If Already Synced, a record that already has its conversation uploads nothing', async () => {
		const parameters = createParameters({
			skipIfSynced: true,
			syncKey: '={{ $json.id }}',
			syncAttribute: { __rl: true, mode: 'list', value: 'crm_sync_key' },
			additionalFields: { binaryProperties: 'data' },
		});
		const item = itemWithFiles(crmRecord(1), { data: pdf() });
		const first = await runNode({ credentials: credentialsFor(emulator), inputItems: [item], parameters });
		expect(first.output[0].json.syncStatus).toBe('created');
		emulator.clearRequests();
		const second = await runNode({ credentials: credentialsFor(emulator), inputItems: [item], parameters });
		expect(second.output[0].json.syncStatus).toBe('skipped');
		expect(uploads()).toHaveLength(0);
		expect(emulator.store.media).toHaveLength(1);
	});
});
