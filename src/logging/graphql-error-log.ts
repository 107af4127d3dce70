import type { FastifyBaseLogger } from 'fastify';
import mercurius from 'mercurius';
import { errorCodeOf, firstTimeLogged, isExpectedError } from './error-log.js';

type Execution = Parameters<typeof mercurius.defaultErrorFormatter>[0];
type Ctx = Parameters<typeof mercurius.defaultErrorFormatter>[1];

/** Where the errors of one request are written (the request's logger, so the lines carry its reqId). */
export type ErrorLogger = Pick<FastifyBaseLogger, 'info' | 'error'>;

export interface ErrorWhere {
  /** the operation name the client sent */
  operationName?: string;
  /** where in the answer, e.g. units.edges.0.node.parent */
  path?: string;
  /** a database fault: the code the client was answered with instead */
  answeredAs?: string;
  /** a database fault: how many answers it gave since it was last logged */
  answersSinceLastLogged?: number;
}

/** Writes an unexpected error with its stack, unless some other place already did (the exception filter, say). */
export function logUnexpectedError(log: ErrorLogger, error: unknown, where: ErrorWhere = {}): void {
  if (!firstTimeLogged(error)) return;
  log.error({ err: error, ...where });
}

/**
 * Mercurius reports a document's parse and validation errors, and a mutation sent by GET, as one error that holds
 * them all; when that holder carries a 4xx status the inner errors are the client's mistake whatever they are.
 */
function unwrapped(errors: readonly unknown[]): { error: unknown; refused: boolean }[] {
  return errors.flatMap((error) => {
    const holder = (error as { originalError?: { errors?: unknown; statusCode?: unknown } }).originalError ?? {};
    if (!Array.isArray(holder.errors)) return [{ error, refused: false }];
    const refused = typeof holder.statusCode === 'number' && holder.statusCode >= 400 && holder.statusCode < 500;
    return holder.errors.map((inner: unknown) => ({ error: inner, refused }));
  });
}

function operationNameOf(ctx: Ctx | undefined): string | undefined {
  const request = ctx?.reply?.request;
  const params = (request?.method === 'GET' ? request.query : request?.body) as { operationName?: unknown } | undefined;
  return typeof params?.operationName === 'string' ? params.operationName : undefined;
}

/**
 * The errors of one GraphQL answer: each unexpected one once, with its stack; the expected ones (the client's
 * mistakes and refusals) as ONE line however many there are — their count by code and the first of them — so that a
 * request refused in three hundred places writes one line, not three hundred stacks.
 */
export function logGraphQLErrors(log: ErrorLogger, errors: readonly unknown[], operationName?: string): void {
  const expected: unknown[] = [];
  for (const { error, refused } of unwrapped(errors)) {
    if (refused || isExpectedError(error)) expected.push(error);
    else logUnexpectedError(log, error, { operationName });
  }
  if (expected.length === 0) return;
  const codes: Record<string, number> = {};
  for (const error of expected) {
    const code = errorCodeOf(error) ?? 'UNKNOWN';
    codes[code] = (codes[code] ?? 0) + 1;
  }
  log.info(
    { operationName, errorCount: expected.length, codes, err: expected[0] },
    'GraphQL answered with expected errors',
  );
}

const SILENT: ErrorLogger = { info: () => undefined, error: () => undefined };

/**
 * Mercurius's default error formatter, which would log every error with its stack at info level, with the errors
 * logged by logGraphQLErrors instead.
 */
export function formatErrorsLoggedOnce(execution: Execution, ctx: Ctx) {
  logGraphQLErrors(ctx?.reply ? ctx.reply.log : ctx.app.log, execution.errors ?? [], operationNameOf(ctx));
  // the default formatter reads nothing of the context but its logger
  return mercurius.defaultErrorFormatter(execution, { reply: { log: SILENT } } as unknown as Ctx);
}
