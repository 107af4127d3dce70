import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { RequestContext } from '../common/request-context.js';

/** The resolver argument of the request's principal (UNAUTHENTICATED without a valid bearer token). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext) =>
  GqlExecutionContext.create(context).getContext<RequestContext>().principal(),
);
