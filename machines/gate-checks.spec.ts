/**
 * What each gate says, whole: met or not, required and actual, and the message a blocked officer reads (the API hands
 * them over as they are); the lists they name (five at most, then "…"), and the edge of each condition.
 */
import { initialContext, type CampaignContext } from './context.js';
import { FIX_AT_ONCE_RECTIFIED, NONE_OVERDUE } from './gates/correcting.js';
import { dwell, evaluateGates, type Evaluation } from './gates/evaluator.js';
import { PARENT_LAUNCHED, STUDY_PLAN_FILED } from './gates/launch.js';
import { COLLECTIVE_DELIBERATION, ROUTED_OPINIONS_CLAIMED } from './gates/listening.js';
import { stageOutcome } from './gates/outcome.js';
import { gatesOf } from './gates/sets.js';
import { ALL_VERDICTS, NO_OPEN_FINDING, regionsNotMetBlockers, STAGE_DWELL } from './gates/stage.js';
import { CONCENTRATED_DAYS, ETHICS_TRAINING, LECTURERS, STUDY_DWELL, THEMATIC_SEMINARS } from './gates/study.js';
import { REQUIRED_TOPICS } from './gates/supplement.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import type { UnitKind } from './vocabulary.js';

const DAY = 86_400_000;
const T = Date.parse('2014-03-03T02:00:00Z'); // 10:00 in Shanghai
const context = (kind: UnitKind, change: Partial<CampaignContext> = {}, leaderCount = 3): CampaignContext => ({
  ...initialContext({ kind, leaderCount }, RULEBOOK_V1),
  ...change,
});
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('the study gates say what is short, in the unit’s own words', () => {
  const lb = context('LEADERSHIP_BODY');
  const study = (change: Partial<CampaignContext['study']>) => ({ ...lb, study: { ...lb.study, ...change } });

  it('concentrated days (in the rulebook’s zone), thematic seminars, lecturers, ethics trainings', () => {
    expect(CONCENTRATED_DAYS.check(study({ concentratedDates: ['2014-03-01'] }), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '5 distinct days',
      actual: '1',
      message: 'Concentrated study held on distinct days (Asia/Shanghai dates): 1 of the 5 required.',
    });
    const seminars = { ...lb.study.sessionsByFormat, THEMATIC_SEMINAR: 1 };
    expect(THEMATIC_SEMINARS.check(study({ sessionsByFormat: seminars }), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '2 thematic seminars',
      actual: '1',
      message: 'Thematic seminars (study by theme): 1 of the 2 required.',
    });
    expect(LECTURERS.check(study({ lecturers: ['王书记'] }), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '3 distinct lecturers',
      actual: '1',
      message: 'Leading cadres who gave a party lecture: 1 of the 3 required.',
    });
    expect(ETHICS_TRAINING.check(context('WINDOW_SERVICE'), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '1 ethics training',
      actual: '0',
      message: 'Ethics and conduct trainings (they count for nothing else): 0 of the 1 required.',
    });
  });
});

describe('the listening gates', () => {
  it('name the routed opinions still unclaimed: five at most, then "…"', () => {
    const message = (n: number) =>
      ROUTED_OPINIONS_CLAIMED.check(context('GRASSROOTS', { unclaimedOpinionIds: ids('o', n) }), T, RULEBOOK_V1, {});
    expect(message(0)).toStrictEqual({
      met: true,
      required: '0 unclaimed',
      actual: '0',
      message: '0 opinions routed to this unit by others still to be claimed.',
    });
    expect(message(1).message).toBe('1 opinion routed to this unit by others still to be claimed: o1.');
    expect(message(5)).toStrictEqual({
      met: false,
      required: '0 unclaimed',
      actual: '5',
      message: '5 opinions routed to this unit by others still to be claimed: o1, o2, o3, o4, o5.',
    });
    expect(message(6).message).toBe(
      '6 opinions routed to this unit by others still to be claimed: o1, o2, o3, o4, o5, ….',
    );
  });

  describe('collective deliberation: on or after the latest opinion, by date', () => {
    const deliberation = (latestDeliberationAt: number | null, latestOpinionAt: number | null) => {
      const listening = { ...context('LEADERSHIP_BODY').listening, latestDeliberationAt, latestOpinionAt };
      return COLLECTIVE_DELIBERATION.check(context('LEADERSHIP_BODY', { listening }), T, RULEBOOK_V1, {});
    };
    const required = 'a deliberation dated on or after the latest opinion';

    it('none held: unmet, with or without opinions', () => {
      const none = {
        met: false,
        required,
        actual: 'none',
        message: 'No collective deliberation (集体议) of the opinions has been held.',
      };
      expect(deliberation(null, null)).toStrictEqual(none);
      expect(deliberation(null, T)).toStrictEqual(none);
    });

    it('held with no opinion yet, or on the day of the latest opinion (even earlier that day), or after: met', () => {
      const held = {
        met: true,
        required,
        actual: 'held',
        message: 'A collective deliberation was held after the latest opinion.',
      };
      expect(deliberation(T, null)).toStrictEqual(held);
      expect(deliberation(T - 3_600_000, T)).toStrictEqual(held);
      expect(deliberation(T + DAY, T)).toStrictEqual(held);
    });

    it('held on a day before the latest opinion: unmet, deliberate again', () => {
      expect(deliberation(T - DAY, T)).toStrictEqual({
        met: false,
        required,
        actual: 'held before the latest opinion',
        message: 'The latest collective deliberation is dated before the latest opinion; deliberate again.',
      });
    });
  });
});

