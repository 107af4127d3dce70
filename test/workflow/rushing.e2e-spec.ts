import type { TestApp } from '../support/test-app.js';
import {
  codes,
  DAY,
  launch,
  RULES,
  StoryClient,
  studyEvidence,
  toRegionsMet,
  startStory,
} from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-sun', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-zhou', role: 'SUPERVISOR', scopeUnitId: null } as const;
const STAGE_EVENTS = [
  'LAUNCH',
  'COMPLETE_STUDY',
  'COMPLETE_LISTENING',
  'COMPLETE_CORRECTING',
  'REQUEST_LOOKBACK',
  'CONCLUDE_LOOKBACK',
];

describe('time yields to quality: every rushing attempt is blocked, explained, and logged', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
  });
  afterAll(async () => {
    await sut.close();
  });

  const iso = (ms: number) => new Date(ms).toISOString();

  /** Unit.transitions and sendEvent must tell the same story: every refused event answers what transitions said. */
  async function transitionsAgreeWithSendEvent(
    unit: string,
  ): Promise<Record<string, { allowed: boolean; codes: string[]; earliestAt: string | null }>> {
    const options = await officer.transitions(unit);
    expect(options.map((o) => o.event)).toEqual(STAGE_EVENTS);
    const seen: Record<string, { allowed: boolean; codes: string[]; earliestAt: string | null }> = {};
    for (const option of options) {
      seen[option.event] = { allowed: option.allowed, codes: codes(option), earliestAt: option.earliestAt };
      if (option.allowed) {
        expect(option.blockers).toEqual([]);
        continue;
      }
      const who = option.event === 'CONCLUDE_LOOKBACK' ? supervisor : officer;
      const answer = await who.refused(unit, option.event, () => who.send(unit, option.event));
      if (codes(option).includes('NOT_ALLOWED_IN_STATE')) {
        expect(codes(option)).toEqual(['NOT_ALLOWED_IN_STATE']);
        expect(answer.__typename).toBe('NotAllowedInState');
      } else {
        expect(answer).toMatchObject({
          __typename: 'TransitionBlocked',
          errorCode: 'TRANSITION_BLOCKED',
          blockers: option.blockers,
          earliestAt: option.earliestAt,
        });
      }
    }
    return seen;
  }

  it('before LAUNCH: only LAUNCH is handled, and it wants a study plan', async () => {
    const unit = await admin.createUnit('县直机关工委', 'DIRECT_UNIT');
    expect(await transitionsAgreeWithSendEvent(unit)).toEqual({
      LAUNCH: { allowed: false, codes: ['STUDY_PLAN_MISSING'], earliestAt: null },
      COMPLETE_STUDY: { allowed: false, codes: ['NOT_ALLOWED_IN_STATE'], earliestAt: null },
      COMPLETE_LISTENING: { allowed: false, codes: ['NOT_ALLOWED_IN_STATE'], earliestAt: null },
      COMPLETE_CORRECTING: { allowed: false, codes: ['NOT_ALLOWED_IN_STATE'], earliestAt: null },
      REQUEST_LOOKBACK: { allowed: false, codes: ['NOT_ALLOWED_IN_STATE'], earliestAt: null },
      CONCLUDE_LOOKBACK: { allowed: false, codes: ['NOT_ALLOWED_IN_STATE'], earliestAt: null },
    });
    expect((await officer.footprint(unit)).version).toBe(0);
  });

  it('COMPLETE_STUDY: evidence met but dwell not served → earliestAt = launch + 3 × 24 h; 1 ms before still refused; at it accepted', async () => {
    const unit = await admin.createUnit('县财政局', 'DIRECT_UNIT');
    const launchedAt = await launch(officer, unit);
    await studyEvidence(officer, unit, 'DIRECT_UNIT');
    const seen = await transitionsAgreeWithSendEvent(unit);
    expect(seen.COMPLETE_STUDY).toEqual({
      allowed: false,
      codes: ['STUDY_DWELL'],
      earliestAt: iso(launchedAt + 3 * DAY),
    });
    expect(seen.REQUEST_LOOKBACK).toEqual({
      allowed: false,
      codes: ['REGIONS_NOT_MET', 'STAGE_DWELL'],
      earliestAt: null,
    });
    expect(seen.LAUNCH.codes).toEqual(['NOT_ALLOWED_IN_STATE']);

    sut.clock.set(new Date(launchedAt + 3 * DAY - 1));
    const stillEarly = await officer.refused(unit, 'COMPLETE_STUDY', () => officer.send(unit, 'COMPLETE_STUDY'));
    expect(stillEarly).toMatchObject({ blockers: [{ code: 'STUDY_DWELL' }], earliestAt: iso(launchedAt + 3 * DAY) });
    sut.clock.set(new Date(launchedAt + 3 * DAY));
    expect((await officer.transitions(unit)).find((o) => o.event === 'COMPLETE_STUDY')).toEqual({
      event: 'COMPLETE_STUDY',
      allowed: true,
      blockers: [],
      earliestAt: null,
    });
    expect((await officer.sendOk(unit, 'COMPLETE_STUDY')).activeStates).toContain('stage1.study.met');
  });

  it('REQUEST_LOOKBACK: regions not met → REGIONS_NOT_MET with no earliestAt even after the dwell; regions met → earliestAt = launch + 14 days', async () => {
    const unit = await admin.createUnit('县公安局', 'DIRECT_UNIT');
    const launchedAt = await launch(officer, unit);
    sut.clock.set(new Date(launchedAt + 14 * DAY));
    const notMet = await officer.refused(unit, 'REQUEST_LOOKBACK', () => officer.send(unit, 'REQUEST_LOOKBACK'));
    expect(codes(notMet)).toEqual(['REGIONS_NOT_MET']);
    expect(notMet.earliestAt).toBeNull();

    const other = await admin.createUnit('县教育局', 'DIRECT_UNIT');
    const otherLaunch = await toRegionsMet(officer, other, 'DIRECT_UNIT');
    const seen = await transitionsAgreeWithSendEvent(other);
    expect(seen.REQUEST_LOOKBACK).toEqual({
      allowed: false,
      codes: ['STAGE_DWELL'],
      earliestAt: iso(otherLaunch + RULES.DIRECT_UNIT.stageDwell * DAY),
    });
    expect(seen.COMPLETE_STUDY.codes).toEqual(['NOT_ALLOWED_IN_STATE']);
    expect(seen.CONCLUDE_LOOKBACK.codes).toEqual(['NOT_ALLOWED_IN_STATE']);
    sut.clock.set(seen.REQUEST_LOOKBACK.earliestAt!);
    expect((await officer.sendOk(other, 'REQUEST_LOOKBACK')).phase).toBe('lookBack');
    const inLookBack = await transitionsAgreeWithSendEvent(other);
    expect(inLookBack.CONCLUDE_LOOKBACK).toEqual({ allowed: false, codes: ['VERDICTS_MISSING'], earliestAt: null });
    expect(inLookBack.REQUEST_LOOKBACK.codes).toEqual(['NOT_ALLOWED_IN_STATE']);
  });

  it("the supervisor's rush detector: Unit.attempts lists who rushed, when, and every blocker", async () => {
    const unit = await admin.createUnit('东街社区党委', 'GRASSROOTS');
    await launch(officer, unit);
    for (const event of ['COMPLETE_STUDY', 'COMPLETE_STUDY', 'REQUEST_LOOKBACK']) await officer.send(unit, event);
    const res = await supervisor.app.gql(
      `query($id: ID!) { unit(id: $id) { attempts(first: 10) { edges { node { command actor role at failure message blockers { code required actual } payload } } } } }`,
      { id: unit },
      SUPERVISOR,
    );
    const nodes = res.data!.unit.attempts.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toMatchObject({
      command: 'COMPLETE_STUDY',
      actor: 'officer-sun',
      role: 'OFFICER',
      at: officer.now(),
      failure: 'TRANSITION_BLOCKED',
    });
    expect(nodes[0].blockers.map((b: any) => b.code).sort()).toEqual([
      'FILM_MISSING',
      'GROUP_DISCUSSION_MISSING',
      'PARTY_LECTURE_MISSING',
      'STUDY_DWELL',
    ]);
    expect(nodes[0].message).toBe('COMPLETE_STUDY is blocked: ' + nodes[0].blockers.map((b: any) => b.code).join(', '));
    expect(JSON.parse(nodes[0].payload)).toEqual({ unitId: unit, event: 'COMPLETE_STUDY' });
    expect(nodes[2]).toMatchObject({
      command: 'REQUEST_LOOKBACK',
      blockers: [{ code: 'REGIONS_NOT_MET' }, { code: 'STAGE_DWELL' }],
    });
  });
});

