import pg from 'pg';
import type { UnitChange } from '../../src/live/change-feed.js';
import { liveChannel, PgChangeListener } from '../../src/live/pg-change-listener.js';
import { until } from '../support/live-client.js';
import { TEST_DATABASE_URL, TEST_ON_POSTGRES } from '../support/test-database.js';

/** The one LISTEN connection of an instance, as /health/ready sees it. */
describe('the LISTEN connection of live updates', () => {
  it('a database that does not answer: the boot goes on, readiness says why, and it keeps trying', async () => {
    const listener = new PgChangeListener(
      'postgres://postgres@127.0.0.1:1/nothing',
      'lookback_live',
      () => undefined,
      async () => undefined,
    );
    await listener.start();
    await expect(listener.readiness()).rejects.toThrow(/LISTEN connection of live updates is down: .*ECONNREFUSED/);
    await listener.stop();
  });

  it('a channel name fits PostgreSQL identifiers, one per schema', () => {
    expect(liveChannel(null)).toBe('lookback_live');
    expect(liveChannel('province_a')).toBe('lookback_live_province_a');
    const long = liveChannel('x'.repeat(80));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long).not.toBe(liveChannel('y'.repeat(80)));
  });

  (TEST_ON_POSTGRES ? it : it.skip)(
    'hears NOTIFY on its channel; cut, it is reported down, reconnects and catches up',
    async () => {
      const channel = liveChannel(`spec_${process.pid}`);
      const received: UnitChange[] = [];
      let resyncs = 0;
      const listener = new PgChangeListener(
        TEST_DATABASE_URL,
        channel,
        (c) => received.push(c),
        async () => void resyncs++,
      );
      await listener.start();
      await expect(listener.readiness()).resolves.toEqual({ channel });
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      const change: UnitChange = { unitId: 'u', ancestors: ['u'], status: null };
      await admin.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(change)]);
      await admin.query('SELECT pg_notify($1, $2)', ['some_other_channel', JSON.stringify(change)]);
      await until(() => received.length === 1, 'the notification');
      expect(received).toEqual([change]);

      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1', [
        `LISTEN "${channel}"`,
      ]);
      await until(
        async () =>
          listener.readiness().then(
            () => false,
            () => true,
          ),
        'readiness to report it down',
      );
      await until(
        async () =>
          listener.readiness().then(
            () => true,
            () => false,
          ),
        'the connection to come back',
      );
      expect(resyncs).toBe(1);
      await admin.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(change)]);
      await until(() => received.length === 2, 'a notification after reconnecting');
      await admin.end();
      await listener.stop();
    },
  );
});
