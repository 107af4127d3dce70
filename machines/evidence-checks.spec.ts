/**
 * The evidence reducers and the context they work on, whole: what one validated event adds to a unit's tallies
 * (ruleset 1, then ruleset 2's supplement), what counts inside a region's window and what does not, the caps, and
 * what a re-forge starts afresh. No statechart run: `applyEvidence` and the context's functions alone.
 */
import { beginReforge, initialContext, lecturersNeeded, type CampaignContext } from './context.js';
import type { MachineEvent } from './events.js';
import { applyEvidence } from './evidence.js';
import { applySupplementEvidence, categoryCodeOf, forcedFixAtOnce, normalisedName } from './evidence-v2.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import type { UnitKind } from './vocabulary.js';

const HOUR = 3_600_000;
const LAUNCH = Date.parse('2014-03-01T02:00:00Z'); // 10:00 in Shanghai
const iso = (ms: number) => new Date(ms).toISOString();

const launched = (kind: UnitKind, rulebook: Rulebook = RULEBOOK_V1, leaderCount = 3): CampaignContext => ({
  ...initialContext({ kind, leaderCount }, rulebook),
  launchedAt: LAUNCH,
  windowStart: { study: LAUNCH, listening: LAUNCH, correcting: LAUNCH },
});

/** An event as `step` hands it on: instants parsed. */
const event = (type: string, occurred: number, fields: Record<string, unknown> = {}): MachineEvent =>
  ({ type, at: iso(occurred), atMs: occurred, occurredAt: iso(occurred), occurredAtMs: occurred, ...fields }) as never;
const session = (format: string, occurred: number, fields: Record<string, unknown> = {}) =>
  event('STUDY_SESSION', occurred, { format, hours: 3, attendees: 10, ...fields });
const lecture = (lecturer: string, occurred: number, fields: Record<string, unknown> = {}) =>
  event('PARTY_LECTURE', occurred, { lecturer, ...fields });
const opinion = (occurred: number, fields: Record<string, unknown> = {}) =>
  event('OPINION_RECORDED', occurred, {
    opinionId: 'op-1',
    channel: 'FACE_TO_FACE',
    category: 'FORMALISM',
    collectedByUnitId: 'me',
    targetUnitId: 'me',
    ...fields,
  });

const applyAll = (context: CampaignContext, events: MachineEvent[], rulebook: Rulebook = RULEBOOK_V1) =>
  events.reduce((c, e) => applyEvidence(c, e, rulebook), context);

describe('the context', () => {
  it('starts empty, with the tally of the supplement only under ruleset 2', () => {
    const v1 = {
      rulebookVersion: 1,
      unit: { kind: 'GRASSROOTS', leaderCount: 4 },
      studyPlanFiled: false,
      launchedAt: null,
      reforgeStartedAt: null,
      round: 0,
      reopenedRegions: [],
      windowStart: { study: null, listening: null, correcting: null },
      study: {
        concentratedDates: [],
        sessionsByFormat: {
          CONCENTRATED: 0,
          THEMATIC_SEMINAR: 0,
          GROUP_DISCUSSION: 0,
          SELF_STUDY: 0,
          ETHICS_TRAINING: 0,
        },
        lecturers: [],
        partyLectures: 0,
        filmScreenings: 0,
      },
      listening: { opinions: 0, faceToFace: 0, fourStyles: 0, latestOpinionAt: null, latestDeliberationAt: null },
      correcting: { problemsIdentified: 0 },
      unclaimedOpinionIds: [],
      openProblems: {},
      openFindingIds: [],
      verdicts: {},
    };
    const profile = { kind: 'GRASSROOTS' as const, leaderCount: 4, extra: 'not kept' };
    expect(initialContext(profile, RULEBOOK_V1)).toStrictEqual(v1);
    expect(initialContext(profile, RULEBOOK_V2)).toStrictEqual({
      ...v1,
      rulebookVersion: 2,
      supplement: { topics: [], activities: [], concentratedHours: {}, selfAssessedAt: null },
    });
  });

  it('asks lecturers of a leadership body only: one per leader, and under ruleset 2 at least one', () => {
    const c = (kind: UnitKind, leaderCount: number, rulebook: Rulebook) =>
      lecturersNeeded(initialContext({ kind, leaderCount }, rulebook), rulebook);
    expect(c('DIRECT_UNIT', 5, RULEBOOK_V1)).toBe(0);
    expect(c('DIRECT_UNIT', 5, RULEBOOK_V2)).toBe(0);
    expect(c('LEADERSHIP_BODY', 5, RULEBOOK_V1)).toBe(5);
    expect(c('LEADERSHIP_BODY', 0, RULEBOOK_V1)).toBe(0);
    expect(c('LEADERSHIP_BODY', 0, RULEBOOK_V2)).toBe(1);
    expect(c('LEADERSHIP_BODY', 4, RULEBOOK_V2)).toBe(4);
  });
});

