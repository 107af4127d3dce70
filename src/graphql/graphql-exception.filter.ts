import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlArgumentsHost, type GqlExceptionFilter } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { responsePathAsArray } from 'graphql';
import type { RequestContext } from '../common/request-context.js';
import { apiError } from '../common/results/api-error-code.js';
import { databaseFault, FAULT_MESSAGES, type DatabaseFault } from '../database/database-faults.js';
import { isExpectedError } from '../logging/error-log.js';
import { type ErrorLogger, logUnexpectedError } from '../logging/graphql-error-log.js';

/**
 * Errors thrown by resolvers and guards. An expected one (FORBIDDEN, BAD_USER_INPUT, …) is the client's answer: it is
 * logged with the rest of the answer's errors, in one line (logGraphQLErrors). Anything else is logged here, where the
 * field is known, with its stack, once (production masks its message). Errors of plain HTTP routes are Nest's.
 */
@Catch()
export class GraphQLExceptionFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  private readonly fallback = new Logger('GraphQL');
  /** per fault: when it was last logged with its stack, and how many answers it gave since (an outage is one story) */
  private readonly faults = new Map<DatabaseFault, { loggedAt: number; since: number }>();

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    // plain HTTP routes (health) answer as Nest does: an HttpException's own status and body
    if (host.getType<string>() !== 'graphql') return super.catch(exception, host);
    if (isExpectedError(exception)) return exception;
    const gql = GqlArgumentsHost.create(host);
    const info = gql.getInfo<GraphQLResolveInfo | undefined>();
    const log: ErrorLogger = gql.getContext<Partial<RequestContext> | undefined>()?.request?.log ?? {
      info: () => undefined,
      error: (entry: { err: unknown }) => this.fallback.error(entry.err),
    };
    const where = {
      operationName: info?.operation?.name?.value,
      path: info?.path ? responsePathAsArray(info.path).join('.') : undefined,
    };
    // the database unreachable or full: the client gets a typed error (never the driver's words), the log the cause
    const fault = databaseFault(exception);
    if (fault) {
      const unlogged = this.unloggedSince(fault);
      if (unlogged !== null)
        logUnexpectedError(log, exception, { ...where, answeredAs: fault, answersSinceLastLogged: unlogged });
      return apiError(fault, FAULT_MESSAGES[fault]);
    }
    logUnexpectedError(log, exception, where);
    return exception;
  }

  /**
   * The first fault of a kind is logged with its stack, then at most one every 10 s: null when this one is not to be
   * logged, else how many went unlogged before it.
   */
  private unloggedSince(fault: DatabaseFault): number | null {
    const now = Date.now();
    const seen = this.faults.get(fault) ?? { loggedAt: -Infinity, since: 0 };
    this.faults.set(fault, seen);
    if (now - seen.loggedAt < 10_000) {
      seen.since++;
      return null;
    }
    const unlogged = seen.since;
    seen.loggedAt = now;
    seen.since = 0;
    return unlogged;
  }
}
