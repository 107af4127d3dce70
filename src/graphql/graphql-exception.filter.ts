import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlArgumentsHost, type GqlExceptionFilter } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { responsePathAsArray } from 'graphql';
import type { RequestContext } from '../common/request-context.js';
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
    logUnexpectedError(log, exception, {
      operationName: info?.operation?.name?.value,
      path: info?.path ? responsePathAsArray(info.path).join('.') : undefined,
    });
    return exception;
  }
}
