import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { RequestContext } from '../common/request-context.js';
import { ApiErrorCode, apiError } from '../common/results/api-error-code.js';
import { costOfField } from './document-cost.js';
import { requestsCharged } from './field-charges.js';
import { forbidden } from '../auth/auth-errors.js';
import { POLICY_KEY } from '../auth/policy.decorator.js';
import { requireRole, type CommandName } from '../auth/policy.js';
import { RateLimiter } from '../auth/rate-limiter.js';

/** What a root field is charged against the rate limit: its cost (merged duplicates each counted), in requests. */
function requestsOf(info: GraphQLResolveInfo): number {
  let cost = 0;
  for (const node of info.fieldNodes) cost += costOfField(node, info.parentType, info.schema, info.fragments);
  return requestsCharged(cost);
}

/**
 * Runs before every GraphQL root field: authenticates, applies the declared policy's role check, and the rate
 * limit per principal and per operation, which charges the field's cost (field-charges.ts): an ordinary read is one
 * request, a history-proportional field a hundred. Fails closed: a root field without a declared policy is FORBIDDEN.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const policy = this.reflector.get<CommandName | 'command' | undefined>(POLICY_KEY, context.getHandler());
    const info = gql.getInfo<GraphQLResolveInfo>();
    const field = info.fieldName;
    if (!policy) throw forbidden(`${field} declares no policy.`);
    const principal = gql.getContext<RequestContext>().principal();
    if (policy !== 'command') requireRole(principal, policy);
    if (this.limiter.perMinute === 0) return true;
    const charged = requestsOf(info);
    if (!this.limiter.take(`${principal.sub}\u0000${field}`, Date.now(), charged)) {
      const counts = charged > 1 ? ` (this one counts as ${charged})` : '';
      throw apiError(
        ApiErrorCode.RATE_LIMITED,
        `rate limit: at most ${this.limiter.perMinute} ${field} requests a minute per principal${counts}.`,
      );
    }
    return true;
  }
}
