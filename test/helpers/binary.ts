import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

export interface TestFile {
	content: string | Buffer;
	fileName: string;
	mimeType: string;
}

/** An input item carrying binary data the way n8n keeps it in memory (base64). */
export function itemWithFiles(json: IDataObject, files: Record<string, TestFile>): INodeExecutionData {
	const binary: INodeExecutionData['binary'] = {};
	for (const [property, file] of Object.entries(files)) {
		const data = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
		binary[property] = { data: data.toString('base64'), mimeType: file.mimeType, fileName: file.fileName, fileSize: String(data.length) };
	}
	return { json, binary };
}

export const pdf = (fileName = 'invoice.pdf', content = `%PDF-1.4 ${fileName}`): TestFile => ({ content, fileName, mimeType: 'application/pdf' });
