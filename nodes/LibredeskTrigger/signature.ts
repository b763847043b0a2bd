import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

/** Header names as Node.js hands them over: lower-case. */
export const SIGNATURE_HEADER = 'x-libredesk-signature';

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/** 32 random bytes as hex: 64 characters, well inside Libredesk's 255-character secret column. */
export function newWebhookSecret(): string {
	return randomBytes(32).toString('hex');
}

/**
 * Libredesk signs the exact body bytes it sends: `X-Libredesk-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
 * The digests are compared as bytes in constant time, so a forger learns nothing from how long the check takes.
 */
export function isSignedBy(secret: string, rawBody: Buffer, header: unknown): boolean {
	if (typeof header !== 'string') return false;
	const match = SIGNATURE_FORMAT.exec(header);
	if (!match) return false;
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	const received = Buffer.from(match[1], 'hex');
	return received.length === expected.length && timingSafeEqual(received, expected);
}

/** The same bytes always give the same ID, so a replayed or doubled delivery can be recognised downstream. */
export function deliveryIdOf(rawBody: Buffer): string {
	return createHash('sha256').update(rawBody).digest('hex');
}
