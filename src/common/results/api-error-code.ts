import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` the service puts on a GraphQL error. Expected failures of a command are data (the result
 * unions' ErrorCode), not these: these are errors that replace a field's value or the whole answer.
 */
export enum ApiErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  RATE_LIMITED = 'RATE_LIMITED',
  DOCUMENT_TOO_COMPLEX = 'DOCUMENT_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /**
   * Retryable: the database does not answer (PostgreSQL restarting, the network to it cut, SQLite's write lock held
   * past its timeout) or the instance is shutting down. A write may or may not have been committed when the connection
   * broke: send it again after a moment (to any instance) with the same idempotency key, which answers the stored
   * success if it was.
   */
  UNAVAILABLE = 'UNAVAILABLE',
  /** The database has no room left: writes are refused (nothing of them is stored), reads keep working. */
  STORAGE_FULL = 'STORAGE_FULL',
}

/**
 * Whether production answers keep a code's message ('public': written for the client) or mask it ('internal').
 * A Record, so that a new code does not compile until it is placed here.
 */
export const API_ERROR_EXPOSURE: Record<ApiErrorCode, 'public' | 'internal'> = {
  [ApiErrorCode.UNAUTHENTICATED]: 'public',
  [ApiErrorCode.FORBIDDEN]: 'public',
  [ApiErrorCode.BAD_USER_INPUT]: 'public',
  [ApiErrorCode.NOT_FOUND]: 'public',
  [ApiErrorCode.RATE_LIMITED]: 'public',
  [ApiErrorCode.DOCUMENT_TOO_COMPLEX]: 'public',
  [ApiErrorCode.INTERNAL_SERVER_ERROR]: 'internal',
  [ApiErrorCode.UNAVAILABLE]: 'public',
  [ApiErrorCode.STORAGE_FULL]: 'public',
};

const CODES = new Set<string>(Object.values(ApiErrorCode));

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

/** Whether an error carrying this code keeps its message in production: only a known, public code does. */
export function isPublicCode(value: unknown): boolean {
  return isApiErrorCode(value) && API_ERROR_EXPOSURE[value] === 'public';
}

/** The GraphQL error of a code: `extensions.code` is always one of ApiErrorCode. */
export function apiError(
  code: ApiErrorCode,
  message: string,
  options: { nodes?: GraphQLError['nodes'] } = {},
): GraphQLError {
  return new GraphQLError(message, { nodes: options.nodes, extensions: { code } });
}

/** The JSON of a request refused before GraphQL runs (no locations, no path). */
export function apiErrorJson(
  code: ApiErrorCode,
  message: string,
): { message: string; extensions: { code: ApiErrorCode } } {
  return { message, extensions: { code } };
}