describe('the correcting gates', () => {
  it('name the open "fix at once" problems, five at most; other open problems do not count', () => {
    const openProblems = Object.fromEntries([
      ['p0', { fixAtOnce: false, dueAt: null }],
      ...ids('p', 6).map((id) => [id, { fixAtOnce: true, dueAt: null }]),
    ]);
    expect(FIX_AT_ONCE_RECTIFIED.check(context('GRASSROOTS', { openProblems }), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '0 open',
      actual: '6',
      message: '6 problems marked "fix at once" (立行立改) still open: p1, p2, p3, p4, p5.',
    });
    const none = { p0: { fixAtOnce: false, dueAt: null } };
    expect(
      FIX_AT_ONCE_RECTIFIED.check(context('GRASSROOTS', { openProblems: none }), T, RULEBOOK_V1, {}),
    ).toStrictEqual({
      met: true,
      required: '0 open',
      actual: '0',
      message: '0 problems marked "fix at once" (立行立改) still open.',
    });
  });

  it('name the problems past their due instant (the instant itself is in time), five at most', () => {
    const openProblems = Object.fromEntries([
      ['due-now', { fixAtOnce: false, dueAt: T }],
      ['no-date', { fixAtOnce: false, dueAt: null }],
      ...ids('late', 6).map((id) => [id, { fixAtOnce: false, dueAt: T - 1 }]),
    ]);
    expect(NONE_OVERDUE.check(context('GRASSROOTS', { openProblems }), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '0 overdue',
      actual: '6',
      message: '6 open problems past the due date: late1, late2, late3, late4, late5.',
    });
  });
});

describe('the launch gates', () => {
  it('a written study plan: filed or missing', () => {
    const message = 'A written study plan (focus, time, method, requirements) must be filed before LAUNCH.';
    expect(STUDY_PLAN_FILED.check(context('GRASSROOTS', { studyPlanFiled: true }), T, RULEBOOK_V1, {})).toStrictEqual({
      met: true,
      required: 'filed',
      actual: 'filed',
      message,
    });
    expect(STUDY_PLAN_FILED.check(context('GRASSROOTS'), T, RULEBOOK_V1, {})).toMatchObject({
      met: false,
      actual: 'missing',
    });
  });

  it('the parent launched first: launched, not launched, or unknown (refused as well)', () => {
    const check = (parentLaunched?: boolean) =>
      PARENT_LAUNCHED.check(context('GRASSROOTS'), T, RULEBOOK_V1, { parentLaunched });
    const notYet = 'The parent unit has not launched yet; a unit may not launch before its parent (压茬启动).';
    expect(check(true)).toStrictEqual({ met: true, required: 'parent launched', actual: 'launched', message: notYet });
    expect(check(false)).toStrictEqual({
      met: false,
      required: 'parent launched',
      actual: 'not launched',
      message: notYet,
    });
    expect(check(undefined)).toStrictEqual({
      met: false,
      required: 'parent launched',
      actual: 'unknown',
      message: 'Whether the parent unit has launched is unknown; a unit may not launch before its parent (压茬启动).',
    });
  });
});

