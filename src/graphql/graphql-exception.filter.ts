import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { GqlArgumentsHost, type GqlExceptionFilter } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { responsePathAsArray } from 'graphql';
import type { RequestContext } from '../common/request-context.js';
import { isExpectedError } from '../logging/error-log.js';
import { type ErrorLogger, logUnexpectedError } from '../logging/graphql-error-log.js';

/**
 * Errors thrown by resolvers and guards. An expected one (FORBIDDEN, BAD_USER_INPUT, …) is the client's answer: it is
 * logged with the rest of the answer's errors, in one line (logGraphQLErrors). Anything else is logged here, where the
 * field is known, with its stack, once (production masks its message).
 */
@Catch()
export class GraphQLExceptionFilter implements GqlExceptionFilter {
  private readonly fallback = new Logger('GraphQL');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'graphql') throw exception;
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
