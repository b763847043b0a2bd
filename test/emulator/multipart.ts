/** A small multipart/form-data parser with the failure modes of Go's mime/multipart reader. */

export interface MultipartFile {
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartForm {
	values: Record<string, string[]>;
	files: Record<string, MultipartFile[]>;
}

export class MultipartError extends Error {}

function boundaryOf(contentType: string): string {
	const [type, ...params] = contentType.split(';');
	if (type.trim().toLowerCase() !== 'multipart/form-data') throw new MultipartError('request has no multipart/form-data Content-Type');
	for (const param of params) {
		const eq = param.indexOf('=');
		if (eq < 0) continue;
		if (param.slice(0, eq).trim().toLowerCase() === 'boundary') {
			const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
			if (value) return value;
		}
	}
	throw new MultipartError('no multipart boundary param in Content-Type');
}

function dispositionParam(disposition: string, name: string): string | undefined {
	const re = new RegExp(`;\\s*${name}\\*?=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
	const m = re.exec(disposition);
	if (!m) return undefined;
	return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2].trim();
}

export function parseMultipart(contentType: string, body: Buffer): MultipartForm {
	const boundary = boundaryOf(contentType);
	const delimiter = Buffer.from(`--${boundary}`);
	const form: MultipartForm = { values: {}, files: {} };
	let pos = body.indexOf(delimiter);
	if (pos < 0) throw new MultipartError('multipart: NextPart: EOF');
	for (;;) {
		pos += delimiter.length;
		if (body.subarray(pos, pos + 2).toString() === '--') return form;
		const lineEnd = body.indexOf('\r\n', pos);
		if (lineEnd < 0) throw new MultipartError('multipart: NextPart: EOF');
		const headerEnd = body.indexOf('\r\n\r\n', lineEnd);
		if (headerEnd < 0) throw new MultipartError('multipart: malformed MIME header');
		const headers: Record<string, string> = {};
		const headerText = body.subarray(lineEnd + 2, headerEnd).toString('utf8');
		for (const line of headerText.split('\r\n').filter(Boolean)) {
			const colon = line.indexOf(':');
			if (colon <= 0) throw new MultipartError(`multipart: malformed MIME header line: ${line}`);
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next < 0) throw new MultipartError('multipart: NextPart: unexpected EOF');
		const data = body.subarray(headerEnd + 4, next);
		const disposition = headers['content-disposition'] ?? '';
		const name = dispositionParam(disposition, 'name');
		const filename = dispositionParam(disposition, 'filename');
		if (name !== undefined) {
			if (filename) {
				(form.files[name] ??= []).push({ filename, contentType: headers['content-type'] ?? '', data: Buffer.from(data) });
			} else {
				(form.values[name] ??= []).push(data.toString('utf8'));
			}
		}
		pos = next + 2;
	}
}
