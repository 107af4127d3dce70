import { runAudit } from '../../src/cli/audit-command.js';
import type { TestApp } from '../support/test-app.js';
import { launch, startStory, toRegionsMet, type StoryClient } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-wang', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-zhao', role: 'SUPERVISOR', scopeUnitId: null } as const;

const ROLLUP = `unitId units launched progressIndex completedShare openFindings unitsWithOpenFindings reforgesBegun
  byPhase { phase count } byRegionState { state count } refusedStageEvents week: refusedStageEvents(sinceDays: 7)
  imbalance { spread uneven laggingChildren }`;

describe('rollups: a subtree counted exactly, in the transaction of every command that changes it', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  let province: string;
  let county: string;
  let township: string;
  let village: string;
  let firm: string;

  const rollup = async (unitId: string, as = admin) => {
    const res = await sut.gql(`query($id: ID!) { rollup(unitId: $id) { ${ROLLUP} } }`, { id: unitId }, as.as);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.rollup;
  };
  const phases = (r: { byPhase: { phase: string; count: number }[] }) =>
    Object.fromEntries(r.byPhase.map((p) => [p.phase, p.count]));
  const states = (r: { byRegionState: { state: string; count: number }[] }) =>
    Object.fromEntries(r.byRegionState.filter((s) => s.count > 0).map((s) => [s.state, s.count]));

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    province = await admin.createUnit('某省委', 'LEADERSHIP_BODY', null, 1);
    county = await admin.createUnit('某县委', 'LEADERSHIP_BODY', province, 1);
    township = await admin.createUnit('某镇', 'TOWNSHIP_STREET', county);
    village = await admin.createUnit('某村', 'GRASSROOTS', township);
    firm = await admin.createUnit('某公司党支部', 'NON_PUBLIC_SOCIAL', province);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('a new tree: every unit registered, nothing launched, progress 0; the unit counts itself', async () => {
    const top = await rollup(province);
    expect(top).toMatchObject({
      unitId: province,
      units: 5,
      launched: 0,
      progressIndex: 0,
      completedShare: 0,
      openFindings: 0,
      refusedStageEvents: 0,
    });
    expect(phases(top)).toEqual({ registered: 5, stage1: 0, lookBack: 0, reforging: 0, stage1Complete: 0 });
    expect(await rollup(village)).toMatchObject({
      units: 1,
      imbalance: { spread: 0, uneven: false, laggingChildren: [] },
    });
    expect((await rollup(county)).units).toBe(3);
  });

  it('stage events move the counts of the unit and every ancestor; evidence moves none', async () => {
    await launch(officer, province);
    const launched = await rollup(province);
    expect(launched).toMatchObject({ units: 5, launched: 1, progressIndex: 1 / 30 });
    expect(phases(launched)).toMatchObject({ registered: 4, stage1: 1 });
    expect(states(launched)).toEqual({ 'study.active': 1, 'listening.active': 1, 'correcting.active': 1 });

    await officer.session(province, 'CONCENTRATED');
    expect(await rollup(province)).toEqual(launched);

    // the firm meets its three regions: 4 points of 6, far ahead of its sibling the county (0)
    await toRegionsMet(officer, firm, 'NON_PUBLIC_SOCIAL');
    const met = await rollup(province);
    expect(met).toMatchObject({ launched: 2, progressIndex: (1 + 1 + 3) / 30 });
    expect(states(met)).toEqual({
      'study.active': 1,
      'listening.active': 1,
      'correcting.active': 1,
      'study.met': 1,
      'listening.met': 1,
      'correcting.met': 1,
    });
    expect(met.imbalance).toEqual({ spread: 4 / 6, uneven: true, laggingChildren: [county] });
    expect((await rollup(county)).launched).toBe(0);
  });

  it('findings open and close in every subtree that holds the unit', async () => {
    const issued = await supervisor.ok(
      'issueFinding',
      { unitId: firm, kind: 'COLD_ATMOSPHERE', note: '氛围不浓' },
      '... on FindingIssued { findingId }',
    );
    await supervisor.ok(
      'issueFinding',
      { unitId: firm, kind: 'SHALLOW_STUDY', note: '学习不深' },
      '... on FindingIssued { findingId }',
    );
    for (const id of [province, firm])
      expect(await rollup(id)).toMatchObject({ openFindings: 2, unitsWithOpenFindings: 1 });
    expect((await rollup(county)).openFindings).toBe(0);
    await supervisor.ok(
      'resolveFinding',
      { unitId: firm, findingId: issued.findingId, response: '已整改' },
      '... on FindingResolved { eventSeq }',
    );
    expect(await rollup(province)).toMatchObject({ openFindings: 1, unitsWithOpenFindings: 1 });
  });

  it('refused stage events count all time and per day: a window forgets them, the total does not', async () => {
    await officer.send(county, 'COMPLETE_STUDY'); // not launched: NOT_ALLOWED_IN_STATE
    await officer.send(county, 'LAUNCH'); // no study plan
    await officer.mutate('recordStudySession', {
      unitId: county,
      format: 'CONCENTRATED',
      occurredAt: officer.now(),
      hours: 2,
      attendees: 9,
    }); // not a stage event
    expect(await rollup(province)).toMatchObject({ refusedStageEvents: 2, week: 2 });
    expect(await rollup(county)).toMatchObject({ refusedStageEvents: 2, week: 2 });
    expect(await rollup(firm)).toMatchObject({ refusedStageEvents: 0 });
    sut.clock.advanceDays(7);
    expect(await rollup(province)).toMatchObject({ refusedStageEvents: 2, week: 0 });
  });

  it('children rollups are paged in the order of Unit.children, and Unit.rollup is the same rollup', async () => {
    const page = async (after: string | null) =>
      (
        await sut.gql(
          `query($id: ID!, $after: String) { rollup(unitId: $id) { children(first: 1, after: $after) { edges { node { unitId units } } pageInfo { hasNextPage endCursor } } } }`,
          { id: province, after },
        )
      ).data!.rollup.children;
    const first = await page(null);
    const second = await page(first.pageInfo.endCursor);
    expect([...first.edges, ...second.edges].map((e: { node: unknown }) => e.node)).toEqual([
      { unitId: county, units: 3 },
      { unitId: firm, units: 1 },
    ]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const viaUnit = await sut.gql(`query($id: ID!) { unit(id: $id) { rollup { ${ROLLUP} } } }`, { id: county });
    expect(viaUnit.data!.unit.rollup).toEqual(await rollup(county));
  });

  it('a scoped principal reads the rollups of its subtree only', async () => {
    const scoped = admin.withPrincipal({ sub: 'li', role: 'OFFICER', scopeUnitId: county }) as StoryClient;
    expect((await rollup(township, scoped)).units).toBe(2);
    const above = await sut.gql(`query($id: ID!) { rollup(unitId: $id) { units } }`, { id: province }, scoped.as);
    expect(above.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = await sut.gql(`query { rollup(unitId: "nope") { units } }`);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it("a new unit joins every ancestor's rollup at once", async () => {
    await admin.createUnit('新村', 'GRASSROOTS', township);
    expect((await rollup(province)).units).toBe(6);
    expect(phases(await rollup(township))).toMatchObject({ registered: 3 });
  });

  it('npm run audit -- verify-rollups recounts from the units: OK, then a tampered rollup is named with both numbers', async () => {
    const cli = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const db = sut.config.database;
      const url = db.type === 'sqlite' ? `sqlite:${db.path}` : `${db.url}?schema=${db.schema}`;
      const code = await runAudit(
        argv,
        { DATABASE_URL: url, LOOKBACK_AUDIT_KEY: sut.config.auditKey! },
        { out: (t) => (out += t), err: (t) => (err += t), tty: false },
      );
      return { code, out, err };
    };
    expect(await cli('verify-rollups')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^OK: 6 rollups recounted from the units in [\d.]+ s, 0 differences\n$/),
    });
    await sut.db.transaction((tx) => tx.run('UPDATE rollups SET stage1 = stage1 + 1 WHERE unit_id = ?', [county]));
    const tampered = await cli('verify-rollups', '--root', province);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain(`DIFFERS ${county} "某县委" stage1: stored 1, recounted 0`);
    expect((await cli('verify-rollups', '--root', firm)).code).toBe(0);
    expect((await cli('verify-rollups', '--root', 'nope')).code).toBe(2);
  });
  it("a wider page of children rollups: Unit.children's order, its cursors, its page ends", async () => {
    const root = await admin.createUnit('另一省委', 'LEADERSHIP_BODY', null, 1);
    const kids: string[] = [];
    for (const name of ['甲', '乙', '丙', '丁', '戊'])
      kids.push(await admin.createUnit(`${name}县委`, 'LEADERSHIP_BODY', root, 1));
    await admin.createUnit('丙县某镇', 'TOWNSHIP_STREET', kids[2]);
    const listed = await sut.gql(
      `query($id: ID!) { unit(id: $id) { children(first: 10) { edges { cursor node { id } } } } }`,
      {
        id: root,
      },
    );
    const order = listed.data!.unit.children.edges.map((e: { node: { id: string } }) => e.node.id);
    expect([...order].sort()).toEqual([...kids].sort());
    const page = async (first: number, after: string | null) =>
      (
        await sut.gql(
          `query($id: ID!, $first: Int, $after: String) { rollup(unitId: $id) { children(first: $first, after: $after) { edges { node { unitId units } } pageInfo { hasNextPage endCursor } } } }`,
          { id: root, first, after },
        )
      ).data!.rollup.children;
    const seen: { unitId: string; units: number }[] = [];
    const more: boolean[] = [];
    for (let after: string | null = null, next = true; next;) {
      const p = await page(2, after);
      seen.push(...p.edges.map((e: { node: { unitId: string; units: number } }) => e.node));
      more.push(p.pageInfo.hasNextPage);
      next = p.pageInfo.hasNextPage;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(order.map((id: string) => ({ unitId: id, units: id === kids[2] ? 2 : 1 })));
    expect(more).toEqual([true, true, false]);
    // a cursor of Unit.children continues this list too, and a page of 0 is empty
    const third = listed.data!.unit.children.edges[2].cursor;
    expect((await page(10, third)).edges.map((e: { node: { unitId: string } }) => e.node.unitId)).toEqual(
      order.slice(3),
    );
    expect(await page(0, null)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
