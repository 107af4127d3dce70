import pg from 'pg';
import type { Principal } from '../../src/auth/principal.js';
import { ChangeFeed } from '../../src/live/change-feed.js';
import { liveChannel } from '../../src/live/pg-change-listener.js';
import { StoryClient } from '../support/campaign-client.js';
import { liveClient, LiveStream, UNIT_CHANGED, until, type LiveClient } from '../support/live-client.js';
import { TEST_DATABASE_URL, TEST_ON_POSTGRES } from '../support/test-database.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Two instances on one PostgreSQL: a command sent to one reaches a subscriber of the other, through NOTIFY (sent in the
 * command's transaction) and each instance's one LISTEN connection; that connection is in /health/ready and comes back
 * by itself, and what was committed while it was down still reaches the subscribers. (SQLite is one process: its
 * updates never leave it, test/live/unit-changed.e2e-spec.ts.)
 */
(TEST_ON_POSTGRES ? describe : describe.skip)('live updates across instances on PostgreSQL', () => {
  let one: TestApp;
  let two: TestApp;
  let adminOfTwo: StoryClient;
  let A: string;
  const clients: LiveClient[] = [];
  const WATCHER: Principal = { sub: 'watcher', role: 'AUDITOR', scopeUnitId: null };
  const watchOn = async (app: TestApp, unitId: string) => {
    const feed = app.app.get(ChangeFeed);
    const before = feed.subscriberCount;
    const client = liveClient(app.url, { authorization: `Bearer ${app.token(WATCHER)}` });
    clients.push(client);
    const stream = new LiveStream(client.client, UNIT_CHANGED, { id: unitId });
    await until(() => feed.subscriberCount > before, 'the subscription to start');
    return stream;
  };
  const ready = async (app: TestApp) => {
    const response = await fetch(`${app.url}/health/ready`);
    return {
      status: response.status,
      body: (await response.json()) as { info?: Record<string, unknown>; error?: Record<string, unknown> },
    };
  };

  beforeAll(async () => {
    one = await startTestApp();
    // the second instance on the first one's schema
    two = await startTestApp({ database: one.config.database });
    adminOfTwo = new StoryClient(two, ADMIN);
    A = await adminOfTwo.createUnit('甲县委', 'LEADERSHIP_BODY');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await two.close();
    await one.close();
  });

  it('a subscriber on one instance gets the command sent to the other, once, after its commit', async () => {
    const onOne = await watchOn(one, A);
    const onTwo = await watchOn(two, A);
    const v = (await adminOfTwo.status(A)).version;
    await adminOfTwo.ok('fileStudyPlan', { unitId: A, topics: ['党章'], plannedDays: 3 });
    expect((await onOne.next()).unitChanged).toMatchObject({ unitId: A, version: v + 1 });
    expect((await onTwo.next()).unitChanged).toMatchObject({ unitId: A, version: v + 1 });
    await adminOfTwo.sendOk(A, 'LAUNCH');
    expect((await onOne.next()).unitChanged).toMatchObject({ phase: 'stage1', version: v + 2 });
    expect(onOne.values).toHaveLength(2);
    onOne.stop();
    onTwo.stop();
  });

  it('/health/ready reports the LISTEN connection; it reconnects by itself and catches up on what it missed', async () => {
    const before = await ready(one);
    expect(before.status).toBe(200);
    expect(before.body.info!.liveUpdates).toMatchObject({
      status: 'up',
      channel: liveChannel(one.config.database.type === 'postgres' ? one.config.database.schema : null),
    });
    const stream = await watchOn(one, A);
    const v = (await adminOfTwo.status(A)).version;

    // an operator (or a failover) cuts instance one's LISTEN connection; instance two keeps taking commands
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const channel = liveChannel(one.config.database.type === 'postgres' ? one.config.database.schema : null);
    const listeners = await admin.query('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`]);
    expect(listeners.rows).toHaveLength(2); // one per instance
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid = ANY($2::int[])',
      [`LISTEN "${channel}"`, listeners.rows.map((r) => r.pid)],
    );
    await admin.end();
    await adminOfTwo
      .session(A, 'CONCENTRATED')
      .catch(() => adminOfTwo.ok('recordFilmScreening', { unitId: A, title: '焦裕禄', occurredAt: adminOfTwo.now() }));

    // the update committed while the connections were down still arrives (from the catch-up if not from NOTIFY)
    expect((await stream.next()).unitChanged.version).toBe(v + 1);
    await until(
      async () => (await ready(one)).status === 200 && (await ready(two)).status === 200,
      'both LISTEN connections to be back',
    );
    await adminOfTwo.ok('recordFilmScreening', { unitId: A, title: '焦裕禄', occurredAt: adminOfTwo.now() });
    expect((await stream.next()).unitChanged.version).toBe(v + 2);
    expect(stream.values).toHaveLength(2);
    stream.stop();
  });
});