describe('staggered launch (压茬启动): a child launches only after its parent', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
  });
  afterAll(async () => {
    await sut.close();
  });

  it('PARENT_NOT_LAUNCHED until the parent has launched, then LAUNCH passes', async () => {
    const county = await admin.createUnit('平山县委', 'LEADERSHIP_BODY', null, 2);
    const township = await admin.createUnit('西柏坡镇', 'TOWNSHIP_STREET', county);
    const village = await admin.createUnit('北庄村', 'GRASSROOTS', township);
    await officer.ok('fileStudyPlan', { unitId: township, topics: ['群众路线'], plannedDays: 3 });
    await officer.ok('fileStudyPlan', { unitId: village, topics: ['群众路线'], plannedDays: 1 });

    const blocked = await officer.refused(township, 'LAUNCH', () => officer.send(township, 'LAUNCH'));
    expect(blocked).toMatchObject({ __typename: 'TransitionBlocked', earliestAt: null });
    expect(codes(blocked)).toEqual(['PARENT_NOT_LAUNCHED']);
    expect((await officer.transitions(township)).find((o) => o.event === 'LAUNCH')).toMatchObject({
      allowed: false,
      blockers: [{ code: 'PARENT_NOT_LAUNCHED' }],
    });
    expect(codes(await officer.send(village, 'LAUNCH'))).toEqual(['PARENT_NOT_LAUNCHED']);

    await launch(officer, county);
    expect((await officer.transitions(township)).find((o) => o.event === 'LAUNCH')).toMatchObject({
      allowed: true,
      blockers: [],
    });
    expect(codes(await officer.send(village, 'LAUNCH'))).toEqual(['PARENT_NOT_LAUNCHED']);
    expect(await officer.sendOk(township, 'LAUNCH')).toMatchObject({ phase: 'stage1', version: 2 });
    expect(await officer.sendOk(village, 'LAUNCH')).toMatchObject({ phase: 'stage1', version: 2 });
  });
});

