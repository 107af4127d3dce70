import { createUnits, missingAcks, unverified, WriteLoad } from '../support/acknowledged-writes.js';
import { spawnInstance, useInstanceDatabase, type InstanceProcess } from '../support/instance-process.js';
import { TEST_ON_POSTGRES } from '../support/test-database.js';

/** 8 rounds in `npm test`; LOOKBACK_KILL_ROUNDS=50 for the full run. */
const ROUNDS = Number(process.env.LOOKBACK_KILL_ROUNDS ?? 8);

describe(`kill -9 of an instance under load, ${ROUNDS} rounds`, () => {
  const database = useInstanceDatabase('kill');

  it(
    'every acknowledged write is stored where its answer said, and every history verifies',
    async () => {
      let instance: InstanceProcess = await spawnInstance({ databaseUrl: database.url });
      let url = instance.url;
      const units = await createUnits(url, 6, '强杀');
      const load = new WriteLoad(() => url, units, 'kill');
      load.start(6);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          // killed after a varying number of answers, while the other clients' commands are in flight
          const target = load.acks.length + 5 + ((round * 7) % 23);
          await load.until(() => load.acks.length >= target);
          expect(await instance.kill()).toEqual({ code: null, signal: 'SIGKILL' });
          instance = await spawnInstance({ databaseUrl: database.url });
          url = instance.url;
        }
        await load.until(() => load.acks.length >= 1);
        await load.stop();
        expect({
          other: load.counts.other,
          others: load.others.filter((o) => !o.includes('CONNECTION_FAILED')),
        }).toEqual({ other: 0, others: [] });
        expect(load.acks.length).toBeGreaterThan(ROUNDS * 5);
        expect(await missingAcks(url, units, load.acks)).toEqual([]);
        expect(await unverified(url, units)).toEqual([]);
        // the figures of the run (docs/operations.md quotes a full one)
        process.stdout.write(
          `kill -9: ${ROUNDS} rounds on ${TEST_ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${load.acks.length} acknowledged writes all stored, ${units.length} histories verify; answers: ${JSON.stringify(load.counts)}\n`,
        );
      } finally {
        await load.stop();
        await instance.kill();
      }
      // each round starts a process (a few seconds, more on a busy machine)
    },
    120_000 + ROUNDS * 40_000,
  );
});
