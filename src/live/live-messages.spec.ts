import type { FastifyInstance } from 'fastify';
import { MAX_NESTING } from '../graphql/document-scan.js';
import { MAX_LIVE_MESSAGE_BYTES, refusalOf, screenLiveMessages } from './live-messages.js';

/**
 * The screen in front of Mercurius on the live-updates socket: which messages it refuses (a document that is not a
 * string, or over the token or nesting limit), which it lets through untouched (anything else: Mercurius answers it),
 * and how a refusal is answered on the socket.
 */
const MAX_TOKENS = 10;
const message = (value: unknown) => JSON.stringify(value);
const subscribe = (query: unknown, type = 'subscribe') => message({ id: 'op-1', type, payload: { query } });
const FITS = 'subscription { unitChanged { id } }'; // 8 tokens

describe('refusalOf: the verdict on one WebSocket message', () => {
  it('lets a document within the limits through, in both protocols (subscribe, and the older start)', () => {
    expect(refusalOf(subscribe(FITS), MAX_TOKENS)).toBeNull();
    expect(refusalOf(subscribe(FITS, 'start'), MAX_TOKENS)).toBeNull();
    // a Buffer, as the socket hands it over, is read as its text
    expect(refusalOf(Buffer.from(subscribe(FITS)), MAX_TOKENS)).toBeNull();
  });

  it('leaves to Mercurius what carries no document: not JSON, not an object, no type, another type', () => {
    for (const data of [
      '{not json',
      'null',
      '3',
      '"subscribe"',
      message({ id: 'x', payload: { query: 1 } }),
      message({ id: 'x', type: 7, payload: { query: 1 } }),
      message({ type: 'connection_init', payload: { authorization: 'Bearer x' } }),
      message({ id: 'x', type: 'complete' }),
      message({ type: 'ping', payload: { query: 1 } }),
    ])
      expect(refusalOf(data, MAX_TOKENS)).toBeNull();
  });

  it('refuses a document that is not a string, answering for the operation id as sent', () => {
    const expected = (id: unknown) => ({
      id,
      error: {
        message: 'payload.query must be a GraphQL document string.',
        extensions: { code: 'BAD_USER_INPUT' },
      },
    });
    expect(refusalOf(subscribe({ kind: 'Document', definitions: [] }), MAX_TOKENS)).toStrictEqual(expected('op-1'));
    expect(refusalOf(subscribe(null, 'start'), MAX_TOKENS)).toStrictEqual(expected('op-1'));
    expect(refusalOf(message({ id: 'op-2', type: 'subscribe' }), MAX_TOKENS)).toStrictEqual(expected('op-2'));
    expect(refusalOf(message({ id: 3, type: 'subscribe', payload: null }), MAX_TOKENS)).toStrictEqual(expected(3));
    expect(refusalOf(message({ id: 'op-4', type: 'subscribe', payload: 'query' }), MAX_TOKENS)).toStrictEqual(
      expected('op-4'),
    );
  });

  it('refuses a document over the token limit, and one nested past the nesting limit', () => {
    expect(refusalOf(subscribe('{ a b c d e f g h }'), MAX_TOKENS)).toBeNull(); // exactly 10 tokens
    expect(refusalOf(subscribe('{ a b c d e f g h i }'), MAX_TOKENS)).toStrictEqual({
      id: 'op-1',
      error: { message: 'the document has more than 10 tokens.', extensions: { code: 'DOCUMENT_TOO_COMPLEX' } },
    });
    const deep = `{ a${' (b: ['.repeat(MAX_NESTING)}`;
    expect(refusalOf(subscribe(deep), 100_000)).toStrictEqual({
      id: 'op-1',
      error: {
        message: `the document nests deeper than ${MAX_NESTING} levels.`,
        extensions: { code: 'DOCUMENT_TOO_COMPLEX' },
      },
    });
  });
});

describe('screenLiveMessages: the screen on every connection', () => {
  /** A Fastify instance and WebSocket server of the parts the screen uses, and one connected socket. */
  function screened() {
    const registered: unknown[] = [];
    const ready: (() => Promise<void>)[] = [];
    const connection: ((socket: never) => void)[] = [];
    const fastify = {
      register: (plugin: unknown, options: unknown) => (registered.push(options), Promise.resolve()),
      addHook: (name: string, hook: () => Promise<void>) => {
        expect(name).toBe('onReady');
        ready.push(hook);
      },
      websocketServer: {
        on: (event: string, listener: (socket: never) => void) => (
          expect(event).toBe('connection'),
          connection.push(listener)
        ),
      },
    };
    screenLiveMessages(fastify as unknown as FastifyInstance, MAX_TOKENS);
    const handled: unknown[][] = [];
    const sent: unknown[] = [];
    const socket = {
      emit(this: unknown, ...args: unknown[]) {
        expect(this).toBe(socket);
        handled.push(args);
        return false;
      },
      send: (data: string) => void sent.push(JSON.parse(data)),
    };
    return { registered, ready, connection, socket, handled, sent };
  }

  it('registers the WebSocket server with the message size limit, and screens only once the server is ready', async () => {
    const { registered, ready, connection } = screened();
    expect(registered).toEqual([{ options: { maxPayload: MAX_LIVE_MESSAGE_BYTES } }]);
    expect(MAX_LIVE_MESSAGE_BYTES).toBe(65_536);
    expect(connection).toHaveLength(0);
    await ready[0]();
    expect(connection).toHaveLength(1);
  });

  it('answers a refused document with an error message for its operation id; Mercurius never sees it', async () => {
    const { ready, connection, socket, handled, sent } = screened();
    await ready[0]();
    connection[0](socket as never);
    expect(socket.emit('message', Buffer.from(subscribe('{ a b c d e f g h i }')), false)).toBe(true);
    expect(handled).toEqual([]);
    expect(sent).toEqual([
      {
        id: 'op-1',
        type: 'error',
        payload: [{ message: 'the document has more than 10 tokens.', extensions: { code: 'DOCUMENT_TOO_COMPLEX' } }],
      },
    ]);
  });

  it('hands every other message and every other event to the socket’s own handlers, as they came', async () => {
    const { ready, connection, socket, handled, sent } = screened();
    await ready[0]();
    connection[0](socket as never);
    const fine = Buffer.from(subscribe(FITS));
    expect(socket.emit('message', fine, false)).toBe(false);
    expect(socket.emit('close', 1000, 'bye')).toBe(false);
    expect(socket.emit('pong', subscribe('{ a b c d e f g h i }'))).toBe(false);
    expect(handled).toEqual([
      ['message', fine, false],
      ['close', 1000, 'bye'],
      ['pong', subscribe('{ a b c d e f g h i }')],
    ]);
    expect(sent).toEqual([]);
  });
});
