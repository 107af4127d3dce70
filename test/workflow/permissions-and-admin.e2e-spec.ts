import type { TestApp } from '../support/test-app.js';
import { codes, launch, StoryClient, toLookBack, startStory } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-lin', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-xu', role: 'SUPERVISOR', scopeUnitId: null } as const;

const SUMMARY =
  '__typename ... on BulkEventSummary { event total accepted blocked failed blockedByCode { code count } failedByCode { code count } } ... on InvalidInput { field } ... on NotFound { entity }';

/** sendEventToSubtree's union is narrower than a command's: its own document. */
async function bulk(c: StoryClient, input: Record<string, unknown>): Promise<any> {
  const res = await c.app.gql(
    `mutation($input: SendEventToSubtreeInput!) { sendEventToSubtree(input: $input) { ${SUMMARY} } }`,
    { input },
    c.as,
  );
  return res.errors ? { __typename: 'GraphQLError', errors: res.errors } : res.data!.sendEventToSubtree;
}

const code = (r: any) =>
  r.__typename === 'GraphQLError' ? r.errors.map((e: any) => e.extensions?.code) : [r.__typename];

describe('permissions as the API contract states them, checked before anything else', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  let unit: string;
  let sibling: string;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    unit = await admin.createUnit('南庄村', 'GRASSROOTS');
    sibling = await admin.createUnit('北庄村', 'GRASSROOTS');
    await toLookBack(officer, unit, 'GRASSROOTS');
  });
  afterAll(async () => {
    await sut.close();
  });

  it('no token → UNAUTHENTICATED, nothing written', async () => {
    const before = await admin.footprint(unit);
    const res = await sut.gql(
      `mutation($i: SendEventInput!) { sendEvent(input: $i) { __typename } }`,
      { i: { unitId: unit, event: 'CONCLUDE_LOOKBACK' } },
      null,
    );
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await admin.footprint(unit)).toEqual(before);
  });

  it('wrong role → FORBIDDEN: an officer judging, a supervisor recording evidence; nothing written, nothing logged', async () => {
    const before = await admin.footprint(unit);
    expect(code(await officer.send(unit, 'CONCLUDE_LOOKBACK'))).toEqual(['FORBIDDEN']);
    expect(
      code(await officer.mutate('recordLookBackVerdict', { unitId: unit, item: 'STUDY', verdict: 'PASS', note: '好' })),
    ).toEqual(['FORBIDDEN']);
    expect(
      code(
        await supervisor.mutate('recordStudySession', {
          unitId: unit,
          format: 'SELF_STUDY',
          occurredAt: officer.now(),
          hours: 1,
          attendees: 5,
        }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(code(await supervisor.send(unit, 'REQUEST_LOOKBACK'))).toEqual(['FORBIDDEN']);
    expect(
      code(await officer.mutate('overrideTransition', { unitId: unit, event: 'CONCLUDE_LOOKBACK', reason: '急' })),
    ).toEqual(['FORBIDDEN']);
    expect(code(await bulk(officer, { rootId: unit, event: 'LAUNCH' }))).toEqual(['FORBIDDEN']);
    expect(await admin.footprint(unit)).toEqual(before);
  });

  it('out of scope → FORBIDDEN, also for an id that does not exist', async () => {
    const scoped = admin.withPrincipal({ sub: 'officer-sibling', role: 'OFFICER', scopeUnitId: sibling });
    expect(
      code(await scoped.mutate('recordFilmScreening', { unitId: unit, title: '焦裕禄', occurredAt: officer.now() })),
    ).toEqual(['FORBIDDEN']);
    expect(code(await scoped.send(unit, 'COMPLETE_STUDY'))).toEqual(['FORBIDDEN']);
    expect(code(await scoped.send(unit, 'NO_SUCH_EVENT'))).toEqual(['FORBIDDEN']);
    expect(
      code(
        await scoped.mutate('recordFilmScreening', {
          unitId: 'no-such-unit',
          title: '焦裕禄',
          occurredAt: officer.now(),
        }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      code(
        await scoped.mutate('recordOpinion', {
          targetUnitId: unit,
          collectedByUnitId: sibling,
          channel: 'FORUM',
          category: 'WORK',
          text: '意见',
          occurredAt: officer.now(),
        }),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('the requester of the look-back may not judge it; another supervisor may', async () => {
    const selfJudged = await admin.createUnit('自评村', 'GRASSROOTS');
    await toLookBack(admin, selfJudged, 'GRASSROOTS');
    const before = await admin.footprint(selfJudged);
    expect(
      code(
        await admin.mutate('recordLookBackVerdict', {
          unitId: selfJudged,
          item: 'STYLE',
          verdict: 'PASS',
          note: '自己说好',
        }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(code(await admin.send(selfJudged, 'CONCLUDE_LOOKBACK'))).toEqual(['FORBIDDEN']);
    expect(await admin.footprint(selfJudged)).toEqual(before);
    expect(
      (
        await supervisor.mutate('recordLookBackVerdict', {
          unitId: selfJudged,
          item: 'STYLE',
          verdict: 'PASS',
          note: '好',
        })
      ).__typename,
    ).toBe('VerdictRecorded');
  });

  it('permission comes before idempotency: a stored result is not replayed to a principal who may no longer send it', async () => {
    const scopedHere = admin.withPrincipal({ sub: 'officer-moved', role: 'OFFICER', scopeUnitId: unit });
    const input = { unitId: unit, title: '焦裕禄', occurredAt: officer.now(), idempotencyKey: 'film-once' };
    const first = await scopedHere.mutate('recordFilmScreening', input, '... on EvidenceRecorded { eventSeq }');
    expect(first.__typename).toBe('EvidenceRecorded');
    const movedAway = admin.withPrincipal({ sub: 'officer-moved', role: 'OFFICER', scopeUnitId: sibling });
    expect(code(await movedAway.mutate('recordFilmScreening', input))).toEqual(['FORBIDDEN']);
    const demoted = admin.withPrincipal({ sub: 'officer-moved', role: 'AUDITOR', scopeUnitId: null });
    expect(code(await demoted.mutate('recordFilmScreening', input))).toEqual(['FORBIDDEN']);
    expect(await scopedHere.mutate('recordFilmScreening', input, '... on EvidenceRecorded { eventSeq }')).toEqual(
      first,
    );
  });
});

describe('admins: overrideTransition and sendEventToSubtree', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
  });
  afterAll(async () => {
    await sut.close();
  });

  it('an override passes gates, never skips a state, and is flagged with its reason in the history forever', async () => {
    const unit = await admin.createUnit('灾区乡', 'TOWNSHIP_STREET');
    await launch(officer, unit);
    const skip = await officer.refused(unit, 'REQUEST_LOOKBACK', () =>
      admin.mutate('overrideTransition', { unitId: unit, event: 'REQUEST_LOOKBACK', reason: '抗洪抢险，时间紧' }),
    );
    expect(skip).toMatchObject({ __typename: 'TransitionBlocked', earliestAt: null });
    expect(codes(skip)).toEqual(['REGIONS_NOT_MET']); // the dwell is lifted, the statechart is not

    const study = await admin.mutate(
      'overrideTransition',
      { unitId: unit, event: 'COMPLETE_STUDY', reason: '抗洪抢险，集中学习改为分散自学' },
      '... on TransitionAccepted { eventSeq status { activeStates version } }',
    );
    expect(study).toEqual({
      __typename: 'TransitionAccepted',
      eventSeq: 3,
      status: { activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.met'], version: 3 },
    });
    const history = await admin.historyNodes(unit);
    expect(
      history.map(({ seq, type, actor, role, reason, override }) => ({ seq, type, actor, role, reason, override })),
    ).toEqual([
      { seq: 1, type: 'FILE_STUDY_PLAN', actor: 'officer-lin', role: 'OFFICER', reason: null, override: false },
      { seq: 2, type: 'LAUNCH', actor: 'officer-lin', role: 'OFFICER', reason: null, override: false },
      {
        seq: 3,
        type: 'COMPLETE_STUDY',
        actor: 'admin',
        role: 'ADMIN',
        reason: '抗洪抢险，集中学习改为分散自学',
        override: true,
      },
    ]);
    expect(codes(await officer.send(unit, 'REQUEST_LOOKBACK'))).toEqual(['REGIONS_NOT_MET', 'STAGE_DWELL']);
  });

  it('launches a county with its children, parents first; the summary counts accepted and blocked by code', async () => {
    const county = await admin.createUnit('阜平县委', 'LEADERSHIP_BODY', null, 2);
    const township = await admin.createUnit('龙泉关镇', 'TOWNSHIP_STREET', county);
    const village = await admin.createUnit('骆驼湾村', 'GRASSROOTS', township);
    const noPlan1 = await admin.createUnit('顾家台村', 'GRASSROOTS', township);
    const noPlan2 = await admin.createUnit('某商会党支部', 'NON_PUBLIC_SOCIAL', county);
    for (const u of [county, township, village])
      await officer.ok('fileStudyPlan', { unitId: u, topics: ['群众路线'], plannedDays: 3 });

    const launched = await bulk(admin, { rootId: county, event: 'LAUNCH', reason: '压茬启动' });
    expect(launched).toEqual({
      __typename: 'BulkEventSummary',
      event: 'LAUNCH',
      total: 5,
      accepted: 3,
      blocked: 2,
      failed: 0,
      blockedByCode: [{ code: 'STUDY_PLAN_MISSING', count: 2 }],
      failedByCode: [],
    });
    for (const u of [county, township, village]) expect((await admin.status(u)).phase).toBe('stage1');
    for (const u of [noPlan1, noPlan2])
      expect(await admin.footprint(u)).toMatchObject({
        version: 0,
        attempts: [{ command: 'LAUNCH', failure: 'TRANSITION_BLOCKED', blockers: [{ code: 'STUDY_PLAN_MISSING' }] }],
      });

    await officer.ok('fileStudyPlan', { unitId: noPlan1, topics: ['群众路线'], plannedDays: 1 });
    const again = await bulk(admin, { rootId: county, event: 'LAUNCH', kinds: ['GRASSROOTS'] });
    expect(again).toEqual({
      __typename: 'BulkEventSummary',
      event: 'LAUNCH',
      total: 2,
      accepted: 1,
      blocked: 0,
      failed: 1,
      blockedByCode: [],
      failedByCode: [{ code: 'NOT_ALLOWED_IN_STATE', count: 1 }],
    });
    expect((await admin.status(noPlan1)).phase).toBe('stage1');
    expect(await bulk(admin, { rootId: county, event: 'LAUNCH_ALL' })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'event',
    });
    expect(await bulk(admin, { rootId: 'no-such-unit', event: 'LAUNCH' })).toMatchObject({ __typename: 'NotFound' });
  });
});
