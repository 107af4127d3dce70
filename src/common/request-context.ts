import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';

/** The GraphQL context of one request. Per-request caches (loaders) hang off it and die with it. */
export interface RequestContext {
  request: FastifyRequest;
  reply: FastifyReply;
  cache: Map<string, unknown>;
  /** The bearer token's principal, checked on first use; throws UNAUTHENTICATED. */
  principal(): Principal;
}

export function perRequest<T>(ctx: RequestContext, key: string, create: () => T): T {
  let value = ctx.cache.get(key) as T | undefined;
  if (value === undefined) {
    value = create();
    ctx.cache.set(key, value);
  }
  return value;
}