describe('an opinion collected by a township for a village (下去一把抓、回来再分家)', () => {
  let sut: TestApp;
  let admin: StoryClient;

  beforeAll(async () => {
    ({ sut, admin } = await startStory());
  });
  afterAll(async () => {
    await sut.close();
  });

  it('counts for the village at once, blocks its listening until claimed, and leaves the unclaimed list once claimed', async () => {
    const township = await admin.createUnit('岗南镇', 'TOWNSHIP_STREET');
    const village = await admin.createUnit('岗南村', 'GRASSROOTS', township);
    const townshipOfficer = admin.withPrincipal({ sub: 'officer-township', role: 'OFFICER', scopeUnitId: township });
    const villageOfficer = admin.withPrincipal({ sub: 'officer-village', role: 'OFFICER', scopeUnitId: village });
    await launch(townshipOfficer, township);
    await launch(villageOfficer, village);

    const [routed] = await townshipOfficer.opinions(village, 1, 1, 1, township);
    // the township is above the village officer's scope: the opinion is shown as routed, its collector not named
    expect(await villageOfficer.unclaimed(village)).toEqual([
      { id: routed, routed: true, claimedAt: null, collectedByUnitId: null },
    ]);
    expect(await townshipOfficer.unclaimed(village)).toEqual([
      { id: routed, routed: true, claimedAt: null, collectedByUnitId: township },
    ]);
    expect((await townshipOfficer.footprint(township)).version).toBe(2); // a command on the target, not on the collector

    await villageOfficer.opinions(village, 4, 2, 2);
    const blocked = await villageOfficer.refused(village, 'COMPLETE_LISTENING', () =>
      villageOfficer.send(village, 'COMPLETE_LISTENING'),
    );
    expect(codes(blocked)).toEqual(['UNCLAIMED_OPINIONS']); // 5 opinions, 3 face-to-face, 3 four-styles: the routed one already counts

    const wrongUnit = await townshipOfficer.refused(township, 'claimOpinion', () =>
      townshipOfficer.mutate('claimOpinion', { unitId: township, opinionId: routed }),
    );
    expect(wrongUnit).toMatchObject({ __typename: 'InvalidInput', field: 'opinionId' });

    const claimed = await villageOfficer.ok('claimOpinion', { unitId: village, opinionId: routed });
    expect(claimed.status.version).toBe(8); // plan, launch, 5 opinions, the claim
    expect(await villageOfficer.unclaimed(village)).toEqual([]);
    const all = await villageOfficer.unclaimed(village, false);
    expect(all).toHaveLength(5);
    expect(all.find((o) => o.id === routed)).toMatchObject({ routed: true, claimedAt: villageOfficer.now() });

    const again = await villageOfficer.refused(village, 'claimOpinion', () =>
      villageOfficer.mutate('claimOpinion', { unitId: village, opinionId: routed }),
    );
    expect(again).toMatchObject({ __typename: 'InvalidInput', field: 'opinionId' });
    expect((await villageOfficer.sendOk(village, 'COMPLETE_LISTENING')).activeStates).toContain('stage1.listening.met');
  });
});

