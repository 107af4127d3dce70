import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createUnits, missingAcks, unverified, WriteLoad } from '../support/acknowledged-writes.js';
import { INSTANCE_JWT_SECRET, post } from '../support/instance-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DATABASE_URL, TEST_ON_POSTGRES } from '../support/test-database.js';

const DRIVER_WORDS = /ECONN|terminated|socket|timeout exceeded|Client has|57P|08\d{3}|pg_|postgres/i;

/** PostgreSQL out of reach under load (the network to it cut by a proxy; the shared server itself is left alone). */
(TEST_ON_POSTGRES ? describe : describe.skip)('PostgreSQL unavailable under load', () => {
  const schema = `t_unavail_${randomBytes(4).toString('hex')}`;
  const target = new URL(TEST_DATABASE_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  let sut: TestApp;

  beforeAll(async () => {
    await proxy.start();
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(proxy.port);
    sut = await startTestApp({
      jwtSecret: INSTANCE_JWT_SECRET,
      production: true,
      database: { type: 'postgres', url: url.toString(), schema, poolSize: 4 },
    });
  });
  afterAll(async () => {
    await sut.close();
    await proxy.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('clients get a typed, retryable UNAVAILABLE (503, no driver message); the instance recovers without a restart; no acknowledged write is lost', async () => {
    const units = await createUnits(sut.url, 4, '断库');
    const load = new WriteLoad(() => sut.url, units, 'outage');
    load.start(6);
    try {
      await load.until(() => load.acks.length >= 20);

      proxy.cutOff();
      await load.until(() => load.counts.unavailable >= 20);
      // a read too
      const read = await post<any>(sut.url, 'query($id: ID!) { unit(id: $id) { status { version } } }', {
        id: units[0],
      });
      expect({ status: read.status, codes: read.body.errors?.map((e) => e.extensions?.code) }).toEqual({
        status: 503,
        codes: ['UNAVAILABLE'],
      });
      expect(read.body.errors![0].message).not.toMatch(DRIVER_WORDS);
      const ready = await fetch(`${sut.url}/health/ready`);
      expect(ready.status).toBe(503);

      proxy.restore();
      const before = load.acks.length;
      await load.until(() => load.acks.length >= before + 20);
      expect((await fetch(`${sut.url}/health/ready`)).status).toBe(200);
      await load.stop();

      expect({ other: load.counts.other, others: load.others }).toEqual({ other: 0, others: [] });
      expect(await missingAcks(sut.url, units, load.acks)).toEqual([]);
      expect(await unverified(sut.url, units)).toEqual([]);
      process.stdout.write(
        `PostgreSQL cut off: ${load.acks.length} acknowledged writes all stored, ${units.length} histories verify; answers: ${JSON.stringify(load.counts)}\n`,
      );
    } finally {
      await load.stop();
      proxy.restore();
    }
  });

  it('PostgreSQL ends every connection of the instance (as on a restart, 57P01), twice under load: it reconnects, no acknowledged write is lost', async () => {
    const units = await createUnits(sut.url, 3, '重启库');
    const load = new WriteLoad(() => sut.url, units, 'terminate');
    load.start(6);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    const adminErrors: string[] = [];
    admin.on('error', (e) => adminErrors.push(e.message));
    await admin.connect();
    try {
      for (let round = 0; round < 2; round++) {
        const before = load.acks.length;
        await load.until(() => load.acks.length >= before + 20);
        // only this instance's connections (those through the proxy): the shared server and other sessions are left alone
        const ended = await admin.query(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE client_port = ANY($1::int[])',
          [proxy.upstreamPorts()],
        );
        expect(ended.rows.length).toBeGreaterThan(0);
      }
      const before = load.acks.length;
      await load.until(() => load.acks.length >= before + 20);
      await load.stop();
      expect({ other: load.counts.other, others: load.others }).toEqual({ other: 0, others: [] });
      expect(await missingAcks(sut.url, units, load.acks)).toEqual([]);
      expect(await unverified(sut.url, units)).toEqual([]);
      expect(adminErrors).toEqual([]);
      process.stdout.write(
        `PostgreSQL ended the connections twice: ${load.acks.length} acknowledged writes all stored; answers: ${JSON.stringify(load.counts)}\n`,
      );
    } finally {
      await load.stop();
      await admin.end();
    }
  });
});
