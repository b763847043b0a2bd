/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
/**
 * A pass-through HTTP proxy on 127.0.0.1 that records every request it forwards: how a test counts what the node
 * sent to a server that keeps no request log (the real Libredesk).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardedRequest {
	method: string;
	path: string;
	body: string;
}

export class CountingProxy {
	private constructor(
		private readonly server: http.Server,
		readonly url: string,
		readonly requests: ForwardedRequest[],
	) {}

	static async start(target: string): Promise<CountingProxy> {
		const upstream = new URL(target);
		const requests: ForwardedRequest[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const body = Buffer.concat(chunks);
				requests.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], body: body.toString('utf8') });
				const forward = http.request(
					{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
					(answer) => {
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						answer.pipe(res);
					},
				);
				forward.on('error', () => res.destroy());
				forward.end(body);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return new CountingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
	}

	clear(): void {
		this.requests.length = 0;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
