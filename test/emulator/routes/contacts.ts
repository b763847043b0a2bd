/* eslint-disable @n8n/community-nodes/require-node-api-error -- test infrastructure (a stand-in Libredesk server), not node code */
/** Contacts (cmd/contacts.go, internal/user). */
import { ApiError, MSG, newError, success } from '../envelope';
import { now } from '../clock';
import { compileFilters, compileOrder, ilike, type AllowedFields } from '../filters';
import { goAtoi, pageResults, pagination, withFilterErrors } from '../listing';
import { MultipartError, parseMultipart, type MultipartForm } from '../multipart';
import { validEmail } from '../text';
import { userCompactView, userView } from '../views';
import type { HandlerContext } from '../context';
import { userColumnsFit, type UserRecord } from '../store';
import type { Route } from '../router';

/** makeUserListQuery: only these three columns can be filtered or ordered. */
const CONTACT_FIELDS: AllowedFields<UserRecord> = {
	users: {
		email: { type: 'text', get: (u) => u.email },
		created_at: { type: 'timestamp', get: (u) => u.created_at },
		updated_at: { type: 'timestamp', get: (u) => u.updated_at },
	},
};

const isContactOrVisitor = (u: UserRecord) => (u.type === 'contact' || u.type === 'visitor') && !u.deleted_at;

function listContacts(ctx: HandlerContext) {
	const { query, env } = ctx;
	const { page, pageSize } = pagination(query);
	const { predicate, order } = withFilterErrors(() => ({
		predicate: compileFilters(query.get('filters') ?? '', CONTACT_FIELDS),
		order: compileOrder(query.get('order_by') ?? '', query.get('order') ?? '', CONTACT_FIELDS),
	}));
	// get-users-compact drops NULL emails through `email != 'System'`.
	const rows = env.store.users.filter((u) => isContactOrVisitor(u) && u.email !== null && u.email !== 'System').filter(predicate);
	if (order) rows.sort(order);
	return pageResults(rows, page, pageSize, userCompactView);
}

function searchContacts(ctx: HandlerContext) {
	const q = ctx.query.get('query') ?? '';
	if (Buffer.byteLength(q) < 3) throw new ApiError(400, ' Please enter at least 3 characters to search.', 'InputException');
	const hits = ctx.env.store.users
		.filter((u) => u.type === 'contact' && !u.deleted_at && u.email !== null && ilike(u.email, `%${q}%`))
		.slice(0, 15);
	return success(hits.map((u) => ({ id: u.id, created_at: u.created_at, first_name: u.first_name, last_name: u.last_name, email: u.email ?? '', external_user_id: u.external_user_id })));
}

function contactById(ctx: HandlerContext): UserRecord {
	const id = goAtoi(ctx.params.id);
	if (id <= 0) throw new ApiError(400, MSG.somethingWentWrong, 'InputException');
	const contact = ctx.env.store.users.find((u) => u.id === id && isContactOrVisitor(u));
	if (!contact) throw newError('NotFoundException', 'User not found');
	return contact;
}

const first = (form: MultipartForm, name: string) => form.values[name]?.[0] ?? '';
const nullable = (value: string) => (value === '' || value === 'null' ? null : value);

function updateContact(ctx: HandlerContext) {
	const contact = contactById(ctx);
	let form: MultipartForm;
	try {
		form = parseMultipart(ctx.contentType, ctx.rawBody);
	} catch (e) {
		if (e instanceof MultipartError) throw new ApiError(500, MSG.parsingRequest, 'GeneralException');
		throw e;
	}
	const email = first(form, 'email').trim();
	const firstName = first(form, 'first_name');
	if (email === '') throw new ApiError(400, MSG.empty('email'), 'InputException');
	if (!validEmail(email)) throw new ApiError(400, 'Invalid email address', 'InputException');
	if (firstName === '') throw new ApiError(400, MSG.empty('first_name'), 'InputException');
	// index_unique_users_on_email_when_no_ext_id_contact
	const clash = contact.type === 'contact' && contact.external_user_id === null &&
		ctx.env.store.users.some((u) => u !== contact && u.type === 'contact' && !u.deleted_at && u.external_user_id === null && u.email === email);
	if (clash) throw new ApiError(400, 'Another contact with same email already exists', 'InputException');
	const update = {
		first_name: firstName,
		last_name: first(form, 'last_name'),
		email,
		avatar_url: nullable(first(form, 'avatar_url')),
		phone_number: nullable(first(form, 'phone_number')),
		phone_number_country_code: nullable(first(form, 'phone_number_country_code')),
		country: nullable(first(form, 'country')),
	};
	// update-contact breaking a CHECK constraint (e.g. a phone number over 20 characters): 500, nothing changed.
	if (!userColumnsFit(update)) throw newError('GeneralException', MSG.somethingWentWrong);
	Object.assign(contact, update, { updated_at: now() });
	const avatar = form.files.files?.[0];
	if (avatar) contact.avatar_url = `/uploads/avatar-${contact.id}-${avatar.filename}`;
	return success(userView(ctx.env.store, contact));
}

export const contactRoutes: Route[] = [
	{ method: 'GET', pattern: '/api/v1/contacts', auth: { perm: 'contacts:read_all' }, handler: listContacts },
	{ method: 'GET', pattern: '/api/v1/contacts/search', auth: { perm: 'contacts:read' }, handler: searchContacts },
	{ method: 'GET', pattern: '/api/v1/contacts/{id}', auth: { perm: 'contacts:read' }, handler: (ctx) => success(userView(ctx.env.store, contactById(ctx))) },
	{ method: 'PUT', pattern: '/api/v1/contacts/{id}', auth: { perm: 'contacts:write' }, handler: updateContact },
];