describe('a re-forge reopens the regions of the failed items, afresh', () => {
  const R = LAUNCH + 20 * 24 * HOUR;
  const worked = (rulebook: Rulebook) => {
    const c = applyAll(
      launched('LEADERSHIP_BODY', rulebook),
      [
        session('CONCENTRATED', LAUNCH + HOUR, { topics: ['LANKAO_SPEECH'] }),
        lecture('王书记', LAUNCH + HOUR),
        opinion(LAUNCH + HOUR),
        event('PROBLEM_IDENTIFIED', LAUNCH + HOUR, { problemId: 'p', category: 'OTHER', fixAtOnce: false }),
        event('PROVINCE_ACTIVITY', LAUNCH + HOUR, { activity: 'READ_ORIGINALS' }),
        event('SELF_ASSESSMENT_FILED', LAUNCH + 2 * HOUR),
      ],
      rulebook,
    );
    return { ...c, round: 1 };
  };

  it('a failed STUDY reopens study only: its window starts at the re-forge, its tallies empty', () => {
    const before = {
      ...worked(RULEBOOK_V1),
      verdicts: { STUDY: 'FAIL', LISTENING: 'PASS', COMBINED: 'PASS', STYLE: 'PASS' },
    } as CampaignContext;
    expect(beginReforge(before, R, RULEBOOK_V1)).toStrictEqual({
      ...before,
      reforgeStartedAt: R,
      reopenedRegions: ['study'],
      windowStart: { study: R, listening: LAUNCH, correcting: LAUNCH },
      study: initialContext({ kind: 'LEADERSHIP_BODY', leaderCount: 3 }, RULEBOOK_V1).study,
    });
  });

  it('a failed STYLE reopens all three, in region order; ruleset 2 starts its study tally afresh too', () => {
    const before = { ...worked(RULEBOOK_V2), verdicts: { STYLE: 'FAIL', LISTENING: 'FAIL' } } as CampaignContext;
    const empty = initialContext({ kind: 'LEADERSHIP_BODY', leaderCount: 3 }, RULEBOOK_V2);
    expect(before.supplement).toMatchObject({ topics: ['LANKAO_SPEECH'], activities: ['READ_ORIGINALS'] });
    expect(beginReforge(before, R, RULEBOOK_V2)).toStrictEqual({
      ...before,
      reforgeStartedAt: R,
      reopenedRegions: ['study', 'listening', 'correcting'],
      windowStart: { study: R, listening: R, correcting: R },
      study: empty.study,
      listening: empty.listening,
      correcting: empty.correcting,
      // the self-assessment is not a study tally: it stays (the gate asks for one filed after the re-forge began)
      supplement: { ...empty.supplement, selfAssessedAt: LAUNCH + 2 * HOUR },
    });
  });

  it('a failed LISTENING or COMBINED reopens its own region, and leaves the supplement as it was', () => {
    const before = { ...worked(RULEBOOK_V2), verdicts: { COMBINED: 'FAIL', STUDY: 'PASS' } } as CampaignContext;
    expect(beginReforge(before, R, RULEBOOK_V2)).toStrictEqual({
      ...before,
      reforgeStartedAt: R,
      reopenedRegions: ['correcting'],
      windowStart: { study: LAUNCH, listening: LAUNCH, correcting: R },
      correcting: { problemsIdentified: 0 },
    });
    const listening = { ...before, verdicts: { LISTENING: 'FAIL' } } as CampaignContext;
    expect(beginReforge(listening, R, RULEBOOK_V2)).toMatchObject({
      reopenedRegions: ['listening'],
      windowStart: { study: LAUNCH, listening: R, correcting: LAUNCH },
      listening: initialContext({ kind: 'LEADERSHIP_BODY', leaderCount: 3 }, RULEBOOK_V1).listening,
      correcting: { problemsIdentified: 1 },
      supplement: before.supplement,
    });
  });
});

