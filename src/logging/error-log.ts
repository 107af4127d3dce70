import { isPublicCode } from '../common/results/api-error-code.js';
import { GraphQLError } from 'graphql';
import { truncateForLog } from './log-text.js';

/** Enough frames to find the line that threw; V8 records 10 by default. */
const MAX_STACK_FRAMES = 20;

interface Chained {
  originalError?: unknown;
  extensions?: Record<string, unknown>;
  statusCode?: unknown;
  code?: unknown;
  path?: readonly (string | number)[];
  cause?: unknown;
}

/** The error at the bottom of GraphQL's wrapping (a located error wraps what a resolver threw, and so on). */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = (current as Chained | null | undefined)?.originalError;
    if (next === undefined || next === null) return current;
    current = next;
  }
  return current;
}

/**
 * An expected error is an answer to the client, not a fault of the server: whatever was thrown on purpose as a
 * GraphQLError (FORBIDDEN, UNAUTHENTICATED, RATE_LIMITED, BAD_USER_INPUT, DOCUMENT_TOO_COMPLEX, a document that does
 * not parse or validate…) or a request Fastify or Mercurius refused with a 4xx status. Anything else is unexpected.
 */
export function isExpectedError(error: unknown): boolean {
  const root = rootCause(error);
  // the same rule as production masking: graphql-js's document errors (no code) and the declared public codes are
  // the client's answer; a code the service never declared, or an internal one, is ours
  if (root instanceof GraphQLError) return root.extensions?.code === undefined || isPublicCode(root.extensions.code);
  const status = (root as Chained | null | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The code a log reader filters on: the GraphQL extension code, else the thrower's own (FST_…, SQLITE_…, 23505…). */
export function errorCodeOf(error: unknown): string | undefined {
  for (
    let current: unknown = error, depth = 0;
    current && depth < 10;
    current = (current as Chained).originalError, depth++
  ) {
    const code = (current as Chained).extensions?.code;
    if (typeof code === 'string') return code;
  }
  const root = rootCause(error) as Chained | null | undefined;
  if (typeof root?.code === 'string') return root.code;
  // graphql-js gives document errors no code; its parser's messages all begin so
  if (root instanceof GraphQLError)
    return root.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
  return undefined;
}

/** A stack with its first line (the message, which may echo input) cut like any client text, and a bounded tail. */
export function boundedStack(stack: string): string {
  const firstFrame = stack.indexOf('\n    at ');
  if (firstFrame === -1) return truncateForLog(stack);
  const frames = stack.slice(firstFrame + 1).split('\n');
  const kept = frames.slice(0, MAX_STACK_FRAMES).map((frame) => truncateForLog(frame, 500));
  if (frames.length > MAX_STACK_FRAMES) kept.push(`    …(+${frames.length - MAX_STACK_FRAMES} frames)`);
  return [truncateForLog(stack.slice(0, firstFrame)), ...kept].join('\n');
}

/**
 * pino's `err` serializer. Picks fields instead of copying every enumerable property, as pino's own does: a
 * GraphQLError carries the document's source and nodes, a database error the statement's parameters — the client's
 * input, in full. Expected errors: type, code, message, path, without a stack. Unexpected ones: with one.
 */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: truncateForLog(String(error)) };
  const root = rootCause(error);
  const entry: Record<string, unknown> = {
    type: (root instanceof Error ? root : error).name,
    message: truncateForLog(error.message),
  };
  const code = errorCodeOf(error);
  if (code !== undefined) entry.code = code;
  const path = (error as Chained).path;
  if (Array.isArray(path)) entry.path = truncateForLog(path.join('.'));
  if (isExpectedError(error)) return entry;
  const thrown = root instanceof Error ? root : error;
  entry.stack = boundedStack(typeof thrown.stack === 'string' ? thrown.stack : `${thrown.name}: ${thrown.message}`);
  const cause = (root as Chained).cause;
  if (cause instanceof Error) entry.cause = { type: cause.name, message: truncateForLog(cause.message) };
  return entry;
}

/** Unexpected errors already written with their stack, so that the next place that sees one does not write it again. */
const logged = new WeakSet<object>();

/** Marks the error's root cause as logged; false when it already was. */
export function firstTimeLogged(error: unknown): boolean {
  const root = rootCause(error);
  if (typeof root !== 'object' || root === null) return true;
  if (logged.has(root)) return false;
  logged.add(root);
  return true;
}
