/** A file for a multipart body, as read from an item's binary data. */
export interface MultipartFile {
	data: Uint8Array;
	fileName: string;
	mimeType?: string;
}

/**
 * A multipart/form-data body for Libredesk's upload and contact routes. It is the runtime's own FormData:
 * n8n's HTTP layer hands it to axios, which streams it with its boundary header, and can send it again on a retry.
 */
export function multipartBody(fields: Record<string, string>, files: Record<string, MultipartFile> = {}): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	for (const [name, file] of Object.entries(files)) {
		form.append(name, new Blob([new Uint8Array(file.data)], { type: file.mimeType || 'application/octet-stream' }), file.fileName);
	}
	return form;
}
