/* eslint-disable @n8n/community-nodes/require-node-api-error -- test infrastructure (a stand-in Libredesk server), not node code */
/** Pagination and PageResults shared by the list endpoints (cmd/handlers.go getPagination, envelope.PageResults). */
import { MSG, newError, success, type Reply } from './envelope';
import { FilterError } from './filters';

/** strconv.Atoi; anything it rejects counts as 0. */
export function goAtoi(value: string | null): number {
	if (value === null || !/^[+-]?\d+$/.test(value)) return 0;
	const n = Number(value);
	return Number.isSafeInteger(n) ? n : 0;
}

export function pagination(query: URLSearchParams, maxPageSize = 500): { page: number; pageSize: number } {
	let page = goAtoi(query.get('page'));
	let pageSize = goAtoi(query.get('page_size'));
	if (page < 1) page = 1;
	if (pageSize < 1) pageSize = 30;
	if (pageSize > maxPageSize) pageSize = maxPageSize;
	return { page, pageSize };
}

/** `total` comes from COUNT(*) OVER() of the first row, so a page past the end reports total 0. */
export function pageResults<Row>(rows: Row[], page: number, pageSize: number, view: (row: Row) => unknown): Reply {
	const slice = rows.slice((page - 1) * pageSize, page * pageSize);
	const total = slice.length > 0 ? rows.length : 0;
	return success({ results: slice.map(view), total, per_page: pageSize, total_pages: Math.ceil(total / pageSize), page });
}

/** Builder and query errors are logged and answered as 500 "Something went wrong". */
export function withFilterErrors<V>(build: () => V): V {
	try {
		return build();
	} catch (e) {
		if (e instanceof FilterError) throw newError('GeneralException', MSG.somethingWentWrong);
		throw e;
	}
}
