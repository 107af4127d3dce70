import http from 'node:http';
import WebSocket from 'ws';
import type { Principal } from '../../src/auth/principal.js';
import { OUT_OF_SCOPE } from '../../src/commands/access.js';
import { CommandListeners } from '../../src/commands/command-listeners.js';
import { ChangeFeed } from '../../src/live/change-feed.js';
import { startStory, type StoryClient } from '../support/campaign-client.js';
import { liveClient, LiveStream, UNIT_CHANGED, until, type LiveClient } from '../support/live-client.js';
import type { TestApp } from '../support/test-app.js';

/**
 * Live updates as a dashboard uses them: graphql-ws (graphql-transport-ws) on /graphql, the bearer token in
 * connection_init. The tree: province P → counties A and B. Every "none" is proven without waiting: updates arrive in
 * commit order, so the first one after a refusal (or a rollback) is the next accepted command's.
 */
describe('unitChanged: live updates over graphql-ws', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let feed: ChangeFeed;
  let P: string;
  let A: string;
  let B: string;
  const clients: LiveClient[] = [];
  const connect = (as: Principal | null, params?: Record<string, unknown>) => {
    const c = liveClient(sut.url, params ?? (as ? { authorization: `Bearer ${sut.token(as)}` } : {}));
    clients.push(c);
    return c;
  };
  const WATCHER: Principal = { sub: 'watcher', role: 'AUDITOR', scopeUnitId: null };
  const OFFICER_A: Principal = { sub: 'officer-a', role: 'OFFICER', scopeUnitId: null };
  /** Subscribes, and waits until the server has the subscription (it sends no acknowledgement of its own). */
  const streams: LiveStream[] = [];
  const watch = async (unitId: string, as: Principal = WATCHER) => {
    const before = feed.subscriberCount;
    const stream = new LiveStream(connect(as).client, UNIT_CHANGED, { id: unitId });
    streams.push(stream);
    await until(() => feed.subscriberCount > before || stream.error !== null, 'the subscription to start');
    return stream;
  };
  const plan = (unitId: string) => admin.ok('fileStudyPlan', { unitId, topics: ['党章'], plannedDays: 3 });

  beforeAll(async () => {
    ({ sut, admin } = await startStory());
    feed = sut.app.get(ChangeFeed);
    P = await admin.createUnit('省委', 'LEADERSHIP_BODY');
    A = await admin.createUnit('甲县委', 'LEADERSHIP_BODY', P);
    B = await admin.createUnit('乙县委', 'LEADERSHIP_BODY', P);
    OFFICER_A.scopeUnitId = A;
    await plan(P);
    await admin.sendOk(P, 'LAUNCH');
  });
  // each test starts with no subscription left on the server
  afterEach(async () => {
    streams.splice(0).forEach((s) => s.stop());
    await until(() => feed.subscriberCount === 0, 'the subscriptions of the test to end');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await sut.close();
  });

  it('a subscriber with a token gets the status after each accepted command, in order, on its unit only', async () => {
    const stream = await watch(A);
    await plan(B);
    const v = (await admin.status(A)).version;
    await plan(A);
    expect(await stream.next()).toEqual({
      unitChanged: { unitId: A, phase: 'registered', activeStates: ['registered'], version: v + 1, rulebookVersion: 1 },
    });
    await admin.sendOk(A, 'LAUNCH');
    expect(await stream.next()).toMatchObject({ unitChanged: { unitId: A, phase: 'stage1', version: v + 2 } });
    stream.stop();
  });

  it('a refused command sends nothing', async () => {
    const stream = await watch(A);
    const v = (await admin.status(A)).version;
    expect((await admin.send(A, 'CONCLUDE_LOOKBACK')).__typename).toBe('NotAllowedInState');
    expect((await admin.send(A, 'LAUNCH', { expectedVersion: v - 1 })).__typename).toBe('VersionConflict');
    await admin.session(A, 'CONCENTRATED');
    expect((await stream.next()).unitChanged.version).toBe(v + 1);
    stream.stop();
  });

  it('nothing is sent before the commit: a command whose transaction rolls back sends nothing', async () => {
    let failNext = true;
    // a read model that fails after the command was accepted: the whole transaction rolls back
    sut.app.get(CommandListeners).register({
      accepted: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('a read model failed');
        }
      },
    });
    const stream = await watch(A);
    const v = (await admin.status(A)).version;
    const failed = await admin.mutate('recordFilmScreening', { unitId: A, title: '焦裕禄', occurredAt: admin.now() });
    expect(failed.__typename).toBe('GraphQLError');
    expect((await admin.status(A)).version).toBe(v);
    await admin.ok('recordFilmScreening', { unitId: A, title: '焦裕禄', occurredAt: admin.now() });
    expect((await stream.next()).unitChanged.version).toBe(v + 1);
    stream.stop();
  });

  it('a unit outside the scope is refused as a missing one is, and never delivered', async () => {
    const outside = new LiveStream(connect(OFFICER_A).client, UNIT_CHANGED, { id: B });
    const missing = new LiveStream(connect(OFFICER_A).client, UNIT_CHANGED, {
      id: '01900000-0000-7000-8000-000000000000',
    });
    const [e1, e2] = (await Promise.all([outside.failure(), missing.failure()])) as {
      message: string;
      extensions: { code: string };
    }[][];
    expect(e1).toEqual(e2);
    expect(e1[0]).toMatchObject({ message: OUT_OF_SCOPE, extensions: { code: 'FORBIDDEN' } });
    // a principal of the whole tree is told plainly
    const none = new LiveStream(connect(WATCHER).client, UNIT_CHANGED, { id: '01900000-0000-7000-8000-000000000000' });
    expect(((await none.failure()) as { extensions: { code: string } }[])[0].extensions.code).toBe('NOT_FOUND');

    // scope is checked for every update, not only at subscribe: an update whose unit is not (or no longer) under the
    // officer's scope is not sent to the officer, while a whole-tree subscriber gets it
    const officer = await watch(A, OFFICER_A);
    const auditor = await watch(A);
    const status = await admin.status(A);
    feed.deliver({
      unitId: A,
      ancestors: [P, B],
      status: { unitId: A, ...status, version: status.version + 100, rulebookVersion: 1 },
    });
    expect((await auditor.next()).unitChanged.version).toBe(status.version + 100);
    feed.deliver({
      unitId: A,
      ancestors: [P, A],
      status: { unitId: A, ...status, version: status.version + 101, rulebookVersion: 1 },
    });
    expect((await officer.next()).unitChanged.version).toBe(status.version + 101);
    officer.stop();
    auditor.stop();
  });

  it('a connection without a valid token is closed (4403) before any subscription', async () => {
    for (const params of [
      {},
      { authorization: 'Bearer not-a-token' },
      { authorization: `Bearer ${sut.token(WATCHER)}x` },
    ]) {
      const live = connect(null, params);
      const stream = new LiveStream(live.client, UNIT_CHANGED, { id: A });
      expect(await stream.failure()).toMatchObject({ code: 4403 });
    }
    // the token may also come as headers.authorization or as token
    for (const params of [
      { headers: { authorization: `Bearer ${sut.token(WATCHER)}` } },
      { token: sut.token(WATCHER) },
    ]) {
      const before = feed.subscriberCount;
      const stream = new LiveStream(connect(null, params).client, UNIT_CHANGED, { id: A });
      await until(() => feed.subscriberCount > before || stream.error !== null, 'the subscription to start');
      expect({ params, error: stream.error }).toEqual({ params, error: null });
      stream.stop();
      await until(() => feed.subscriberCount === before, 'the subscription to end');
    }
  });

  it('the HTTP gate lets only a real WebSocket handshake through without a token', async () => {
    const port = new URL(sut.url).port;
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path: '/graphql?query=%7B__typename%7D', headers },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await status({})).toBe(401);
    expect(await status({ upgrade: 'websocket' })).toBe(401);
    // a handshake with an unknown subprotocol is closed by the server (1002), never answered with data
    const ws = new WebSocket(`${sut.url.replace('http', 'ws')}/graphql`, 'nonsense');
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1002);
  });

  it('subscription documents are validated like HTTP ones; queries and mutations stay on HTTP', async () => {
    const live = connect(WATCHER);
    const unknownField = new LiveStream(
      live.client,
      'subscription($id: ID!) { unitChanged(unitId: $id) { nonsense } }',
      { id: A },
    );
    expect(JSON.stringify(await unknownField.failure())).toMatch(/nonsense/);
    const deep = new LiveStream(live.client, `subscription { ${'a { '.repeat(20)}b${' }'.repeat(20)} }`, {});
    expect(await deep.failure()).toBeTruthy();
    const query = new LiveStream(live.client, '{ serverTime }', {});
    expect(JSON.stringify(await query.failure())).toMatch(/subscription|operation/i);
  });

  it('ending a subscription, or the connection, frees it on the server', async () => {
    const live = connect(WATCHER);
    const one = new LiveStream(live.client, UNIT_CHANGED, { id: A });
    const two = new LiveStream(live.client, UNIT_CHANGED, { id: B });
    await until(() => feed.subscriberCount === 2, 'both subscriptions to start');
    one.stop();
    await until(() => feed.subscriberCount === 1, 'one to end');
    await live.dispose();
    await until(() => feed.subscriberCount === 0, 'the connection to end');
    expect(two.values).toEqual([]);
  });
});
