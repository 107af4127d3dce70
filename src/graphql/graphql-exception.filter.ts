import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';

/**
 * Errors thrown by resolvers and guards: an expected GraphQL error (FORBIDDEN, BAD_USER_INPUT, …) is the client's
 * answer and is not logged; anything else is logged once, here, with its stack (production masks its message).
 */
@Catch()
export class GraphQLExceptionFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'graphql') throw exception;
    if (!(exception instanceof GraphQLError)) {
      const error = exception as Error;
      this.logger.error(error?.stack ?? String(exception));
    }
    return exception;
  }
}
