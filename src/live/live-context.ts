import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import type { EdgeSettings } from '../config/edge-settings.js';
import type { PrincipalCache } from '../graphql/principal-cache.js';
import { CLOSE_FORBIDDEN, LiveConnection, type LiveSocket } from './live-connection.js';

/** The GraphQL context of a WebSocket connection (every subscription on it shares it). */
export interface LiveContext {
  request: FastifyRequest;
  cache: Map<string, unknown>;
  connection: LiveConnection;
  principal(): Principal;
}

/** The bearer token of a `connection_init` payload: `{ authorization: "Bearer …" }`, `{ headers: { authorization } }` or `{ token }`. */
export function bearerOf(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const record = payload as Record<string, unknown>;
  const headers =
    record.headers !== null && typeof record.headers === 'object' ? (record.headers as Record<string, unknown>) : {};
  for (const source of [record, headers]) {
    const header = source.authorization ?? source.Authorization;
    if (typeof header === 'string') return header;
  }
  return typeof record.token === 'string' ? `Bearer ${record.token}` : null;
}

/**
 * Mercurius's `subscription` options: graphql-ws on /graphql (both its protocols, graphql-transport-ws and the
 * older graphql-ws), the bearer token of `connection_init` verified as HTTP verifies the Authorization header
 * (without one, or with a bad one, the connection is closed 4403 before any subscription), a context per connection
 * with its own bounded queue (LiveConnection), and a ping every 30 seconds.
 */
export function liveSubscriptionOptions(settings: EdgeSettings, principals: PrincipalCache) {
  return {
    keepAlive: 30_000,
    context: (socket: LiveSocket, request: FastifyRequest): LiveContext => {
      const connection = new LiveConnection(socket, settings.subscriptionQueue, principals);
      return {
        request,
        cache: new Map(),
        connection,
        principal: () => {
          const principal = connection.currentPrincipal();
          if (!principal) throw unauthenticated('the connection has no valid bearer token');
          return principal;
        },
      };
    },
    // Mercurius calls it as a method of the connection, whose context (above) is already made
    onConnect(this: { context?: Partial<LiveContext> } | undefined, data: { payload?: unknown }): boolean {
      const connection = this?.context?.connection;
      if (!connection) return false;
      const header = bearerOf(data.payload);
      if (header === null) {
        connection.close(CLOSE_FORBIDDEN, 'Forbidden: connection_init carries no bearer token');
        return false;
      }
      return connection.authenticate(header) !== null;
    },
  };
}
