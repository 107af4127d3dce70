import type { TestApp } from '../support/test-app.js';
import { codes, DAY, StoryClient, toLookBack, startStory } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-wu', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-zheng', role: 'SUPERVISOR', scopeUnitId: null } as const;

describe('a look-back with a FAIL sends the unit to re-forge (回炉) the mapped regions only', () => {
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

  async function judge(unit: string, verdicts: Record<string, 'PASS' | 'FAIL'>) {
    for (const [item, verdict] of Object.entries(verdicts)) {
      expect(
        (
          await supervisor.mutate('recordLookBackVerdict', {
            unitId: unit,
            item,
            verdict,
            note: verdict === 'PASS' ? '合格' : '不合格，回炉',
          })
        ).__typename,
      ).toBe('VerdictRecorded');
    }
    return supervisor.sendOk(unit, 'CONCLUDE_LOOKBACK');
  }

  it('LISTENING FAIL → only listening reopens; opinions dated before the re-forge do not count; 7 days of rework; then PASS → stage1Complete', async () => {
    const unit = await admin.createUnit('西沟村', 'GRASSROOTS');
    await toLookBack(officer, unit, 'GRASSROOTS');
    const reforgedAt = sut.clock.now().getTime();
    const reforging = await judge(unit, { STUDY: 'PASS', LISTENING: 'FAIL', COMBINED: 'PASS', STYLE: 'PASS' });
    expect(reforging).toMatchObject({
      phase: 'reforging',
      activeStates: ['reforging.correcting.met', 'reforging.listening.active', 'reforging.study.met'],
    });

    const notReopened = await officer.refused(unit, 'COMPLETE_STUDY', () => officer.send(unit, 'COMPLETE_STUDY'));
    expect(notReopened).toMatchObject({ __typename: 'NotAllowedInState', activeStates: reforging.activeStates });
    const fresh = await officer.refused(unit, 'COMPLETE_LISTENING', () => officer.send(unit, 'COMPLETE_LISTENING'));
    expect(codes(fresh)).toEqual(['FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT', 'REWORK_DWELL']);
    expect(fresh.earliestAt).toBeNull();

    // Back-dated into the first round: accepted as evidence (after launch), but not counted for the re-forge.
    sut.clock.advanceDays(1);
    for (let i = 0; i < 5; i++) {
      await officer.ok(
        'recordOpinion',
        {
          targetUnitId: unit,
          collectedByUnitId: unit,
          channel: 'FACE_TO_FACE',
          category: 'FORMALISM',
          text: `补录 ${i}`,
          occurredAt: iso(reforgedAt - DAY),
        },
        '... on OpinionRecorded { opinionId }',
      );
    }
    expect(codes(await officer.send(unit, 'COMPLETE_LISTENING'))).toEqual([
      'FACE_TO_FACE_SHARE_LOW',
      'FOUR_STYLES_SHARE_LOW',
      'OPINIONS_SHORT',
      'REWORK_DWELL',
    ]);

    await officer.opinions(unit, 5, 3, 3);
    const dwell = await officer.refused(unit, 'COMPLETE_LISTENING', () => officer.send(unit, 'COMPLETE_LISTENING'));
    expect(dwell).toMatchObject({ blockers: [{ code: 'REWORK_DWELL' }], earliestAt: iso(reforgedAt + 7 * DAY) });
    const request = await officer.refused(unit, 'REQUEST_LOOKBACK', () => officer.send(unit, 'REQUEST_LOOKBACK'));
    expect(codes(request)).toEqual(['REGIONS_NOT_MET', 'REWORK_DWELL']);
    expect(request.earliestAt).toBeNull();

    sut.clock.set(iso(reforgedAt + 7 * DAY));
    expect((await officer.sendOk(unit, 'COMPLETE_LISTENING')).activeStates).toEqual([
      'reforging.correcting.met',
      'reforging.listening.met',
      'reforging.study.met',
    ]);
    expect((await officer.sendOk(unit, 'REQUEST_LOOKBACK')).phase).toBe('lookBack');
    expect(codes(await supervisor.send(unit, 'CONCLUDE_LOOKBACK'))).toEqual(['VERDICTS_MISSING']); // verdicts of round 1 are cleared
    expect(await judge(unit, { STUDY: 'PASS', LISTENING: 'PASS', COMBINED: 'PASS', STYLE: 'PASS' })).toMatchObject({
      phase: 'stage1Complete',
      activeStates: ['stage1Complete'],
    });
    const ended = await officer.refused(unit, 'recordStudySession', () =>
      officer.mutate('recordStudySession', {
        unitId: unit,
        format: 'SELF_STUDY',
        occurredAt: officer.now(),
        hours: 1,
        attendees: 3,
      }),
    );
    expect(ended.__typename).toBe('NotAllowedInState');
  });

  it('STYLE FAIL reopens all three regions; each needs fresh evidence and the rework dwell', async () => {
    const unit = await admin.createUnit('某民营企业党支部', 'NON_PUBLIC_SOCIAL');
    await toLookBack(officer, unit, 'NON_PUBLIC_SOCIAL');
    const reforgedAt = sut.clock.now().getTime();
    const reforging = await judge(unit, { STUDY: 'PASS', LISTENING: 'PASS', COMBINED: 'PASS', STYLE: 'FAIL' });
    expect(reforging).toMatchObject({
      phase: 'reforging',
      activeStates: ['reforging.correcting.active', 'reforging.listening.active', 'reforging.study.active'],
    });
    expect(codes(await officer.send(unit, 'COMPLETE_STUDY'))).toEqual(['REWORK_DWELL', 'STUDY_SESSION_MISSING']);
    expect(codes(await officer.send(unit, 'COMPLETE_CORRECTING'))).toEqual(['NO_PROBLEM_IDENTIFIED', 'REWORK_DWELL']);

    await officer.session(unit, 'GROUP_DISCUSSION');
    await officer.opinions(unit, 3, 2, 2);
    await officer.problem(unit, false);
    for (const event of ['COMPLETE_STUDY', 'COMPLETE_LISTENING', 'COMPLETE_CORRECTING']) {
      expect(await officer.send(unit, event)).toMatchObject({
        __typename: 'TransitionBlocked',
        blockers: [{ code: 'REWORK_DWELL' }],
        earliestAt: iso(reforgedAt + 7 * DAY),
      });
    }
    sut.clock.set(iso(reforgedAt + 7 * DAY));
    for (const event of ['COMPLETE_STUDY', 'COMPLETE_LISTENING', 'COMPLETE_CORRECTING'])
      await officer.sendOk(unit, event);
    expect((await officer.sendOk(unit, 'REQUEST_LOOKBACK')).phase).toBe('lookBack');
    expect((await judge(unit, { STUDY: 'PASS', LISTENING: 'PASS', COMBINED: 'PASS', STYLE: 'PASS' })).phase).toBe(
      'stage1Complete',
    );
  });
});
