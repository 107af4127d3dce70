import WebSocket from 'ws';
import { edgeSettings, type EdgeSettings } from '../../src/config/edge-settings.js';
import { ChangeFeed } from '../../src/live/change-feed.js';
import { StoryClient } from '../support/campaign-client.js';
import { UNIT_CHANGED, until } from '../support/live-client.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

interface Peer {
  ws: WebSocket;
  messages: Array<{ id?: string; type: string; payload?: any }>;
  closed: Promise<number>;
  /** resolves with the connection_ack, or rejects when the socket is closed or refused first */
  acked: Promise<void>;
}

/**
 * The WebSocket edge holds the HTTP edge's rules: a subscription document is bounded (tokens, nesting, a string)
 * before anything parses it, a message's size is bounded, a connection holds a bounded number of subscriptions and a
 * principal a bounded number of connections, and refused `connection_init`s spend the address's budget of refusals.
 */
describe('the live-updates edge bounds what one client can make the server do', () => {
  let sut: TestApp;
  let feed: ChangeFeed;
  let A: string;
  const opened: WebSocket[] = [];

  async function start(edge: Partial<EdgeSettings>): Promise<void> {
    sut = await startTestApp({ edge: { ...edgeSettings({}, false), ...edge } });
    feed = sut.app.get(ChangeFeed);
    A = await new StoryClient(sut, ADMIN).createUnit('甲县委', 'LEADERSHIP_BODY');
  }

  function connect(sub: string | null = 'dash'): Peer {
    const ws = new WebSocket(`${sut.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    opened.push(ws);
    const messages: Peer['messages'] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const acked = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        messages.push(message);
        if (message.type === 'connection_ack') resolve();
      });
      ws.on('close', (code) => reject(new Error(`closed ${code}`)));
      ws.on('unexpected-response', (request, response) => {
        reject(new Error(`HTTP ${response.statusCode}`));
        request.destroy();
      });
      ws.on('error', () => undefined);
    });
    acked.catch(() => undefined);
    ws.on('open', () =>
      ws.send(
        JSON.stringify({
          type: 'connection_init',
          payload: {
            authorization:
              sub === null ? 'Bearer not-a-token' : `Bearer ${sut.token({ sub, role: 'AUDITOR', scopeUnitId: null })}`,
          },
        }),
      ),
    );
    return { ws, messages, closed, acked };
  }

  const subscribe = (peer: Peer, id: string, query: unknown = UNIT_CHANGED) =>
    peer.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables: { id: A } } }));

  const errorOf = async (peer: Peer, id: string) => {
    await until(() => peer.messages.some((m) => m.id === id && m.type === 'error'), `an error for ${id}`);
    return peer.messages.find((m) => m.id === id && m.type === 'error')!.payload[0];
  };

  afterEach(async () => {
    for (const ws of opened.splice(0)) ws.terminate();
    await sut?.close();
  });

  it('refuses an oversized or too deep subscription document before parsing it, and the connection goes on', async () => {
    await start({});
    const peer = connect();
    await peer.acked;
    // 30,000 tokens in under 64 KiB: unbounded, graphql-js would parse all of it, then validate it
    subscribe(peer, 'big', `subscription { unitChanged(unitId: "x") { ${'a '.repeat(30_000)}} }`);
    expect(await errorOf(peer, 'big')).toMatchObject({
      message: 'the document has more than 2000 tokens.',
      extensions: { code: 'DOCUMENT_TOO_COMPLEX' },
    });
    subscribe(peer, 'deep', `subscription { unitChanged(unitId: "x") ${'{a'.repeat(10_000)}${'}'.repeat(10_000)} }`);
    expect(await errorOf(peer, 'deep')).toMatchObject({
      message: 'the document nests deeper than 256 levels.',
      extensions: { code: 'DOCUMENT_TOO_COMPLEX' },
    });
    // a document sent as a JSON AST is never executed unparsed
    subscribe(peer, 'ast', { kind: 'Document', definitions: [] });
    expect(await errorOf(peer, 'ast')).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(feed.subscriberCount).toBe(0);
    subscribe(peer, 'fine');
    await until(() => feed.subscriberCount === 1, 'the valid subscription to start on the same connection');
  });

  it('closes a connection whose message is larger than 64 KiB (1009) without reading it', async () => {
    await start({});
    const peer = connect();
    await peer.acked;
    subscribe(peer, 'huge', `subscription { unitChanged(unitId: "${'x'.repeat(70 * 1024)}") { version } }`);
    expect(await peer.closed).toBe(1009);
    expect(peer.messages.filter((m) => m.type === 'error' || m.type === 'next')).toEqual([]);
  });

  it('a connection holds at most subscriptionsPerConnection subscriptions; completing one frees its place', async () => {
    await start({ subscriptionsPerConnection: 2 });
    const peer = connect();
    await peer.acked;
    subscribe(peer, '1');
    subscribe(peer, '2');
    await until(() => feed.subscriberCount === 2, 'two subscriptions');
    subscribe(peer, '3');
    expect(await errorOf(peer, '3')).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(feed.subscriberCount).toBe(2);
    peer.ws.send(JSON.stringify({ id: '1', type: 'complete' }));
    await until(() => feed.subscriberCount === 1, 'the completed one to end');
    subscribe(peer, '4');
    await until(() => feed.subscriberCount === 2, 'a new one in the freed place');
  });

  it('a second connection_init on a connection closes it (4429): limits cannot be reset by initialising again', async () => {
    await start({ subscriptionsPerConnection: 1 });
    const peer = connect();
    await peer.acked;
    subscribe(peer, '1');
    await until(() => feed.subscriberCount === 1, 'the subscription');
    peer.ws.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${sut.token({ sub: 'dash', role: 'AUDITOR', scopeUnitId: null })}` },
      }),
    );
    expect(await peer.closed).toBe(4429);
    await until(() => feed.subscriberCount === 0, 'its subscription to end with it');
  });

  it('a principal holds at most connectionsPerPrincipal open connections (4429 past it); another principal is not affected', async () => {
    await start({ connectionsPerPrincipal: 2 });
    const first = connect('dash');
    const second = connect('dash');
    await Promise.all([first.acked, second.acked]);
    const third = connect('dash');
    expect(await third.closed).toBe(4429);
    await connect('someone-else').acked;
    first.ws.close();
    await first.closed;
    await until(async () => {
      const again = connect('dash');
      return again.acked.then(
        () => true,
        () => false,
      );
    }, 'a place freed by the closed connection');
  });

  it('refused connection_inits spend the address budget: then the handshake and plain requests are answered 429', async () => {
    // the budget is per minute: start well inside one
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    await start({ anonymousPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect(await connect(null).closed).toBe(4403);
    await expect(connect(null).acked).rejects.toThrow('HTTP 429');
    await expect(connect('dash').acked).rejects.toThrow('HTTP 429');
    const plain = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(plain.status).toBe(429);
  });
});
