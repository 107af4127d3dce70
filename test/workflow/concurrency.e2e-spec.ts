import type { TestApp } from '../support/test-app.js';
import { StoryClient, startStory } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-he', role: 'OFFICER', scopeUnitId: null } as const;
const N = 50;

describe('concurrency: 50 commands on one unit at once (SQLite and PostgreSQL)', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
  });
  afterAll(async () => {
    await sut.close();
  });

  const plan = (unitId: string, i: number, extra: Record<string, unknown> = {}) =>
    officer.mutate(
      'fileStudyPlan',
      { unitId, topics: [`专题 ${i}`], plannedDays: 1 + (i % 5), ...extra },
      '... on EvidenceRecorded { eventSeq status { version } }',
    );

  it('the same expectedVersion: exactly one accepted, 49 VersionConflict, never a raw error', async () => {
    const unit = await admin.createUnit('并发村', 'GRASSROOTS');
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => plan(unit, i, { expectedVersion: 0 })));
    expect(answers.filter((a) => a.__typename === 'GraphQLError')).toEqual([]);
    const won = answers.filter((a) => a.__typename === 'EvidenceRecorded');
    expect(won).toEqual([{ __typename: 'EvidenceRecorded', eventSeq: 1, status: { version: 1 } }]);
    const lost = answers.filter((a) => a.__typename === 'VersionConflict');
    expect(lost).toHaveLength(N - 1);
    expect(new Set(lost.map((a) => a.currentVersion))).toEqual(new Set([1]));
    const footprint = await officer.footprint(unit);
    expect(footprint.version).toBe(1);
    expect(footprint.historyLength).toBe(1);
    expect(footprint.attempts.map((a) => a.failure)).toEqual(Array(N - 1).fill('VERSION_CONFLICT'));
  });

  it('without expectedVersion: all 50 serialize, versions 1..50, no duplicate seq', async () => {
    const unit = await admin.createUnit('排队村', 'GRASSROOTS');
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => plan(unit, i)));
    expect(answers.filter((a) => a.__typename !== 'EvidenceRecorded')).toEqual([]);
    expect(answers.map((a) => a.status.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: N }, (_, i) => i + 1),
    );
    expect(answers.every((a) => a.eventSeq === a.status.version)).toBe(true);
    const history = await officer.historyNodes(unit);
    expect(history.map((e) => e.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(new Set(history.map((e) => JSON.parse(e.payload).topics[0])).size).toBe(N);
    expect((await officer.status(unit)).version).toBe(N);
  });

  it('the same idempotency key sent 20 times at once: one event, 20 identical answers', async () => {
    const unit = await admin.createUnit('重试村', 'GRASSROOTS');
    const answers = await Promise.all(Array.from({ length: 20 }, () => plan(unit, 7, { idempotencyKey: 'plan-once' })));
    expect(answers).toEqual(Array(20).fill({ __typename: 'EvidenceRecorded', eventSeq: 1, status: { version: 1 } }));
    expect((await officer.footprint(unit)).historyLength).toBe(1);
  });
});
