import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../auth/auth-errors.js';
import { addressRefusals } from '../auth/rate-limiter.js';
import type { Principal } from '../auth/principal.js';
import type { EdgeSettings } from '../config/edge-settings.js';
import type { PrincipalCache } from '../graphql/principal-cache.js';
import { CLOSE_FORBIDDEN, CLOSE_TOO_MANY, LiveConnection, type LiveSocket } from './live-connection.js';

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
 * (without one, or with a bad one, the connection is closed 4403 before any subscription, and the refusal is charged
 * to the address's budget of refusals, shared with HTTP), at most `connectionsPerPrincipal` open connections per
 * principal on this instance (4429 past it), a context per connection with its own bounded queue and at most
 * `subscriptionsPerConnection` subscriptions (LiveConnection), and a ping every 30 seconds.
 */
export function liveSubscriptionOptions(settings: EdgeSettings, principals: PrincipalCache) {
  const refusals = addressRefusals(settings);
  const open = new Map<string, number>();
  const connections = new WeakMap<LiveSocket, LiveConnection>();
  const admit = (connection: LiveConnection, socket: LiveSocket, sub: string): boolean => {
    const count = open.get(sub) ?? 0;
    if (count >= settings.connectionsPerPrincipal) {
      connection.close(
        CLOSE_TOO_MANY,
        `too many connections: at most ${settings.connectionsPerPrincipal} open for one principal`,
      );
      return false;
    }
    open.set(sub, count + 1);
    socket.once('close', () => {
      const left = (open.get(sub) ?? 1) - 1;
      if (left > 0) open.set(sub, left);
      else open.delete(sub);
    });
    return true;
  };
  return {
    keepAlive: 30_000,
    context: (socket: LiveSocket, request: FastifyRequest): LiveContext => {
      // Mercurius makes a context at every connection_init: the connection (its limits) belongs to the socket
      let connection = connections.get(socket);
      if (!connection) {
        const made = new LiveConnection(
          socket,
          settings.subscriptionQueue,
          principals,
          settings.subscriptionsPerConnection,
        );
        made.admit = (sub) => admit(made, socket, sub);
        made.refused = () => void refusals.take(request.ip, Date.now());
        connections.set(socket, (connection = made));
      }
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
      if (connection.principal !== null) {
        connection.close(CLOSE_TOO_MANY, 'Too many initialisation requests');
        return false;
      }
      const header = bearerOf(data.payload);
      if (header === null) {
        connection.refused();
        connection.close(CLOSE_FORBIDDEN, 'Forbidden: connection_init carries no bearer token');
        return false;
      }
      const principal = connection.authenticate(header);
      if (principal === null) {
        connection.refused();
        return false;
      }
      return connection.admit(principal.sub);
    },
  };
}
