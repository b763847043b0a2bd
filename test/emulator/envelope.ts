import { marshal } from './gojson';

export type ErrorType =
	| 'GeneralException'
	| 'PermissionException'
	| 'InputException'
	| 'DataException'
	| 'NetworkException'
	| 'NotFoundException'
	| 'ConflictException'
	| 'UnauthorizedException'
	| 'RateLimitException';

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string | Buffer;
}

/** An envelope.Error (or a direct r.SendErrorEnvelope) raised anywhere in a handler. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly errorType: ErrorType,
		readonly data: unknown = null,
	) {
		super(message);
	}
}

/** envelope.NewError: the status follows from the type. */
export function newError(errorType: ErrorType, message: string): ApiError {
	const status: Record<ErrorType, number> = {
		GeneralException: 500,
		PermissionException: 403,
		InputException: 400,
		DataException: 422,
		NetworkException: 504,
		NotFoundException: 404,
		ConflictException: 409,
		UnauthorizedException: 401,
		RateLimitException: 429,
	};
	return new ApiError(status[errorType], message, errorType);
}

export const MSG = {
	somethingWentWrong: 'Something went wrong',
	parsingRequest: 'Error parsing request',
	permissionDenied: 'Permission denied',
	badRequest: 'Bad request',
	required: (name: string) => `${name} Required`,
	empty: (name: string) => `${name} empty`,
};

export function jsonReply(status: number, payload: unknown, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: marshal(payload) };
}

/** fastglue SendEnvelope: always 200. */
export function success(data: unknown): Reply {
	return jsonReply(200, { status: 'success', data });
}

/** fastglue SendErrorEnvelope: key order status, message, data, error_type. */
export function failure(status: number, message: string, errorType: ErrorType, data: unknown = null): Reply {
	return jsonReply(status, { status: 'error', message, data, error_type: errorType });
}

export function errorReply(error: ApiError): Reply {
	return failure(error.status, error.message, error.errorType, error.data);
}
