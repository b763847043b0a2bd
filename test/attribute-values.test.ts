/** The custom attribute check the create (and Create or Update) runs before sending: definitions + values → typed values or problems. */
import { checkAttributeValues, toAttributeDefinitions } from '../nodes/Libredesk/request/attributeValues';

const definitions = toAttributeDefinitions([
	{ key: 'order_total', data_type: 'number' },
	{ key: 'vip', data_type: 'checkbox' },
	{ key: 'plan', data_type: 'list', values: ['free', 'pro'] },
	{ key: 'code', data_type: 'text', regex: '(?i)^ab-[0-9]+$', regex_hint: 'AB-123' },
	{ key: 'due', data_type: 'date' },
	{ key: 'site', data_type: 'link' },
	{ key: 'note', data_type: 'text' },
	{ data_type: 'text' },
]);

test('values are normalised to the type Libredesk defines', () => {
	expect(checkAttributeValues(definitions, { order_total: ' 12.50 ', vip: 'Yes', plan: 'PRO', code: 'ab-7', due: '2026-08-01', site: 'https://x.example/a', note: 42 })).toEqual({
		values: { order_total: 12.5, vip: true, plan: 'pro', code: 'ab-7', due: '2026-08-01', site: 'https://x.example/a', note: '42' },
		problems: [],
	});
	expect(checkAttributeValues(definitions, { order_total: '', vip: null }).values).toEqual({ order_total: null, vip: null });
});

test('each bad value is named with its key and what is wrong', () => {
	const { values, problems } = checkAttributeValues(definitions, { order_total: '12,5', vip: 'maybe', plan: 'gold', code: 'x-1', due: '2026-13-01', site: 'ftp://x', loyalty: 'gold', note: true });
	expect(values).toEqual({});
	expect(problems.map(({ key, value, problem }) => `${key}=${JSON.stringify(value)}: ${problem}`)).toEqual([
		'order_total="12,5": must be a number',
		'vip="maybe": must be true or false',
		'plan="gold": is not one of its values in Libredesk: "free", "pro"',
		'code="x-1": does not match the pattern Libredesk defines for it, (?i)^ab-[0-9]+$ (AB-123)',
		'due="2026-13-01": must be a date such as 2026-08-01',
		'site="ftp://x": must be a link starting with http:// or https://',
		'loyalty="gold": is not defined in Libredesk, which would drop it silently',
		'note=true: must be text',
	]);
	expect(checkAttributeValues(definitions, { loyalty: 'gold' }, { allowUnknown: true })).toEqual({ values: { loyalty: 'gold' }, problems: [] });
});
