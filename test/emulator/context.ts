import type { Store, UserRecord } from './store';
import type { WebhookDispatcher } from './webhook-dispatcher';

export interface EmulatorConfig {
	/** app.max_file_upload_size in bytes (default 20 MB). */
	maxUploadBytes: number;
	/** app.allowed_file_upload_extensions (default ["*"]). */
	allowedUploadExtensions: string[];
	/** Treat a second webhook with the same name as a unique violation (409). The v2.7.0 schema has no such constraint. */
	uniqueWebhookNames: boolean;
}

/** What every handler can reach: the data, outgoing webhooks, settings and the emulator's own URL. */
export interface Env {
	store: Store;
	webhooks: WebhookDispatcher;
	config: EmulatorConfig;
	baseUrl: string;
}

export interface HandlerContext {
	env: Env;
	method: string;
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	headers: Record<string, string | string[] | undefined>;
	contentType: string;
	rawBody: Buffer;
	/** The authenticated caller (null only on routes without auth). */
	user: UserRecord;
}
