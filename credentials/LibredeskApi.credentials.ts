import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

export class LibredeskApi implements ICredentialType {
	name = 'libredeskApi';

	displayName = 'Libredesk API';

	icon: Icon = { light: 'file:../nodes/Libredesk/libredesk.svg', dark: 'file:../nodes/Libredesk/libredesk.dark.svg' };

	documentationUrl = 'https://docs.libredesk.io/api-reference/introduction';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://helpdesk.example.com',
			required: true,
			description: 'The address of your Libredesk installation, without /api/v1',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Generated in Libredesk under Admin → Agents → (the API user) → API key. The user needs a role with conversations:write (e.g. Admin).',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown by Libredesk only once, next to the API key',
		},
		{
			displayName: 'Auth Style',
			name: 'authStyle',
			type: 'options',
			options: [
				{ name: 'Token', value: 'token', description: 'Authorization: token KEY:SECRET' },
				{ name: 'Basic', value: 'basic', description: 'Authorization: Basic base64(KEY:SECRET)' },
			],
			default: 'token',
			description: 'How the key and secret are sent. Both work with Libredesk; keep Token unless a proxy requires Basic.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization:
					'={{ $credentials.authStyle === "basic" ? "Basic " + ($credentials.apiKey + ":" + $credentials.apiSecret).base64Encode() : "token " + $credentials.apiKey + ":" + $credentials.apiSecret }}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: '/api/v1/agents/me',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Libredesk rejected the API key or secret. Check both (the secret is shown only once when the key is generated) and that the API user is enabled.',
				},
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Libredesk API at this Base URL: enter the address of your Libredesk without /api/v1.' },
			},
		],
	};
}
