import WebSocket from 'ws';
import { edgeSettings } from '../../src/config/edge-settings.js';
import { ChangeFeed, type UnitChange } from '../../src/live/change-feed.js';
import { StoryClient } from '../support/campaign-client.js';
import { UNIT_CHANGED, until } from '../support/live-client.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

const QUEUE_LIMIT = 100;

/**
 * A subscriber that stops reading: once its socket's buffers are full, updates wait for it on the server, at most
 * QUEUE_LIMIT of them; one more and the connection is closed (1013, "try again later") and what was held for it is
 * dropped. A subscriber that reads gets every update, even a burst larger than the limit.
 */
describe('a slow subscriber is disconnected, not buffered without end', () => {
  let sut: TestApp;
  let feed: ChangeFeed;
  let A: string;
  let version = 1000;
  const change = (): UnitChange => ({
    unitId: A,
    ancestors: [A],
    status: { unitId: A, phase: 'registered', activeStates: ['registered'], version: ++version, rulebookVersion: 1 },
  });

  beforeAll(async () => {
    sut = await startTestApp({ edge: { ...edgeSettings({}, false), subscriptionQueue: QUEUE_LIMIT } });
    feed = sut.app.get(ChangeFeed);
    A = await new StoryClient(sut, ADMIN).createUnit('甲县委', 'LEADERSHIP_BODY');
  });
  afterAll(() => sut.close());

  /** A raw graphql-transport-ws connection subscribed to A, acknowledged and started. */
  async function subscriber(
    query = UNIT_CHANGED,
  ): Promise<{ ws: WebSocket; received: () => number; closed: Promise<number> }> {
    const ws = new WebSocket(`${sut.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    let received = 0;
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.on('open', resolve));
    const acked = new Promise((resolve) =>
      ws.on('message', (data) => {
        const type = JSON.parse(String(data)).type;
        if (type === 'connection_ack') resolve(null);
        if (type === 'next') received++;
      }),
    );
    ws.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${sut.token({ sub: 'dash', role: 'AUDITOR', scopeUnitId: null })}` },
      }),
    );
    await acked;
    const before = feed.subscriberCount;
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { id: A } } }));
    await until(() => feed.subscriberCount > before, 'the subscription to start');
    return { ws, received: () => received, closed };
  }

  it('closes a connection that does not read once more than the limit waits; a reader gets everything', async () => {
    const reader = await subscriber();
    // large messages (the same field under 40 aliases), so that the operating system's buffers fill sooner
    const slow = await subscriber(
      `subscription($id: ID!) { unitChanged(unitId: $id) { ${Array.from({ length: 40 }, (_, i) => `s${i}: activeStates`).join(' ')} } }`,
    );
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // reads nothing from now on
    let published = 0;
    // small bursts until the slow one is dropped (the operating system's socket buffers take some MB first)
    while (feed.subscriberCount > 1 && published < 1_000_000) {
      for (let i = 0; i < QUEUE_LIMIT / 2; i++, published++) feed.deliver(change());
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(feed.subscriberCount).toBe(1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.closed).toBe(1013);
    await until(() => reader.received() === published, 'the reader to get every update');
    reader.ws.close();
    await until(() => feed.subscriberCount === 0, 'the reader to leave');
  });

  it('a reader that keeps up takes a burst of several times the limit', async () => {
    const reader = await subscriber();
    for (let i = 0; i < QUEUE_LIMIT * 5; i++) feed.deliver(change());
    await until(() => reader.received() === QUEUE_LIMIT * 5, 'the reader to get the burst');
    expect(feed.subscriberCount).toBe(1);
    // ten times the limit at once is more than the server holds for anyone
    const closed = reader.closed;
    for (let i = 0; i < QUEUE_LIMIT * 10 + 5; i++) feed.deliver(change());
    expect(await closed).toBe(1013);
    await until(() => feed.subscriberCount === 0, 'the reader to be dropped');
  });
});
