import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { ApiErrorCode, apiErrorJson } from '../common/results/api-error-code.js';
import { documentSizeRefusal } from '../graphql/document-scan.js';

/**
 * The most a WebSocket message may carry. A subscription document within the token limit fits many times over; a
 * larger message is refused by the socket itself (close 1009, "message too big") before any of it is read as JSON.
 */
export const MAX_LIVE_MESSAGE_BYTES = 64 * 1024;

/** graphql-transport-ws's `subscribe` and the older graphql-ws's `start`: the messages that carry a document. */
const DOCUMENT_MESSAGES = new Set(['subscribe', 'start']);

export interface Refusal {
  id: unknown;
  error: { message: string; extensions?: object };
}

/**
 * Why a WebSocket message is refused before Mercurius parses its document, or null to let it through. Mercurius
 * parses a subscription document without the HTTP edge's token limit (and takes a JSON AST as one unparsed), so the
 * same limits are applied here: the document is a string, of at most `maxTokens` tokens nested at most MAX_NESTING
 * deep, counted by graphql-js's own lexer, whose work is bounded by the limit whatever the document's size.
 */
export function refusalOf(data: unknown, maxTokens: number): Refusal | null {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return null; // Mercurius answers a message that is not JSON itself
  }
  if (message === null || typeof message !== 'object') return null;
  const { id, type, payload } = message as { id?: unknown; type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !DOCUMENT_MESSAGES.has(type)) return null;
  const query = payload !== null && typeof payload === 'object' ? (payload as { query?: unknown }).query : undefined;
  if (typeof query !== 'string')
    return { id, error: apiErrorJson(ApiErrorCode.BAD_USER_INPUT, 'payload.query must be a GraphQL document string.') };
  const tooLarge = documentSizeRefusal(query, maxTokens);
  return tooLarge && { id, error: tooLarge };
}

interface ScreenedSocket {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  send(data: string): void;
}

interface WebSocketServerLike {
  on(event: 'connection', listener: (socket: ScreenedSocket) => void): unknown;
}

/**
 * Screens every message of every live-updates connection before Mercurius reads it: a message over
 * MAX_LIVE_MESSAGE_BYTES closes the socket (1009); a document refused by `refusalOf` is answered with an `error`
 * message for its operation id, as GraphQL over WebSocket answers a failed operation, and never reaches Mercurius.
 * The WebSocket server is registered here, before Mercurius (which then uses it rather than its own, unbounded
 * but for 1 MiB), and the screen is installed on its 'connection' event, which fires before Mercurius's handler takes
 * the socket, so no message can slip past it.
 */
export function screenLiveMessages(fastify: FastifyInstance, maxTokens: number): void {
  void fastify.register(fastifyWebsocket, { options: { maxPayload: MAX_LIVE_MESSAGE_BYTES } });
  fastify.addHook('onReady', async () => {
    const server = (fastify as unknown as { websocketServer: WebSocketServerLike }).websocketServer;
    server.on('connection', (socket) => {
      const emit = socket.emit;
      socket.emit = function (this: ScreenedSocket, event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'message') {
          const refusal = refusalOf(String(args[0]), maxTokens);
          if (refusal) {
            socket.send(JSON.stringify({ id: refusal.id, type: 'error', payload: [refusal.error] }));
            return true;
          }
        }
        return emit.call(this, event, ...args);
      };
    });
  });
}
