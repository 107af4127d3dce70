import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import { formatErrorsLoggedOnce } from '../logging/graphql-error-log.js';
import { ApiErrorCode, isPublicCode } from '../common/results/api-error-code.js';

type Execution = Parameters<typeof mercurius.defaultErrorFormatter>[0];
type Ctx = Parameters<typeof mercurius.defaultErrorFormatter>[1];

function clientStatusOf(errors: readonly { originalError?: unknown }[]): number | undefined {
  for (const error of errors) {
    const status = (error.originalError as { statusCode?: unknown } | null | undefined)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return status;
  }
  return undefined;
}

/** Whether production shows an error's message: its code decides, through API_ERROR_EXPOSURE. */
function isPublic(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  // a code this service did not set (or an internal one) is not for clients
  if (code !== undefined) return isPublicCode(code);
  const original = error.originalError;
  // graphql-js's own errors about the document (parse, validation, variables, a null in a non-null field) carry no
  // original error: they describe the request, not the server
  if (original === undefined || original === null) return true;
  // a variable that fails to coerce wraps the scalar's (or the input type's) own error: it describes the request
  if (original instanceof GraphQLError) return isPublic(original);
  // a request Fastify or Mercurius refused as a whole (body not JSON, empty, too large…): their messages are for clients
  const status = (original as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * graphql-js suggests names it knows (` Did you mean "unitAsOf"?`, ` Did you mean the enum value "X"?`): in
 * production, where introspection is off, that would enumerate the schema one typo at a time.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * Mercurius wraps the errors of a request it refuses as a whole in one error with a 4xx status (MER_ERR_GQL_VALIDATION,
 * MER_ERR_METHOD_NOT_ALLOWED): GraphQL errors about the document, or plain Errors with its own message for the client
 * (which keep the wrapper's status). An Error of another class in there (the parser's RangeError on a stack overflow)
 * is a crash: it keeps itself as the original error, so that it is judged internal.
 */
function unwrapped(errors: readonly unknown[]): GraphQLError[] {
  return errors.flatMap((e) => {
    const wrapper = (e as GraphQLError).originalError as (Error & { errors?: unknown }) | undefined;
    if (!Array.isArray(wrapper?.errors))
      return [
        e instanceof GraphQLError
          ? e
          : new GraphQLError(String((e as Error)?.message ?? e), { originalError: e as Error }),
      ];
    return (wrapper.errors as unknown[]).map((inner) => {
      if (inner instanceof GraphQLError) return inner;
      const error = inner instanceof Error ? inner : new Error(String(inner));
      return new GraphQLError(error.message, { originalError: error.constructor === Error ? wrapper : error });
    });
  });
}

const RETRYABLE = new Set<ApiErrorCode>([ApiErrorCode.UNAVAILABLE, ApiErrorCode.STORAGE_FULL]);

const INTERNAL = { message: 'Internal server error', extensions: { code: ApiErrorCode.INTERNAL_SERVER_ERROR } };

/**
 * In production, an unexpected error (logged once by GraphQLExceptionFilter) is answered "Internal server error"
 * (no stack, SQL or file path) and no message suggests a name of the schema; expected errors keep their message and code.
 */
export function maskingErrorFormatter(production: boolean) {
  return (execution: Execution, ctx: Ctx) => {
    const formatted = formatErrorsLoggedOnce(execution, ctx);
    // A request refused as a whole (a document failing validation, a body too large…) keeps its 4xx even when it
    // has several errors: Mercurius only looks at the status of a lone error and answers 200 otherwise.
    const refused = execution.data ? undefined : clientStatusOf(execution.errors ?? []);
    if (refused !== undefined) formatted.statusCode = refused;
    // an answer cut short because the database is unreachable or full: 503, which balancers and clients know to retry
    else if (unwrapped(execution.errors ?? []).some((e) => RETRYABLE.has(e.extensions?.code as ApiErrorCode)))
      formatted.statusCode = 503;
    if (!production) return formatted;
    const masked = unwrapped(execution.errors ?? []).map((error) => {
      if (!isPublic(error)) return { ...INTERNAL, locations: error.locations, path: error.path };
      const json = error.toJSON();
      return { ...json, message: withoutSuggestions(json.message) };
    });
    return { statusCode: formatted.statusCode, response: { data: formatted.response.data ?? null, errors: masked } };
  };
}
