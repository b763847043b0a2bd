/* eslint-disable @n8n/community-nodes/require-node-api-error -- test infrastructure (a stand-in Libredesk server), not node code */
/** POST /api/v1/media (cmd/media.go handleMediaUpload). */
import { ApiError, MSG, success } from '../envelope';
import { newUuid, now } from '../clock';
import { MultipartError, parseMultipart, type MultipartForm } from '../multipart';
import { sanitizeFilename } from '../text';
import { mediaView } from '../views';
import type { HandlerContext } from '../context';
import type { MediaRecord } from '../store';
import type { Route } from '../router';

const MB = 1024 * 1024;

function upload(ctx: HandlerContext) {
	const { env } = ctx;
	let form: MultipartForm;
	try {
		form = parseMultipart(ctx.contentType, ctx.rawBody);
	} catch (e) {
		if (e instanceof MultipartError) throw new ApiError(500, MSG.parsingRequest, 'GeneralException');
		throw e;
	}
	const file = form.files.files?.[0];
	if (!file) throw new ApiError(400, 'File not found', 'InputException');
	const disposition = form.values.inline?.[0] === 'true' ? 'inline' : 'attachment';
	const linkedModel = form.values.linked_model?.[0] ?? '';
	const filename = sanitizeFilename(file.filename);
	const extension = /\.([^./]*)$/.exec(filename)?.[1].toLowerCase() ?? '';
	if (file.data.length === 0) throw new ApiError(400, 'This file is 0 bytes, so it will not be attached.', 'InputException');
	if (file.data.length > env.config.maxUploadBytes) {
		throw new ApiError(413, `File size too large, please upload a file less than ${Math.floor(env.config.maxUploadBytes / MB)}MB`, 'GeneralException');
	}
	const allowed = env.config.allowedUploadExtensions;
	if (!allowed.includes('*') && !allowed.includes(extension)) throw new ApiError(400, 'File type not allowed', 'InputException');
	const at = now();
	const media: MediaRecord = {
		id: env.store.nextId('media'),
		created_at: at,
		updated_at: at,
		uuid: newUuid(),
		store: 'fs',
		filename,
		content_type: file.contentType || 'application/octet-stream',
		content_id: '',
		model_id: null,
		model_type: linkedModel === '' ? null : linkedModel,
		disposition,
		size: file.data.length,
		meta: {},
		content: file.data,
	};
	env.store.media.push(media);
	return success(mediaView(media, env.baseUrl));
}

export const mediaRoutes: Route[] = [{ method: 'POST', pattern: '/api/v1/media', auth: 'auth', handler: upload }];
