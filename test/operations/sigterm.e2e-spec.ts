import { request } from 'node:http';
import { signToken } from '../../src/auth/jwt.js';
import { createUnits, missingAcks, unverified, WriteLoad } from '../support/acknowledged-writes.js';
import {
  INSTANCE_JWT_SECRET,
  post,
  spawnInstance,
  useInstanceDatabase,
  type InstanceProcess,
} from '../support/instance-process.js';
import { ADMIN } from '../support/test-app.js';

/** A request whose headers are sent now and whose body only when `finish` is called: in flight meanwhile. */
function heldRequest(url: string, body: string): { finish(): void; answer: Promise<{ status: number; json: any }> } {
  const { hostname, port } = new URL(url);
  const req = request({
    host: hostname,
    port,
    path: '/graphql',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      authorization: `Bearer ${signToken(ADMIN, INSTANCE_JWT_SECRET)}`,
    },
  });
  const answer = new Promise<{ status: number; json: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (t: string) => (text += t));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), answer };
}

describe('SIGTERM: stop taking requests, finish those in flight, close cleanly, exit 0', () => {
  const database = useInstanceDatabase('sigterm');

  it('a command in flight at SIGTERM is answered and committed; a new request meanwhile gets 503 UNAVAILABLE; exit 0', async () => {
    let instance: InstanceProcess | null = await spawnInstance({ databaseUrl: database.url });
    try {
      const [unitId] = await createUnits(instance.url, 1, '停机');
      const command = JSON.stringify({
        query: `mutation($i: FileStudyPlanInput!) { fileStudyPlan(input: $i) { __typename ... on EvidenceRecorded { eventSeq } } }`,
        variables: { i: { unitId, topics: ['在途命令'], plannedDays: 3 } },
      });
      const held = heldRequest(instance.url, command);
      // the instance counts it in flight (the health check itself is the other one)
      const inFlight = async () =>
        ((await (await fetch(`${instance!.url}/health/ready`)).json()) as any).info.requests.inFlight as number;
      while ((await inFlight()) < 2) await new Promise((r) => setTimeout(r, 10));

      instance.child.kill('SIGTERM');
      const output = () => instance!.output();
      while (!/SIGTERM: taking no new requests, finishing the \d+ in flight/.test(output()))
        await new Promise((r) => setTimeout(r, 10));
      expect(output()).toContain('finishing the 1 in flight');

      // a new request while draining: a typed, retryable refusal, and the connection is not kept
      const refused = await post<any>(instance.url, '{ serverTime }');
      expect(refused.status).toBe(503);
      expect(refused.body.errors).toEqual([
        { message: expect.stringContaining('shutting down'), extensions: { code: 'UNAVAILABLE' } },
      ]);

      held.finish();
      const answered = await held.answer;
      expect(answered).toEqual({
        status: 200,
        json: { data: { fileStudyPlan: { __typename: 'EvidenceRecorded', eventSeq: 1 } } },
      });
      expect(await instance.exited).toEqual({ code: 0, signal: null });
      expect(output()).toContain('stopped: every answered command is committed and the database is closed');

      instance = await spawnInstance({ databaseUrl: database.url });
      expect(await missingAcks(instance.url, [unitId], [{ unitId, seq: 1, marker: '在途命令' }])).toEqual([]);
      expect(await unverified(instance.url, [unitId])).toEqual([]);
    } finally {
      await instance?.kill();
    }
    // two instances start in each test: seconds each, more on a busy machine
  }, 240_000);

  it('under a steady load of writes: every acknowledged one is stored, the rest are 503 UNAVAILABLE or never reached it', async () => {
    let instance: InstanceProcess | null = await spawnInstance({ databaseUrl: database.url });
    try {
      const url = instance.url;
      const units = await createUnits(url, 4, '负载停机');
      const load = new WriteLoad(() => url, units, 'sigterm');
      load.start(6);
      await load.until(() => load.acks.length >= 30);
      instance.child.kill('SIGTERM');
      expect(await instance.exited).toEqual({ code: 0, signal: null });
      await load.stop();
      // no other answer (no 500, no untyped 503). The load did meet the shutdown: some write was refused — 503 while
      // draining, the listener gone, or a request written on a kept-alive connection as the instance closed it, or on
      // a new one that raced the listener's close (never in flight: the first test shows those are answered). Which
      // of the three a run sees depends on timing; clients retry all of them.
      expect({
        other: load.counts.other,
        refused: load.counts.unavailable + load.counts.connectionRefused + load.counts.connectionLost > 0,
      }).toEqual({ other: 0, refused: true });

      instance = await spawnInstance({ databaseUrl: database.url });
      expect(await missingAcks(instance.url, units, load.acks)).toEqual([]);
      expect(await unverified(instance.url, units)).toEqual([]);
      process.stdout.write(
        `SIGTERM under load: exit 0, ${load.acks.length} acknowledged writes all stored; answers: ${JSON.stringify(load.counts)}\n`,
      );
    } finally {
      await instance?.kill();
    }
    // two instances start in each test: seconds each, more on a busy machine
  }, 240_000);
});