describe('the stage gates', () => {
  it('name the open supervision findings, five at most', () => {
    const check = (n: number) =>
      NO_OPEN_FINDING.check(context('GRASSROOTS', { openFindingIds: ids('f', n) }), T, RULEBOOK_V1, {});
    expect(check(6)).toStrictEqual({
      met: false,
      required: '0 open',
      actual: '6',
      message: '6 supervision findings still open: f1, f2, f3, f4, f5; respond and have a supervisor resolve them.',
    });
    expect(check(0).message).toBe('0 supervision findings still open; respond and have a supervisor resolve them.');
  });

  it('name the look-back items without a verdict', () => {
    const check = ALL_VERDICTS.check(context('GRASSROOTS', { verdicts: { LISTENING: 'PASS' } }), T, RULEBOOK_V1, {});
    expect(check).toStrictEqual({
      met: false,
      required: '4 verdicts',
      actual: '1',
      message: 'No verdict yet on: STUDY, COMBINED, STYLE.',
    });
  });

  it('name the regions not yet met before a look-back may be asked for', () => {
    expect(regionsNotMetBlockers([])).toEqual([]);
    expect(regionsNotMetBlockers(['study', 'correcting'])).toStrictEqual([
      {
        code: 'REGIONS_NOT_MET',
        message: 'Regions not yet met: study, correcting; complete each before asking for the look-back.',
        required: '3 regions met',
        actual: '1 met',
      },
    ]);
  });
});

describe('dwell times', () => {
  it('not started: unmet, with no moment it will be met; served: met from the due instant on', () => {
    expect(dwell(null, 3, T, 'Minimum study time since launch')).toStrictEqual({
      met: false,
      required: '3 days',
      actual: 'not started',
      message: 'Minimum study time since launch: not started.',
      dueAtMs: null,
    });
    expect(dwell(T - 3 * DAY, 3, T, 'Minimum study time since launch')).toStrictEqual({
      met: true,
      required: '3 days',
      actual: '3 days 0 h',
      message: 'Minimum study time since launch: served.',
      dueAtMs: T,
    });
  });

  it('several dwell blockers: the unit may go on once the last of them is served', () => {
    const launched = context('LEADERSHIP_BODY', { launchedAt: T });
    for (const gates of [
      [STUDY_DWELL, STAGE_DWELL],
      [STAGE_DWELL, STUDY_DWELL],
    ]) {
      const evaluation = evaluateGates(gates, launched, T + DAY, RULEBOOK_V1);
      expect(evaluation.blockers.map((b) => b.code)).toEqual(gates.map((g) => g.code));
      expect(evaluation.earliestAtMs).toBe(T + 20 * DAY);
    }
  });
});

describe('a stage event’s outcome', () => {
  const onlyDwell: Evaluation = {
    blockers: [{ code: 'STAGE_DWELL', message: 'm', required: '10 days', actual: '1 days 0 h' }],
    structural: [],
    earliestAtMs: T + 9 * DAY,
  };
  const stage1 = (study: string) => ({ stage1: { study, listening: 'met', correcting: 'met' } });

  it('when only time stands in the way, says from when the event is allowed', () => {
    expect(stageOutcome('REQUEST_LOOKBACK', stage1('met'), onlyDwell, false)).toStrictEqual({
      blockers: onlyDwell.blockers,
      earliestAtMs: T + 9 * DAY,
    });
  });

  it('names no such moment while a region is not met, which time alone will not change, nor under an override', () => {
    const regions = stageOutcome('REQUEST_LOOKBACK', stage1('active'), onlyDwell, false);
    expect(regions.blockers.map((b) => b.code)).toEqual(['REGIONS_NOT_MET', 'STAGE_DWELL']);
    expect(regions.earliestAtMs).toBeNull();
    expect(stageOutcome('REQUEST_LOOKBACK', stage1('met'), onlyDwell, true)).toStrictEqual({
      blockers: [],
      earliestAtMs: null,
    });
  });
});

describe('rules the build cannot run are an error, never a silent pass', () => {
  it('a ruleset this build does not have, or a ruleset-2 rulebook without supplement rules for a kind', () => {
    expect(() => gatesOf({ ...RULEBOOK_V1, ruleset: 3 } as unknown as Rulebook)).toThrow(
      'rulebook v1 asks for ruleset 3, which this build does not have.',
    );
    const v2 = initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V2);
    expect(() => REQUIRED_TOPICS.applies(v2, { ...RULEBOOK_V2, supplement: undefined } as Rulebook)).toThrow(
      'rulebook v2 has no supplement rules for GRASSROOTS.',
    );
  });
});
