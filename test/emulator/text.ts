/** Text helpers mirroring libredesk's stringutil and Go's net/mail, text/template and html2text (approximations). */

const ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u{80}-\\u{10FFFF}";
const DOT_ATOM = `[${ATEXT}]+(?:\\.[${ATEXT}]+)*`;
const DOMAIN_LITERAL = '\\[[\\x21-\\x5A\\x5E-\\x7E]*\\]';
const ADDR_SPEC_RE = new RegExp(`^${DOT_ATOM}@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`, 'u');

/**
 * stringutil.ValidEmail: net/mail.ParseAddress must succeed with no display name and the parsed address must equal
 * the input. Quoted local parts, comments, display names and surrounding spaces all change the parsed address, so only
 * a bare dot-atom@dot-atom (or domain-literal) survives; single-label domains are fine.
 */
export function validEmail(email: string): boolean {
	return ADDR_SPEC_RE.test(email);
}

/** net/mail.ParseAddress(...).Address for "Name <a@b>" or "a@b"; returns the input when it cannot parse. */
export function extractEmail(from: string): string {
	const angle = /<([^<>]+)>\s*$/.exec(from);
	return (angle ? angle[1] : from).trim();
}

/** stringutil.SanitizeFilename. */
export function sanitizeFilename(name: string): string {
	let out = name.trim().replace(/\s+/g, '-').replace(/[^a-zA-Z0-9\-_.]+/g, '').toLowerCase();
	const slash = out.lastIndexOf('/');
	if (slash >= 0) out = out.slice(slash + 1);
	return out === '' ? '.' : out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** stringutil.HTML2Text (jaytaylor/html2text, TextOnly): block ends become blank lines, tags dropped, entities decoded. */
export function html2text(html: string): string {
	return html
		.replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/(p|div|h[1-6]|li|tr|table|ul|ol|blockquote|pre)>/gi, '\n\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x?[0-9a-f]+|\w+);/gi, (m, e: string) => {
			if (e.startsWith('#')) {
				const code = e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
				return Number.isFinite(code) ? String.fromCodePoint(code) : m;
			}
			return ENTITIES[e.toLowerCase()] ?? m;
		})
		.split('\n')
		.map((line) => line.replace(/[ \t]+/g, ' ').trim())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

type TemplateData = Record<string, unknown>;

/**
 * template.RenderString with Go text/template semantics for plain field actions (`{{ .Contact.FirstName }}`,
 * trim markers, comments). A missing map key prints "<no value>". Anything that would not parse or execute — and,
 * as an approximation, any construct beyond field access — returns the content unchanged, as the server does on error.
 */
export function renderTemplate(content: string, data: TemplateData): string {
	const action = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
	if (!content.includes('{{')) return content;
	let out = '';
	let last = 0;
	let trimNextText = false;
	for (let m = action.exec(content); m; m = action.exec(content)) {
		let text = content.slice(last, m.index);
		if (trimNextText) text = text.replace(/^\s+/, '');
		if (m[1]) text = text.replace(/\s+$/, '');
		out += text;
		const rendered = renderAction(m[2].trim(), data);
		if (rendered === null) return content;
		out += rendered;
		trimNextText = Boolean(m[3]);
		last = m.index + m[0].length;
	}
	let tail = content.slice(last);
	if (tail.includes('{{')) return content;
	if (trimNextText) tail = tail.replace(/^\s+/, '');
	return out + tail;
}

function renderAction(expr: string, data: TemplateData): string | null {
	if (/^\/\*[\s\S]*\*\/$/.test(expr)) return '';
	if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(expr)) return null;
	let value: unknown = data;
	for (const key of expr.slice(1).split('.')) {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
		if (!(key in (value as TemplateData))) return '<no value>';
		value = (value as TemplateData)[key];
	}
	if (value !== null && typeof value === 'object') return null;
	return String(value);
}
