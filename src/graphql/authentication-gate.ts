import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { addressRefusals, RateLimiter } from '../auth/rate-limiter.js';
import { ApiErrorCode, apiErrorJson } from '../common/results/api-error-code.js';
import { refuseRequest } from './media-type.js';
import type { PrincipalCache } from './principal-cache.js';

/** The principal the gate verified for a request (the GraphQL context reads it instead of verifying again). */
const verified = new WeakMap<FastifyRequest, Principal>();

export function verifiedPrincipalOf(request: FastifyRequest): Principal | undefined {
  const principal = verified.get(request);
  return principal && { ...principal };
}

/**
 * A WebSocket handshake for live updates: Node hands a request to the router with `upgrade` set only through the
 * server's 'upgrade' event (where @fastify/websocket takes it), never as an ordinary request, so a request that merely
 * carries an Upgrade header is not one. Its bearer token comes later, in `connection_init` (src/live).
 */
export function isWebSocketUpgrade(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' &&
    (request.raw as { upgrade?: boolean }).upgrade === true &&
    /^websocket$/i.test(String(request.headers.upgrade ?? ''))
  );
}

export interface AuthenticationGateOptions {
  path: string;
  principals: PrincipalCache;
  /** refusals answered per minute per client address before 429 (0: no limit); the object keys the shared budget */
  settings: { anonymousPerMinute: number };
}

/**
 * Every GraphQL operation needs a bearer token, so the token is checked first, in `onRequest`: before Fastify reads
 * the body, before any document is parsed or validated, before any rate limit per principal. A request without a
 * valid token is answered 401 UNAUTHENTICATED (GraphQL-over-HTTP: "not permitted to issue the request") with the
 * body still unread; an address that keeps sending such requests is answered 429 for the rest of the minute. Only
 * `path` is guarded (GET /health and the rest are not GraphQL). A WebSocket handshake passes: live updates verify
 * the same token in `connection_init`, before any subscription, and charge a refused one to the same address's budget
 * (addressRefusals) — so an address that has spent it is answered 429 at the handshake too.
 */
export function authenticationGate(fastify: FastifyInstance, options: AuthenticationGateOptions): void {
  const refusals = addressRefusals(options.settings);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.url !== options.path) return;
    if (isWebSocketUpgrade(request)) {
      const now = Date.now();
      if (!refusals.spent(request.ip, now)) return;
      reply.header('retry-after', String(Math.ceil(RateLimiter.msToNextWindow(now) / 1000)));
      const message = `too many refused connections from this address: at most ${refusals.perMinute} a minute.`;
      // the handshake's socket was taken from the HTTP server: nothing else ends it once the answer is written
      reply.raw.once('finish', () => request.raw.socket.destroy());
      return refuseRequest(request, reply, 429, [apiErrorJson(ApiErrorCode.RATE_LIMITED, message)]);
    }
    const header = request.headers.authorization;
    try {
      verified.set(request, options.principals.principalOf(header));
      return;
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const now = Date.now();
      if (!refusals.take(request.ip, now)) {
        const seconds = Math.ceil(RateLimiter.msToNextWindow(now) / 1000);
        reply.header('retry-after', String(seconds));
        const message = `too many requests without a valid bearer token from this address: at most ${refusals.perMinute} a minute.`;
        return refuseRequest(request, reply, 429, [apiErrorJson(ApiErrorCode.RATE_LIMITED, message)]);
      }
      // RFC 6750: a request without credentials gets the bare challenge, a bad token `error="invalid_token"`
      reply.header(
        'www-authenticate',
        typeof header === 'string' && /^Bearer\s+\S/i.test(header) ? 'Bearer error="invalid_token"' : 'Bearer',
      );
      return refuseRequest(request, reply, 401, [apiErrorJson(ApiErrorCode.UNAUTHENTICATED, error.message)]);
    }
  });
}
