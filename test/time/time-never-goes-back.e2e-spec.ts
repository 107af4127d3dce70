import { createApp } from '../../src/bootstrap.js';
import { behindTheServicesBack } from '../support/tamper.js';
import { ADMIN, startTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { testDatabase } from '../support/test-database.js';
import { signToken } from '../../src/auth/jwt.js';
import { eventHash } from '../../src/history/hash-chain.js';
import { EventStoreRepository } from '../../src/history/event-store.repository.js';

const AUDITOR = { sub: 'auditor', role: 'AUDITOR' as const, scopeUnitId: null };

async function createUnitWithPlan(sut: TestApp): Promise<string> {
  const created = await sut.gql(
    `mutation { createUnit(input: { name: "时间村", kind: GRASSROOTS }) { ... on UnitCreated { unit { id } } } }`,
  );
  const id = created.data!.createUnit.unit.id as string;
  const plan = await sut.gql(
    `mutation($id: ID!) { fileStudyPlan(input: { unitId: $id, topics: ["党章"], plannedDays: 3 }) { __typename } }`,
    { id },
  );
  expect(plan.data!.fileStudyPlan.__typename).toBe('EvidenceRecorded');
  return id;
}

const historyAts = async (sut: TestApp, id: string) =>
  (
    (await sut.gql(`query($id: ID!) { unit(id: $id) { history { edges { node { seq at } } } } }`, { id })).data!.unit
      .history.edges as { node: { at: string } }[]
  ).map((e) => Date.parse(e.node.at));

describe("a unit's events never go back in time", () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it("stamps an event at its previous event's time when the clock is behind it, and the history still verifies", async () => {
    const id = await createUnitWithPlan(sut);
    sut.clock.advanceDays(-3); // an instance whose clock is three days behind
    const launch = await sut.gql(
      `mutation($id: ID!) { sendEvent(input: { unitId: $id, event: "LAUNCH" }) { __typename } }`,
      { id },
    );
    expect(launch.data!.sendEvent.__typename).toBe('TransitionAccepted');
    const [plan, launched] = await historyAts(sut, id);
    expect(launched).toBe(plan);
    const verified = await sut.gql(`query($id: ID!) { verifyHistory(unitId: $id) { ok problem } }`, { id }, AUDITOR);
    expect(verified.data!.verifyHistory).toEqual({ ok: true, problem: null });
    sut.clock.advanceDays(3);
  });

  it('reports TIME_WENT_BACK for a history whose times decrease, even when every hash was recomputed', async () => {
    const id = await createUnitWithPlan(sut);
    sut.clock.advanceDays(1);
    await sut.gql(`mutation($id: ID!) { sendEvent(input: { unitId: $id, event: "LAUNCH" }) { __typename } }`, { id });
    // an intruder moves event 2 before event 1 and re-hashes it (it is the newest, so the chain still links)
    const store = sut.app.get(EventStoreRepository);
    const [first, second] = await store.events(id, 0, null);
    const forged = { ...second, at: first.at - 60_000 };
    const { hash: _old, ...fields } = forged;
    const hash = eventHash(fields);
    await behindTheServicesBack(sut.db, [
      { sql: 'UPDATE unit_events SET at = ?, hash = ? WHERE unit_id = ? AND seq = 2', params: [forged.at, hash, id] },
      { sql: 'UPDATE unit_states SET head_hash = ?, updated_at = ? WHERE unit_id = ?', params: [hash, forged.at, id] },
    ]);
    const verified = await sut.gql(
      `query($id: ID!) { verifyHistory(unitId: $id) { ok problem firstBrokenSeq } }`,
      { id },
      AUDITOR,
    );
    expect(verified.data!.verifyHistory).toEqual({ ok: false, problem: 'TIME_WENT_BACK', firstBrokenSeq: 2 });
  });

  it('serverTime answers the clock the gates see', async () => {
    const res = await sut.gql('{ serverTime }');
    expect(res.data!.serverTime).toBe(sut.clock.now().toISOString());
  });
});

describe('the test clock (time-travel mode) is one for every instance and survives a restart', () => {
  it('an advance made on one instance is seen by another and after a restart; an event never goes back', async () => {
    const database = testDatabase();
    const config = testConfig({ database: database.config, timeTravel: true });
    const start = async () => {
      const app = await createApp(config);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
      const gql = async (query: string, variables: Record<string, unknown> = {}) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${signToken(ADMIN, config.jwtSecret)}`,
          },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: any; errors?: unknown[] };
      };
      return { app, gql };
    };
    const one = await start();
    const two = await start();
    try {
      const before = Date.parse((await two.gql('{ serverTime }')).data.serverTime);
      const moved = Date.parse((await one.gql('mutation { advanceClock(days: 5) }')).data.advanceClock);
      expect(moved - before).toBeGreaterThanOrEqual(5 * 86_400_000);
      // a unit's first events on the instance that moved the clock, the next one at once on the other (its copy of
      // the offset may not have caught up yet): the history still never goes back
      const created = await one.gql(
        'mutation { createUnit(input: { name: "两地村", kind: GRASSROOTS }) { ... on UnitCreated { unit { id } } } }',
      );
      const id = created.data.createUnit.unit.id as string;
      await one.gql(
        'mutation($id: ID!) { fileStudyPlan(input: { unitId: $id, topics: ["党章"], plannedDays: 3 }) { __typename } }',
        { id },
      );
      const launched = await two.gql(
        'mutation($id: ID!) { sendEvent(input: { unitId: $id, event: "LAUNCH" }) { __typename } }',
        { id },
      );
      expect(launched.data.sendEvent.__typename).toBe('TransitionAccepted');
      const history = await two.gql('query($id: ID!) { unit(id: $id) { history { edges { node { at } } } } }', { id });
      const [plan, launch] = history.data.unit.history.edges.map((e: { node: { at: string } }) =>
        Date.parse(e.node.at),
      );
      expect(launch).toBeGreaterThanOrEqual(plan);
      expect(plan).toBeGreaterThanOrEqual(moved);

      await new Promise((resolve) => setTimeout(resolve, 1200)); // instances refresh the shared offset every second
      expect(Date.parse((await two.gql('{ serverTime }')).data.serverTime)).toBeGreaterThanOrEqual(moved);
      await two.app.close();
      const three = await start();
      expect(Date.parse((await three.gql('{ serverTime }')).data.serverTime)).toBeGreaterThanOrEqual(moved);
      await three.app.close();
    } finally {
      await one.app.close();
      await database.drop();
    }
  });
});
