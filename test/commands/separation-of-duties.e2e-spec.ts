import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient, toLookBack } from '../support/campaign-client.js';
import { expectForbidden, sendToSubtree, verifyHistory } from './command-support.js';

const OFFICER = { sub: 'officer-qin', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-lu', role: 'SUPERVISOR', scopeUnitId: null } as const;
/** The admin who requests the look-backs below (admins may do what officers do). */
const REQUESTER = { sub: 'admin-wang', role: 'ADMIN', scopeUnitId: null } as const;
const OTHER_ADMIN = { sub: 'admin-zhao', role: 'ADMIN', scopeUnitId: null } as const;

const ITEMS = ['STUDY', 'LISTENING', 'STYLE', 'COMBINED'] as const;

/**
 * Whoever requested a look-back may not judge it, whatever the road: a verdict, CONCLUDE_LOOKBACK sent, overridden,
 * or sent to a whole subtree (found on the old main: the bulk send and the override skipped the check).
 */
describe('separation of duties on every road to judging a look-back', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  let requester: StoryClient;
  let otherAdmin: StoryClient;
  let township: string;
  /** in lookBack, requested by admin-wang, four PASS verdicts from the supervisor: only the judge is missing */
  const byRequester: Record<'bulk' | 'override' | 'send', string> = { bulk: '', override: '', send: '' };
  /** in lookBack, requested by the officer, the same verdicts */
  let byOfficer: string;

  const passAll = async (unitId: string) => {
    for (const item of ITEMS)
      await supervisor.ok(
        'recordLookBackVerdict',
        { unitId, item, verdict: 'PASS', note: '合格' },
        '... on VerdictRecorded { eventSeq }',
      );
  };
  const phase = async (unitId: string) => (await admin.status(unitId)).phase;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    requester = admin.withPrincipal(REQUESTER);
    otherAdmin = admin.withPrincipal(OTHER_ADMIN);
    township = await admin.createUnit('东城镇党委', 'TOWNSHIP_STREET');
    await launch(officer, township);
    for (const road of ['bulk', 'override', 'send'] as const) {
      byRequester[road] = await admin.createUnit(`${road}村党支部`, 'GRASSROOTS', township);
      await toLookBack(requester, byRequester[road], 'GRASSROOTS');
      await passAll(byRequester[road]);
    }
    byOfficer = await admin.createUnit('西村党支部', 'GRASSROOTS', township);
    await toLookBack(officer, byOfficer, 'GRASSROOTS');
    await passAll(byOfficer);
  });
  afterAll(async () => {
    await sut.close();
  });

  it("sendEventToSubtree: the requester's units are counted under failedByCode FORBIDDEN and stay in lookBack; the others conclude", async () => {
    const before = await Promise.all(Object.values(byRequester).map((u) => admin.footprint(u)));
    const summary = await sendToSubtree(requester, {
      rootId: township,
      event: 'CONCLUDE_LOOKBACK',
      reason: '统一验收',
    });
    expect(summary).toEqual({
      __typename: 'BulkEventSummary',
      event: 'CONCLUDE_LOOKBACK',
      total: 5,
      accepted: 1,
      blocked: 0,
      failed: 4,
      blockedByCode: [],
      // the township itself is still in stage1
      failedByCode: [
        { code: 'FORBIDDEN', count: 3 },
        { code: 'NOT_ALLOWED_IN_STATE', count: 1 },
      ],
    });
    expect(await phase(byOfficer)).toBe('stage1Complete');
    for (const [i, unit] of Object.values(byRequester).entries()) {
      expect(await phase(unit)).toBe('lookBack');
      expect(await admin.footprint(unit)).toEqual(before[i]);
    }
  });

  it.each<[string, (unitId: string) => Promise<any>]>([
    [
      'overrideTransition',
      (unitId) => requester.mutate('overrideTransition', { unitId, event: 'CONCLUDE_LOOKBACK', reason: '紧急验收' }),
    ],
    ['sendEvent', (unitId) => requester.send(unitId, 'CONCLUDE_LOOKBACK')],
    [
      'recordLookBackVerdict',
      (unitId) => requester.mutate('recordLookBackVerdict', { unitId, item: 'STYLE', verdict: 'PASS', note: '我看行' }),
    ],
    [
      'sendEvent under another role (the same person)',
      (unitId) => requester.withPrincipal({ ...REQUESTER, role: 'SUPERVISOR' }).send(unitId, 'CONCLUDE_LOOKBACK'),
    ],
  ])('%s by the requester → FORBIDDEN naming no unit, nothing written, still in lookBack', async (_road, judge) => {
    for (const unit of Object.values(byRequester)) {
      const answer = await admin.refused(unit, '', () => judge(unit), false);
      expect(expectForbidden(answer)).toEqual(['you requested this look-back and may not judge it.']);
      expect(await phase(unit)).toBe('lookBack');
    }
  });

  it('another admin concludes through sendEventToSubtree and overrideTransition, a supervisor through sendEvent', async () => {
    const bulk = await sendToSubtree(otherAdmin, { rootId: byRequester.bulk, event: 'CONCLUDE_LOOKBACK' });
    expect(bulk).toMatchObject({ total: 1, accepted: 1, failed: 0, failedByCode: [] });
    const override = await otherAdmin.mutate('overrideTransition', {
      unitId: byRequester.override,
      event: 'CONCLUDE_LOOKBACK',
      reason: '督导组已验收',
    });
    expect(override.__typename).toBe('TransitionAccepted');
    expect((await supervisor.send(byRequester.send, 'CONCLUDE_LOOKBACK')).__typename).toBe('TransitionAccepted');
    for (const unit of Object.values(byRequester)) {
      expect(await phase(unit)).toBe('stage1Complete');
      expect(await verifyHistory(sut, unit)).toMatchObject({ ok: true });
    }
    const judges = (await admin.historyNodes(byRequester.override))
      .filter((e) => e.type === 'CONCLUDE_LOOKBACK')
      .map((e) => `${e.actor}:${e.override}`);
    expect(judges).toEqual(['admin-zhao:true']);
  });

  it('another admin may record a verdict on a look-back the requester asked for', async () => {
    const unit = await admin.createUnit('南村党支部', 'GRASSROOTS', township);
    await toLookBack(requester, unit, 'GRASSROOTS');
    expectForbidden(
      await requester.mutate('recordLookBackVerdict', { unitId: unit, item: 'STUDY', verdict: 'FAIL', note: '自评' }),
    );
    expect(
      (
        await otherAdmin.mutate('recordLookBackVerdict', {
          unitId: unit,
          item: 'STUDY',
          verdict: 'FAIL',
          note: '学习不深',
        })
      ).__typename,
    ).toBe('VerdictRecorded');
  });
});
