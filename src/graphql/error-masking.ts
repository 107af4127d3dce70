import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import { formatErrorsLoggedOnce } from '../logging/graphql-error-log.js';

/** Codes whose messages are written for clients; anything else is an internal error. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'DOCUMENT_TOO_COMPLEX',
  'NOT_FOUND',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

type Execution = Parameters<typeof mercurius.defaultErrorFormatter>[0];
type Ctx = Parameters<typeof mercurius.defaultErrorFormatter>[1];

function clientStatusOf(errors: readonly { originalError?: unknown }[]): number | undefined {
  for (const error of errors) {
    const status = (error.originalError as { statusCode?: unknown } | null | undefined)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return status;
  }
  return undefined;
}

function isPublic(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) return true;
  const original = error.originalError;
  // parse and validation errors carry no original error: they describe the document, not the server
  if (original === undefined || original === null) return true;
  // a variable that fails to coerce wraps the scalar's (or the input type's) own error: it describes the request
  if (original instanceof GraphQLError) return isPublic(original);
  // a request Fastify or Mercurius refused as a whole (body not JSON, empty, too large…): their messages are for clients
  const status = (original as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * In production, an unexpected error (logged once by GraphQLExceptionFilter) is answered "Internal server error"
 * (no stack, SQL or file path); expected errors keep their message and code.
 */
export function maskingErrorFormatter(production: boolean) {
  return (execution: Execution, ctx: Ctx) => {
    const formatted = formatErrorsLoggedOnce(execution, ctx);
    // A request refused as a whole (a document failing validation, a body too large…) keeps its 4xx even when it
    // has several errors: Mercurius only looks at the status of a lone error and answers 200 otherwise.
    const refused = execution.data ? undefined : clientStatusOf(execution.errors ?? []);
    if (refused !== undefined) formatted.statusCode = refused;
    if (!production) return formatted;
    // Mercurius wraps a document's validation errors in one error (MER_ERR_GQL_VALIDATION): unwrap them
    const errors = (execution.errors ?? []).flatMap((e) => {
      const inner = (e.originalError as unknown as { errors?: unknown })?.errors;
      return Array.isArray(inner) ? (inner as GraphQLError[]) : [e];
    });
    const masked = errors.map((error) => {
      const graphQLError = error instanceof GraphQLError ? error : new GraphQLError((error as Error).message);
      if (isPublic(graphQLError)) return graphQLError.toJSON();
      return { message: 'Internal server error', locations: graphQLError.locations, path: graphQLError.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    });
    return { statusCode: formatted.statusCode, response: { data: formatted.response.data ?? null, errors: masked } };
  };
}