describe.each([
  ['ruleset 1', RULEBOOK_V1],
  ['ruleset 2', RULEBOOK_V2],
])('evidence counts only inside its region’s window (%s)', (_name, rulebook) => {
  it('from the window’s start on, not a millisecond before, and nothing before a launch', () => {
    const c = launched('GRASSROOTS', rulebook);
    const unlaunched = initialContext({ kind: 'GRASSROOTS', leaderCount: 3 }, rulebook);
    for (const e of [
      session('GROUP_DISCUSSION', LAUNCH - 1),
      lecture('书记', LAUNCH - 1),
      event('FILM_SCREENING', LAUNCH - 1, { title: '焦裕禄' }),
      event('COLLECTIVE_DELIBERATION', LAUNCH - 1, { opinionsDiscussed: 0 }),
      event('PROVINCE_ACTIVITY', LAUNCH - 1, { activity: 'READ_ORIGINALS' }),
      event('LOOKBACK_VERDICT', LAUNCH, { item: 'STUDY', verdict: 'PASS' }),
    ]) {
      expect(applyEvidence(c, e, rulebook)).toBe(c);
      expect(applyEvidence(unlaunched, { ...e, occurredAtMs: LAUNCH } as MachineEvent, rulebook)).toBe(unlaunched);
    }
    expect(
      applyEvidence(c, session('GROUP_DISCUSSION', LAUNCH), rulebook).study.sessionsByFormat.GROUP_DISCUSSION,
    ).toBe(1);
    expect(applyEvidence(c, lecture('书记', LAUNCH), rulebook).study).toMatchObject({ partyLectures: 1 });
    expect(applyEvidence(c, event('FILM_SCREENING', LAUNCH, { title: 'x' }), rulebook).study.filmScreenings).toBe(1);
    const deliberated = event('COLLECTIVE_DELIBERATION', LAUNCH, { opinionsDiscussed: 0 });
    expect(applyEvidence(c, deliberated, rulebook).listening.latestDeliberationAt).toBe(LAUNCH);
  });

  it('an opinion before the window still waits for its claim, but counts for nothing', () => {
    const c = launched('GRASSROOTS', rulebook);
    expect(applyEvidence(c, opinion(LAUNCH - 1, { collectedByUnitId: 'other' }), rulebook)).toStrictEqual({
      ...c,
      unclaimedOpinionIds: ['op-1'],
    });
    expect(applyEvidence(c, opinion(LAUNCH - 1), rulebook)).toStrictEqual(c);
  });

  it('reads `occurredAt` itself when the event comes without its parsed instant', () => {
    const c = launched('GRASSROOTS', rulebook);
    const unparsed = { ...session('GROUP_DISCUSSION', LAUNCH), occurredAtMs: undefined } as MachineEvent;
    expect(applyEvidence(c, unparsed, rulebook).study.sessionsByFormat.GROUP_DISCUSSION).toBe(1);
    const early = { ...session('GROUP_DISCUSSION', LAUNCH - 1), occurredAtMs: undefined } as MachineEvent;
    expect(applyEvidence(c, early, rulebook)).toBe(c);
  });
});

