import type { Database } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ON_POSTGRES } from '../support/test-database.js';
import { CampaignClient } from '../support/campaign-client.js';

const PLAN = `mutation($i: FileStudyPlanInput!) { fileStudyPlan(input: $i) { __typename ... on EvidenceRecorded { eventSeq } ... on ErrorResult { errorCode } } }`;
const VERIFY = `query($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents problem } }`;

/**
 * The disk fills up under SQLite. Simulated with SQLite's own size limit (PRAGMA max_page_count on the writing
 * connection: the database may not grow past the pages it has), which fails writes exactly as a full disk does
 * (SQLITE_FULL); raising it again is the space coming back.
 */
(TEST_ON_POSTGRES ? describe.skip : describe)('SQLite on a full disk', () => {
  let sut: TestApp;
  let writer: Database;
  let units: string[];
  const acknowledged = new Map<string, number>();

  beforeAll(async () => {
    sut = await startTestApp();
    writer = (sut.app.get(DataSource).driver as unknown as { databaseConnection: Database }).databaseConnection;
    const client = new CampaignClient(sut, ADMIN);
    units = [await client.createUnit('满盘村甲', 'GRASSROOTS'), await client.createUnit('满盘村乙', 'GRASSROOTS')];
  });
  afterAll(() => sut.close());

  let n = 0;
  async function write(unitId: string, idempotencyKey?: string) {
    const res = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.token(ADMIN)}` },
      body: JSON.stringify({
        query: PLAN,
        variables: {
          i: { unitId, topics: [`学习专题${++n}：${'为民务实清廉'.repeat(20)}`], plannedDays: 2, idempotencyKey },
        },
      }),
    });
    const body = (await res.json()) as any;
    if (body.data?.fileStudyPlan?.__typename === 'EvidenceRecorded')
      acknowledged.set(unitId, body.data.fileStudyPlan.eventSeq);
    return { status: res.status, body };
  }

  const version = async (id: string) => (await new CampaignClient(sut, ADMIN).status(id)).version;

  it('writes are refused with STORAGE_FULL (503), nothing of them stored; reads keep working; writes resume when space returns', async () => {
    await write(units[0]);
    await write(units[1]);
    // no more pages than the database has now: the free ones inside are used up first, then every write fails
    writer.pragma(`max_page_count = ${writer.pragma('page_count', { simple: true }) as number}`);
    let refused: { status: number; body: any } | null = null;
    for (let i = 0; i < 5000 && !refused; i++) {
      const answer = await write(units[i % 2]);
      if (!answer.body.data) refused = answer;
    }
    expect(refused).toEqual({
      status: 503,
      body: {
        data: null,
        errors: [
          expect.objectContaining({
            message: expect.stringContaining('no room left'),
            extensions: { code: 'STORAGE_FULL' },
          }),
        ],
      },
    });

    // while full: several writes at once (one group commit) are all refused, with a key that is not used up
    const together = await Promise.all([
      write(units[0], 'after-the-disk-is-freed'),
      write(units[1]),
      write(units[0]),
      write(units[1]),
    ]);
    expect(together.map((a) => a.body.errors?.[0]?.extensions?.code)).toEqual([
      'STORAGE_FULL',
      'STORAGE_FULL',
      'STORAGE_FULL',
      'STORAGE_FULL',
    ]);

    // reads work, and the stored state is exactly the acknowledged writes: nothing half-written
    for (const id of units) {
      expect(await version(id)).toBe(acknowledged.get(id));
      expect((await sut.gql(VERIFY, { id })).data!.verifyHistory).toEqual({
        ok: true,
        checkedEvents: acknowledged.get(id),
        problem: null,
      });
    }

    // the space comes back: writes resume on the same instance, and the refused key now takes effect once
    writer.pragma('max_page_count = 1073741823');
    const resumed = await write(units[0], 'after-the-disk-is-freed');
    expect(resumed.body.data.fileStudyPlan).toEqual({
      __typename: 'EvidenceRecorded',
      eventSeq: acknowledged.get(units[0]),
    });
    expect(await version(units[0])).toBe(acknowledged.get(units[0]));
    for (const id of units) expect((await sut.gql(VERIFY, { id })).data!.verifyHistory.ok).toBe(true);
  });
});