describe('an open supervision finding blocks the look-back until it is resolved', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
  });
  afterAll(async () => {
    await sut.close();
  });

  it('OPEN_FINDINGS (with the dwell: no earliestAt), then resolveFinding, then REQUEST_LOOKBACK', async () => {
    const unit = await admin.createUnit('城关村', 'GRASSROOTS');
    const launchedAt = await toRegionsMet(officer, unit, 'GRASSROOTS');
    const issued = await supervisor.ok(
      'issueFinding',
      { unitId: unit, kind: 'GOING_THROUGH_MOTIONS', note: '征求意见走过场' },
      '... on FindingIssued { findingId eventSeq status { version } }',
    );
    expect(issued.eventSeq).toBe(issued.status.version);

    const both = await officer.refused(unit, 'REQUEST_LOOKBACK', () => officer.send(unit, 'REQUEST_LOOKBACK'));
    expect(codes(both)).toEqual(['OPEN_FINDINGS', 'STAGE_DWELL']);
    expect(both.earliestAt).toBeNull();
    sut.clock.set(new Date(launchedAt + 10 * DAY));
    const open = await officer.refused(unit, 'REQUEST_LOOKBACK', () => officer.send(unit, 'REQUEST_LOOKBACK'));
    expect(open).toMatchObject({ blockers: [{ code: 'OPEN_FINDINGS' }], earliestAt: null });
    expect((await officer.transitions(unit)).find((o) => o.event === 'REQUEST_LOOKBACK')).toMatchObject({
      allowed: false,
      blockers: [{ code: 'OPEN_FINDINGS' }],
      earliestAt: null,
    });

    await supervisor.ok(
      'resolveFinding',
      { unitId: unit, findingId: issued.findingId, response: '重新入户走访' },
      '... on FindingResolved { eventSeq }',
    );
    const res = await supervisor.app.gql(
      `query($id: ID!) { unit(id: $id) { findings { edges { node { id kind issuedBy resolvedBy response } } } } }`,
      { id: unit },
      SUPERVISOR,
    );
    expect(res.data!.unit.findings.edges.map((e: any) => e.node)).toEqual([
      {
        id: issued.findingId,
        kind: 'GOING_THROUGH_MOTIONS',
        issuedBy: 'supervisor-zhou',
        resolvedBy: 'supervisor-zhou',
        response: '重新入户走访',
      },
    ]);
    const twice = await supervisor.refused(unit, 'resolveFinding', () =>
      supervisor.mutate('resolveFinding', { unitId: unit, findingId: issued.findingId, response: '再次' }),
    );
    expect(twice).toMatchObject({ __typename: 'InvalidInput', field: 'findingId' });
    expect((await officer.sendOk(unit, 'REQUEST_LOOKBACK')).phase).toBe('lookBack');
  });
});