describe('ruleset 1: the tallies', () => {
  it('concentrated days are distinct dates in the rulebook’s zone, sorted, capped at what the gate needs', () => {
    const DAY = 24 * HOUR;
    const c = applyAll(launched('DIRECT_UNIT'), [
      session('SELF_STUDY', LAUNCH + 4 * DAY), // not a concentrated session: no day
      session('CONCENTRATED', LAUNCH + 2 * DAY),
      session('CONCENTRATED', LAUNCH + 2 * DAY + HOUR), // the same day
      session('CONCENTRATED', Date.parse('2014-03-01T17:00:00Z')), // 01:00 on 2 March in Shanghai
      session('CONCENTRATED', LAUNCH + 5 * DAY), // a third day: DIRECT_UNIT needs two
    ]);
    expect(c.study.concentratedDates).toStrictEqual(['2014-03-02', '2014-03-03']);
    expect(c.study.sessionsByFormat).toStrictEqual({
      CONCENTRATED: 4,
      THEMATIC_SEMINAR: 0,
      GROUP_DISCUSSION: 0,
      SELF_STUDY: 1,
      ETHICS_TRAINING: 0,
    });
  });

  it('lecturers are distinct names, trimmed, capped at the leader count; every lecture counts', () => {
    const c = applyAll(launched('LEADERSHIP_BODY', RULEBOOK_V1, 2), [
      lecture(' 王书记 ', LAUNCH),
      lecture('王书记', LAUNCH),
      lecture('李主任', LAUNCH),
      lecture('赵部长', LAUNCH),
    ]);
    expect(c.study).toMatchObject({ lecturers: ['王书记', '李主任'], partyLectures: 4 });
  });

  it('opinions: face-to-face and four-styles counted by the rulebook’s lists, the latest instant kept', () => {
    const c = applyAll(launched('GRASSROOTS'), [
      opinion(LAUNCH + 2 * HOUR, { channel: 'ONLINE', category: 'WORK' }),
      opinion(LAUNCH + HOUR, {
        channel: 'HOME_VISIT',
        category: 'HEDONISM',
        opinionId: 'op-2',
        collectedByUnitId: 'x',
      }),
      opinion(LAUNCH + HOUR, { channel: 'PETITION_VISIT', category: 'EXTRAVAGANCE', opinionId: 'op-3' }),
    ]);
    expect(c.listening).toStrictEqual({
      opinions: 3,
      faceToFace: 1,
      fourStyles: 2,
      latestOpinionAt: LAUNCH + 2 * HOUR,
      latestDeliberationAt: null,
    });
    expect(c.unclaimedOpinionIds).toStrictEqual(['op-2']);
    expect(
      applyEvidence(c, event('OPINION_CLAIMED', LAUNCH, { opinionId: 'op-2' }), RULEBOOK_V1).unclaimedOpinionIds,
    ).toStrictEqual([]);
    const v2 = applyEvidence(
      launched('GRASSROOTS', RULEBOOK_V2),
      opinion(LAUNCH, { channel: 'PETITION_VISIT' }),
      RULEBOOK_V2,
    );
    expect(v2.listening.faceToFace).toBe(1);
  });

  it('deliberations: the latest instant kept', () => {
    const c = applyAll(launched('LEADERSHIP_BODY'), [
      event('COLLECTIVE_DELIBERATION', LAUNCH + 2 * HOUR, { opinionsDiscussed: 0 }),
      event('COLLECTIVE_DELIBERATION', LAUNCH + HOUR, { opinionsDiscussed: 0 }),
    ]);
    expect(c.listening.latestDeliberationAt).toBe(LAUNCH + 2 * HOUR);
  });

  it('problems: counted, open with their due date until rectified; findings open until resolved', () => {
    const problem = (problemId: string, fields: Record<string, unknown>) =>
      event('PROBLEM_IDENTIFIED', LAUNCH, { problemId, category: 'x', fixAtOnce: false, ...fields });
    const c = applyAll(launched('GRASSROOTS'), [
      problem('a', { dueAtMs: LAUNCH + HOUR, dueAt: iso(LAUNCH + 5 * HOUR) }),
      problem('b', { dueAt: iso(LAUNCH + 2 * HOUR), fixAtOnce: true }),
      problem('c', { dueAt: null }),
      problem('d', { dueAtMs: null, dueAt: iso(LAUNCH) }),
      event('FINDING_ISSUED', LAUNCH, { findingId: 'f1', kind: 'LAZY_THINKING' }),
      event('FINDING_ISSUED', LAUNCH, { findingId: 'f2', kind: 'LAZY_THINKING' }),
    ]);
    expect(c.correcting).toStrictEqual({ problemsIdentified: 4 });
    expect(c.openProblems).toStrictEqual({
      a: { fixAtOnce: false, dueAt: LAUNCH + HOUR },
      b: { fixAtOnce: true, dueAt: LAUNCH + 2 * HOUR },
      c: { fixAtOnce: false, dueAt: null },
      d: { fixAtOnce: false, dueAt: null },
    });
    expect(c.openFindingIds).toStrictEqual(['f1', 'f2']);
    const after = applyAll(c, [
      event('PROBLEM_RECTIFIED', LAUNCH, { problemId: 'b' }),
      event('FINDING_RESOLVED', LAUNCH, { findingId: 'f1' }),
    ]);
    expect(Object.keys(after.openProblems)).toStrictEqual(['a', 'c', 'd']);
    expect(after.correcting).toStrictEqual({ problemsIdentified: 4 });
    expect(after.openFindingIds).toStrictEqual(['f2']);
    expect(c.openProblems.b).toBeDefined(); // the context before is left as it was
  });
});

