import { apiError, ApiErrorCode } from './api-error-code.js';

/**
 * "Not found", said one way per kind of field: a mutation answers its union's `NotFound`; a query whose type is
 * nullable (`unit`) answers null; any other query answers this error, code NOT_FOUND. (A scoped caller asking for
 * a unit outside its scope, or one that does not exist, gets FORBIDDEN either way.)
 */
export const notFoundError = (entity: string) => apiError(ApiErrorCode.NOT_FOUND, `${entity} not found.`);
