/**
 * 查漏补缺: a county whose units stand at every phase under rulebook v1 is migrated to v2 — a dry run first, whose
 * report the real run repeats unit by unit; every history still verifies; a unit that met study under v1 without
 * the Lankao speech cannot ask for the look-back until it studies it; a unit whose stage is complete is untouched.
 */
import type { Principal } from '../../src/auth/principal.js';
import { DAY, launch, startStory, studyEvidence, toLookBack, type StoryClient } from '../support/campaign-client.js';
import type { TestApp } from '../support/test-app.js';

const OFFICER: Principal = { sub: 'officer-zhao', role: 'OFFICER', scopeUnitId: null };
const SUPERVISOR: Principal = { sub: 'supervisor-sun', role: 'SUPERVISOR', scopeUnitId: null };
const AUDITOR: Principal = { sub: 'auditor-qian', role: 'AUDITOR', scopeUnitId: null };

const MIGRATE = `mutation($input: MigrateUnitsInput!) { migrateUnits(input: $input) {
  rootId toVersion dryRun units migrated alreadyOnVersion stage1Complete unitsWithGaps
  totals { code units }
  rows { unitId name kind phase fromVersion outcome gaps { code region required actual message } }
} }`;

describe('migrating a county from rulebook v1 to v2', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  const ids: Record<string, string> = {};
  let beforeMigration: string;

  const migrate = async (dryRun: boolean, as: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null }) => {
    const res = await sut.gql(MIGRATE, { input: { rootId: ids.county, toVersion: 2, dryRun } }, as);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.migrateUnits;
  };
  const gapsByName = (report: { rows: { name: string; gaps: { code: string }[] }[] }) =>
    Object.fromEntries(report.rows.map((r) => [r.name, r.gaps.map((g) => g.code)]));

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    ids.county = await admin.createUnit('兰考县直机关', 'DIRECT_UNIT');
    ids.registered = await admin.createUnit('未启动村', 'GRASSROOTS', ids.county);
    ids.studied = await admin.createUnit('学习村', 'GRASSROOTS', ids.county);
    ids.lookBack = await admin.createUnit('回头看协会', 'NON_PUBLIC_SOCIAL', ids.county);
    ids.complete = await admin.createUnit('完成协会', 'NON_PUBLIC_SOCIAL', ids.county);
    await launch(officer, ids.county);
    // met study under v1: a group discussion, the film and a lecture, none naming the Lankao speech
    await launch(officer, ids.studied);
    await studyEvidence(officer, ids.studied, 'GRASSROOTS');
    sut.clock.advanceDays(1);
    await officer.sendOk(ids.studied, 'COMPLETE_STUDY');
    await toLookBack(officer, ids.lookBack, 'NON_PUBLIC_SOCIAL');
    await toLookBack(officer, ids.complete, 'NON_PUBLIC_SOCIAL');
    for (const item of ['STUDY', 'LISTENING', 'COMBINED', 'STYLE']) {
      await supervisor.ok(
        'recordLookBackVerdict',
        { unitId: ids.complete, item, verdict: 'PASS', note: '好' },
        '... on VerdictRecorded { eventSeq }',
      );
    }
    await supervisor.sendOk(ids.complete, 'CONCLUDE_LOOKBACK');
    beforeMigration = sut.clock.now().toISOString();
    sut.clock.advanceDays(1);
  });
  afterAll(() => sut.close());

  it('a dry run reports unit by unit what each lacks under v2, and writes nothing', async () => {
    const versions = await Promise.all(Object.values(ids).map(async (id) => (await admin.status(id)).version));
    const report = await migrate(true);
    expect(report).toMatchObject({
      dryRun: true,
      units: 5,
      migrated: 4,
      alreadyOnVersion: 0,
      stage1Complete: 1,
      unitsWithGaps: 3,
    });
    expect(gapsByName(report)).toEqual({
      兰考县直机关: [
        'CONCENTRATED_DAYS_SHORT',
        'GROUP_DISCUSSION_MISSING',
        'FILM_MISSING',
        'REQUIRED_TOPICS_MISSING',
        'PROVINCE_ACTIVITY_MISSING',
        'OPINIONS_SHORT',
        'FACE_TO_FACE_SHARE_LOW',
        'FOUR_STYLES_SHARE_LOW',
        'NO_PROBLEM_IDENTIFIED',
        'SELF_ASSESSMENT_MISSING',
      ],
      未启动村: [],
      学习村: [
        'REQUIRED_TOPICS_MISSING',
        'OPINIONS_SHORT',
        'FACE_TO_FACE_SHARE_LOW',
        'FOUR_STYLES_SHARE_LOW',
        'NO_PROBLEM_IDENTIFIED',
        'SELF_ASSESSMENT_MISSING',
      ],
      回头看协会: ['REQUIRED_TOPICS_MISSING', 'SELF_ASSESSMENT_MISSING'],
      完成协会: ['REQUIRED_TOPICS_MISSING', 'SELF_ASSESSMENT_MISSING'],
    });
    const studied = report.rows.find((r: { name: string }) => r.name === '学习村');
    expect(studied.gaps[0]).toMatchObject({
      code: 'REQUIRED_TOPICS_MISSING',
      region: 'study',
      required: 'MASS_LINE_BASICS, LANKAO_SPEECH',
      actual: '0 of 2',
    });
    expect(report.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
      'WOULD_MIGRATE',
      'WOULD_MIGRATE',
      'WOULD_MIGRATE',
      'WOULD_MIGRATE',
      'STAGE1_COMPLETE',
    ]);
    // totals count the units that move; the completed one is reported, not counted
    expect(report.totals).toContainEqual({ code: 'REQUIRED_TOPICS_MISSING', units: 3 });
    expect(report.totals).toContainEqual({ code: 'SELF_ASSESSMENT_MISSING', units: 3 });
    expect(await Promise.all(Object.values(ids).map(async (id) => (await admin.status(id)).version))).toEqual(versions);
  });

  it('only admins migrate', async () => {
    const res = await sut.gql(MIGRATE, { input: { rootId: ids.county, toVersion: 2, dryRun: true } }, OFFICER);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = await sut.gql(
      MIGRATE,
      { input: { rootId: ids.county, toVersion: 9, dryRun: true } },
      { sub: 'admin', role: 'ADMIN', scopeUnitId: null },
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the real run reports exactly what the dry run did, and every history still verifies', async () => {
    const dry = await migrate(true);
    const real = await migrate(false);
    const outcome = (o: string) => (o === 'MIGRATED' ? 'WOULD_MIGRATE' : o);
    expect({
      ...real,
      dryRun: true,
      rows: real.rows.map((r: { outcome: string }) => ({ ...r, outcome: outcome(r.outcome) })),
    }).toEqual(dry);
    for (const id of Object.values(ids)) {
      const res = await sut.gql(
        `query($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents problem detail } }`,
        { id },
        AUDITOR,
      );
      expect([id, res.data!.verifyHistory]).toEqual([id, expect.objectContaining({ ok: true, problem: null })]);
    }
    expect((await admin.status(ids.studied)).rulebookVersion).toBe(2);
    const history = await admin.historyNodes(ids.studied);
    expect(history.at(-1)).toMatchObject({ type: 'RULEBOOK_MIGRATED', actor: 'admin', role: 'ADMIN' });
    expect(JSON.parse(history.at(-1)!.payload)).toMatchObject({ fromVersion: 1, toVersion: 2 });
  });

  it('the completed unit is untouched, and migrating again does nothing', async () => {
    expect(await admin.status(ids.complete)).toMatchObject({ phase: 'stage1Complete', rulebookVersion: 1 });
    expect((await admin.historyNodes(ids.complete)).some((e) => e.type === 'RULEBOOK_MIGRATED')).toBe(false);
    const again = await migrate(false);
    expect(again).toMatchObject({ migrated: 0, alreadyOnVersion: 4, stage1Complete: 1 });
  });

  it('the unit as of before the migration answers under v1', async () => {
    const res = await sut.gql(
      `query($id: ID!, $at: DateTime!) { unitAsOf(unitId: $id, at: $at) { phase rulebookVersion } }`,
      { id: ids.studied, at: beforeMigration },
      AUDITOR,
    );
    expect(res.data!.unitAsOf).toEqual({ phase: 'stage1', rulebookVersion: 1 });
  });

  it('the village that met study without the Lankao speech cannot request the look-back until it studies it', async () => {
    const village = ids.studied;
    await officer.opinions(village, 5, 5, 5);
    await officer.sendOk(village, 'COMPLETE_LISTENING');
    await officer.problem(village, false, { category: 'OTHER' });
    await officer.sendOk(village, 'COMPLETE_CORRECTING');
    sut.clock.advanceDays(10);
    const items = ['STUDY', 'LISTENING', 'COMBINED', 'STYLE'].map((item) => ({ item, rating: 'MET', text: '已完成' }));
    await officer.ok('fileSelfAssessment', { unitId: village, items });
    const blocked = await officer.send(village, 'REQUEST_LOOKBACK');
    expect(blocked.__typename).toBe('TransitionBlocked');
    expect(blocked.blockers.map((b: { code: string }) => b.code)).toEqual(['REQUIRED_TOPICS_MISSING']);
    const why = await officer.transitions(village);
    expect(why.find((t) => t.event === 'REQUEST_LOOKBACK')!.blockers.map((b) => b.code)).toEqual([
      'REQUIRED_TOPICS_MISSING',
    ]);
    await officer.ok('recordStudySession', {
      unitId: village,
      format: 'CONCENTRATED',
      occurredAt: officer.now(),
      hours: 3,
      attendees: 20,
      topics: ['LANKAO_SPEECH', 'MASS_LINE_BASICS'],
    });
    await officer.sendOk(village, 'REQUEST_LOOKBACK');
    const res = await sut.gql(
      `query($id: ID!) { verifyHistory(unitId: $id) { ok problem detail } }`,
      { id: village },
      AUDITOR,
    );
    expect(res.data!.verifyHistory).toMatchObject({ ok: true });
    expect(DAY).toBe(86_400_000);
  });

  it('the diagram answers for each version', async () => {
    const res = await sut.gql(
      `{ v1: machineDiagram(version: 1) v2: machineDiagram(version: 2) current: machineDiagram }`,
      {},
      AUDITOR,
    );
    expect(res.data!.current).toBe(res.data!.v1);
    expect(res.data!.v2).toContain('stateDiagram-v2');
    const none = await sut.gql(`{ machineDiagram(version: 7) }`, {}, AUDITOR);
    expect(none.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('reading the rulebooks', () => {
  let sut: TestApp;
  beforeAll(async () => {
    ({ sut } = await startStory());
  });
  afterAll(() => sut.close());

  it('lists v1 and v2, the current one first for new units, each document whole', async () => {
    const res = await sut.gql(
      `{ rulebooks { version ruleset current builtIn basedOn document } current: rulebook { version } v2: rulebook(version: 2) { document } }`,
      {},
      AUDITOR,
    );
    expect(
      res.data!.rulebooks.map((r: { version: number; ruleset: number; current: boolean }) => [
        r.version,
        r.ruleset,
        r.current,
      ]),
    ).toEqual([
      [1, 1, true],
      [2, 2, false],
    ]);
    expect(res.data!.current.version).toBe(1);
    expect(JSON.parse(res.data!.v2.document).supplement.kinds.GRASSROOTS.requiredTopics).toEqual([
      'MASS_LINE_BASICS',
      'LANKAO_SPEECH',
    ]);
    const none = await sut.gql(`{ rulebook(version: 5) { version } }`, {}, AUDITOR);
    expect(none.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