describe('ruleset 2: the supplement’s tallies', () => {
  const R = RULEBOOK_V2;
  const apply = (context: CampaignContext, events: MachineEvent[]) => applyAll(context, events, R);

  it('names: NFKC, trimmed, each run of whitespace one space', () => {
    expect(normalisedName('  王\u3000 书记 ')).toBe('王 书记');
    expect(normalisedName('ＡＢ\t\nC')).toBe('AB C');
  });

  it('a problem category by code or by the notice’s wording, or none', () => {
    expect(categoryCodeOf('BUCK_PASSING', R)).toBe('BUCK_PASSING');
    expect(categoryCodeOf(' 推诿扯皮 ', R)).toBe('BUCK_PASSING');
    expect(categoryCodeOf('门难进、脸难看、事难办', R)).toBe('HARD_TO_SERVE');
    expect(categoryCodeOf('推诿', R)).toBeNull();
    expect(categoryCodeOf('BUCK_PASSING', RULEBOOK_V1)).toBeNull();
    expect(forcedFixAtOnce('DIRECT_UNIT', '推诿扯皮', R)).toBe(true);
    expect(forcedFixAtOnce('WINDOW_SERVICE', '推诿扯皮', R)).toBe(false);
    expect(forcedFixAtOnce('DIRECT_UNIT', 'OTHER', R)).toBe(false);
    expect(forcedFixAtOnce('DIRECT_UNIT', 'BUCK_PASSING', RULEBOOK_V1)).toBe(false);
  });

  it('a problem of a fix-at-once category is fix-at-once whatever the officer says', () => {
    const identified = (category: string, fixAtOnce: boolean) =>
      apply(launched('DIRECT_UNIT', R), [event('PROBLEM_IDENTIFIED', LAUNCH, { problemId: 'p', category, fixAtOnce })])
        .openProblems.p;
    expect(identified('庸懒散拖', false)).toStrictEqual({ fixAtOnce: true, dueAt: null });
    expect(identified('OTHER', false)).toStrictEqual({ fixAtOnce: false, dueAt: null });
    expect(identified('OTHER', true)).toStrictEqual({ fixAtOnce: true, dueAt: null });
  });

  it('a concentrated day counts at the minimum hours summed over the day, in milli-hours', () => {
    const tenths = Array.from({ length: 30 }, (_, i) => session('CONCENTRATED', LAUNCH + i * 60_000, { hours: 0.1 }));
    const c = apply(launched('LEADERSHIP_BODY', R), tenths);
    expect(c.study.concentratedDates).toStrictEqual(['2014-03-01']);
    expect(c.supplement?.concentratedHours).toStrictEqual({});
    const short = apply(launched('LEADERSHIP_BODY', R), tenths.slice(1));
    expect(short.study.concentratedDates).toStrictEqual([]);
    expect(short.supplement?.concentratedHours).toStrictEqual({ '2014-03-01': 2.9 });
  });

  it('concentrated days are kept sorted, whatever order they were recorded in', () => {
    const DAY = 24 * HOUR;
    const c = apply(launched('DIRECT_UNIT', R), [
      session('CONCENTRATED', LAUNCH + 2 * DAY, { hours: 3 }),
      session('CONCENTRATED', LAUNCH, { hours: 3 }),
    ]);
    expect(c.study.concentratedDates).toStrictEqual(['2014-03-01', '2014-03-03']);
  });

  it('hours left on other days are forgotten once the days needed are reached; later sessions add none', () => {
    const DAY = 24 * HOUR;
    const c = apply(launched('DIRECT_UNIT', R), [
      session('CONCENTRATED', LAUNCH + 3 * DAY, { hours: 1 }),
      session('CONCENTRATED', LAUNCH, { hours: 3 }),
    ]);
    expect(c.study.concentratedDates).toStrictEqual(['2014-03-01']);
    expect(c.supplement?.concentratedHours).toStrictEqual({ '2014-03-04': 1 });
    const done = apply(c, [session('CONCENTRATED', LAUNCH + DAY, { hours: 4 })]);
    expect(done.study.concentratedDates).toStrictEqual(['2014-03-01', '2014-03-02']);
    expect(done.supplement?.concentratedHours).toStrictEqual({});
    const more = apply(done, [
      session('CONCENTRATED', LAUNCH + 3 * DAY, { hours: 1 }),
      session('CONCENTRATED', LAUNCH, { hours: 1 }),
    ]);
    expect(more.study.concentratedDates).toStrictEqual(['2014-03-01', '2014-03-02']);
    expect(more.supplement?.concentratedHours).toStrictEqual({});
    expect(more.study.sessionsByFormat.CONCENTRATED).toBe(5);
  });

  it('business training counts for nothing; an ethics training names ethics and conduct', () => {
    const c = launched('WINDOW_SERVICE', R);
    expect(apply(c, [session('BUSINESS_TRAINING', LAUNCH, { topics: ['LANKAO_SPEECH'] })])).toBe(c);
    const ethics = apply(c, [session('ETHICS_TRAINING', LAUNCH, { topics: ['LANKAO_SPEECH'] })]);
    expect(ethics.supplement?.topics).toStrictEqual(['ETHICS_AND_CONDUCT']);
    expect(ethics.study.sessionsByFormat.ETHICS_TRAINING).toBe(1);
    // three hours, but not a concentrated session: no concentrated day, no hours towards one
    expect(ethics.study.concentratedDates).toStrictEqual([]);
    expect(ethics.supplement?.concentratedHours).toStrictEqual({});
  });

  it('topics: from `topics` and a `topic` of the list, once each, sorted; never ethics from elsewhere', () => {
    const c = apply(launched('LEADERSHIP_BODY', R), [
      session('SELF_STUDY', LAUNCH, { topics: ['SERIES_SPEECHES', 'ETHICS_AND_CONDUCT', 'gossip', 'SERIES_SPEECHES'] }),
      session('GROUP_DISCUSSION', LAUNCH, { topic: 'REQUIRED_READINGS', topics: null }),
      session('GROUP_DISCUSSION', LAUNCH, { topic: '党章' }),
      session('GROUP_DISCUSSION', LAUNCH, { topic: 'ETHICS_AND_CONDUCT' }),
      lecture('王书记', LAUNCH, { topics: ['JIAO_YULU_SPIRIT', 'LANKAO_SPEECH'] }),
      lecture('李主任', LAUNCH),
    ]);
    expect(c.supplement?.topics).toStrictEqual([
      'JIAO_YULU_SPIRIT',
      'LANKAO_SPEECH',
      'REQUIRED_READINGS',
      'SERIES_SPEECHES',
    ]);
    expect(c.study).toMatchObject({ lecturers: ['王书记', '李主任'], partyLectures: 2 });
  });

  it('lecturers compared after NFKC, capped at max(leaders, the minimum)', () => {
    const c = apply(launched('LEADERSHIP_BODY', R, 0), [
      lecture('王 书记', LAUNCH),
      lecture(' 王\u3000书记', LAUNCH),
      lecture('李', LAUNCH),
    ]);
    expect(c.study).toMatchObject({ lecturers: ['王 书记'], partyLectures: 3 });
  });

  it('province activities of the catalogue, once each, sorted; others count for nothing', () => {
    const c = launched('DIRECT_UNIT', R);
    const held = apply(c, [
      event('PROVINCE_ACTIVITY', LAUNCH, { activity: 'WATCH_SERIES' }),
      event('PROVINCE_ACTIVITY', LAUNCH, { activity: 'HEAR_REPORT' }),
      event('PROVINCE_ACTIVITY', LAUNCH, { activity: 'WATCH_SERIES' }),
    ]);
    expect(held.supplement?.activities).toStrictEqual(['HEAR_REPORT', 'WATCH_SERIES']);
    expect(apply(c, [event('PROVINCE_ACTIVITY', LAUNCH, { activity: 'DANCE' })])).toBe(c);
  });

  it('the self-assessment is dated by its recording', () => {
    const c = launched('DIRECT_UNIT', R);
    const filed = event('SELF_ASSESSMENT_FILED', LAUNCH + HOUR, { items: [] });
    expect(apply(c, [filed])).toStrictEqual({ ...c, supplement: { ...c.supplement, selfAssessedAt: LAUNCH + HOUR } });
    expect(apply(c, [{ ...filed, atMs: undefined } as MachineEvent]).supplement?.selfAssessedAt).toBe(LAUNCH + HOUR);
  });

  it('a deliberation counts when it discussed every opinion the unit had, not one fewer', () => {
    const c = apply(launched('LEADERSHIP_BODY', R), [opinion(LAUNCH), opinion(LAUNCH, { opinionId: 'op-2' })]);
    const deliberation = (opinionsDiscussed: number) =>
      event('COLLECTIVE_DELIBERATION', LAUNCH + HOUR, { opinionsDiscussed });
    expect(apply(c, [deliberation(1)])).toBe(c);
    expect(apply(c, [deliberation(2)]).listening.latestDeliberationAt).toBe(LAUNCH + HOUR);
  });

  it('a context without its tally starts one; a rulebook without supplement rules is refused', () => {
    const bare = { ...launched('DIRECT_UNIT', R), supplement: undefined };
    expect(apply(bare, [event('PROVINCE_ACTIVITY', LAUNCH, { activity: 'HEAR_REPORT' })]).supplement).toStrictEqual({
      topics: [],
      activities: ['HEAR_REPORT'],
      concentratedHours: {},
      selfAssessedAt: null,
    });
    const noRules = { ...R, version: 9, supplement: undefined } as Rulebook;
    expect(() => applySupplementEvidence(launched('DIRECT_UNIT', R), opinion(LAUNCH), noRules)).toThrow(
      'rulebook v9 (ruleset 2) has no supplement rules.',
    );
  });
});
