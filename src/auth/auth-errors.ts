import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';

export const unauthenticated = (message = 'a bearer token is required (Authorization: Bearer …)') =>
  apiError(ApiErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message: string) => apiError(ApiErrorCode.FORBIDDEN, message);
