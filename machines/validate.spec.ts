/**
 * Input validation, whole: what the machine receives for an accepted event (its instants parsed once), and for a
 * refused one the field it names and the message the officer reads — every rule at its edge (limit and limit + 1).
 * No statechart run: `validate` alone, against a context made by hand.
 */
import { initialContext, type CampaignContext } from './context.js';
import type { CampaignEvent } from './events.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import { InvalidInput, validate } from './validate.js';
import type { UnitKind } from './vocabulary.js';

const LAUNCH = Date.parse('2014-02-01T01:00:00Z');
const AT = Date.parse('2014-02-05T01:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const launched = (kind: UnitKind = 'DIRECT_UNIT', rulebook: Rulebook = RULEBOOK_V1): CampaignContext => ({
  ...initialContext({ kind, leaderCount: 2 }, rulebook),
  launchedAt: LAUNCH,
});

/** What `validate` answers: the machine's event, or the refusal's field and message. */
function judge(
  event: Record<string, unknown>,
  options: { context?: CampaignContext; rulebook?: Rulebook; override?: boolean } = {},
): unknown {
  const rulebook = options.rulebook ?? RULEBOOK_V1;
  try {
    return validate(
      event as unknown as CampaignEvent,
      options.context ?? launched('DIRECT_UNIT', rulebook),
      options.override ?? false,
      rulebook,
    );
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    return { refused: error.field, message: error.message };
  }
}

const session = (change: Record<string, unknown> = {}) => ({
  type: 'STUDY_SESSION',
  format: 'CONCENTRATED',
  occurredAt: iso(AT - 3_600_000),
  hours: 3,
  attendees: 12,
  at: iso(AT),
  ...change,
});

describe('the instant of recording', () => {
  it('is parsed once: the machine reads `atMs`', () => {
    expect(
      judge(
        { type: 'FINDING_RESOLVED', findingId: 'f', at: '2014-02-05T09:00:00+08:00' },
        {
          context: { ...launched(), openFindingIds: ['f'] },
        },
      ),
    ).toStrictEqual({ type: 'FINDING_RESOLVED', findingId: 'f', at: '2014-02-05T09:00:00+08:00', atMs: AT });
  });
  it('must be an ISO-8601 instant with a zone', () => {
    expect(judge(session({ at: '2014-02-05T01:00:00' }))).toStrictEqual({
      refused: 'at',
      message: 'at must be an ISO-8601 instant with a zone, e.g. 2014-03-01T09:00:00Z; got "2014-02-05T01:00:00".',
    });
  });
});

describe('stage events', () => {
  it('carry the override flag and an empty gate log', () => {
    for (const type of [
      'COMPLETE_STUDY',
      'COMPLETE_LISTENING',
      'COMPLETE_CORRECTING',
      'REQUEST_LOOKBACK',
      'CONCLUDE_LOOKBACK',
    ]) {
      expect(judge({ type, at: iso(AT) }, { override: true })).toStrictEqual({
        type,
        at: iso(AT),
        atMs: AT,
        override: true,
        gateLog: {},
      });
      expect(judge({ type, at: iso(AT) })).toStrictEqual({ type, at: iso(AT), atMs: AT, override: false, gateLog: {} });
    }
  });
  it('LAUNCH needs to know, as a boolean, whether the parent launched', () => {
    const context = initialContext({ kind: 'DIRECT_UNIT', leaderCount: 2 }, RULEBOOK_V1);
    expect(judge({ type: 'LAUNCH', parentLaunched: false, at: iso(AT) }, { context })).toStrictEqual({
      type: 'LAUNCH',
      parentLaunched: false,
      at: iso(AT),
      atMs: AT,
      override: false,
      gateLog: {},
    });
    expect(judge({ type: 'LAUNCH', parentLaunched: 'yes', at: iso(AT) }, { context })).toStrictEqual({
      refused: 'parentLaunched',
      message: 'parentLaunched must be a boolean.',
    });
  });
});

describe('the study plan', () => {
  const plan = (change: Record<string, unknown>) => ({
    type: 'FILE_STUDY_PLAN',
    topics: ['党章'],
    plannedDays: 1,
    at: iso(AT),
    ...change,
  });
  it('lists at least one topic, each a non-empty string, over at least one day', () => {
    expect(judge(plan({}))).toStrictEqual({ ...plan({}), atMs: AT });
    expect(judge(plan({ topics: [] }))).toStrictEqual({
      refused: 'topics',
      message: 'topics must list at least one topic.',
    });
    expect(judge(plan({ topics: '党章' }))).toStrictEqual({
      refused: 'topics',
      message: 'topics must list at least one topic.',
    });
    expect(judge(plan({ topics: ['党章', ' '] }))).toStrictEqual({
      refused: 'topics[1]',
      message: 'topics[1] must be a non-empty string.',
    });
    expect(judge(plan({ topics: ['党章', 7] }))).toStrictEqual({
      refused: 'topics[1]',
      message: 'topics[1] must be a non-empty string.',
    });
    expect(judge(plan({ plannedDays: 0 }))).toStrictEqual({
      refused: 'plannedDays',
      message: 'plannedDays must be an integer ≥ 1; got 0.',
    });
    expect(judge(plan({ plannedDays: 1.5 }))).toStrictEqual({
      refused: 'plannedDays',
      message: 'plannedDays must be an integer ≥ 1; got 1.5.',
    });
    expect(judge(plan({ plannedDays: '2' }))).toStrictEqual({
      refused: 'plannedDays',
      message: 'plannedDays must be an integer ≥ 1; got "2".',
    });
  });
});

describe('a study session', () => {
  it('is handed on with its instants parsed', () => {
    expect(judge(session())).toStrictEqual({ ...session(), atMs: AT, occurredAtMs: AT - 3_600_000 });
  });
  it('names a format of the ruleset: business training only under ruleset 2', () => {
    expect(judge(session({ format: 'BUSINESS_TRAINING' }))).toStrictEqual({
      refused: 'format',
      message:
        'format must be one of CONCENTRATED, THEMATIC_SEMINAR, GROUP_DISCUSSION, SELF_STUDY, ETHICS_TRAINING; got "BUSINESS_TRAINING".',
    });
    expect(judge(session({ format: 'BUSINESS_TRAINING' }), { rulebook: RULEBOOK_V2 })).toMatchObject({
      format: 'BUSINESS_TRAINING',
      atMs: AT,
    });
  });
  it('lasts more than 0 and at most 24 hours', () => {
    expect(judge(session({ hours: 24 }))).toMatchObject({ hours: 24, atMs: AT });
    expect(judge(session({ hours: 0.1 }))).toMatchObject({ hours: 0.1 });
    for (const hours of [0, -1, 24.01, Number.POSITIVE_INFINITY, Number.NaN, '3'])
      expect(judge(session({ hours }))).toStrictEqual({
        refused: 'hours',
        message: `hours must be a number in (0, 24]; got ${JSON.stringify(hours)}.`,
      });
  });
  it('has at least one attendee, counted in whole people', () => {
    expect(judge(session({ attendees: 1 }))).toMatchObject({ attendees: 1 });
    expect(judge(session({ attendees: 0 }))).toStrictEqual({
      refused: 'attendees',
      message: 'attendees must be an integer ≥ 1; got 0.',
    });
    expect(judge(session({ attendees: 2.5 }))).toMatchObject({ refused: 'attendees' });
  });
  it('may name a topic as a string, or none', () => {
    expect(judge(session({ topic: null }))).toMatchObject({ topic: null, atMs: AT });
    expect(judge(session({ topic: '党章' }))).toMatchObject({ topic: '党章' });
    expect(judge(session({ topic: 3 }))).toStrictEqual({
      refused: 'topic',
      message: 'topic must be a string or null.',
    });
  });
});

describe('occurredAt: neither from the future nor before the launch', () => {
  const at = (occurred: number) => judge(session({ occurredAt: iso(occurred) }));
  it('may be the very instant of recording, or of the launch', () => {
    expect(at(AT)).toMatchObject({ occurredAtMs: AT });
    expect(at(LAUNCH)).toMatchObject({ occurredAtMs: LAUNCH });
  });
  it('is refused a millisecond later than the recording, or earlier than the launch', () => {
    expect(at(AT + 1)).toStrictEqual({
      refused: 'occurredAt',
      message: `occurredAt (${iso(AT + 1)}) is after the time of recording: evidence cannot come from the future.`,
    });
    expect(at(LAUNCH - 1)).toStrictEqual({
      refused: 'occurredAt',
      message: `occurredAt (${iso(LAUNCH - 1)}) is before the unit's launch (2014-02-01T01:00:00.000Z): no back-dating.`,
    });
  });
  it('has nothing to date from before the launch', () => {
    const context = initialContext({ kind: 'DIRECT_UNIT', leaderCount: 2 }, RULEBOOK_V1);
    expect(judge(session(), { context })).toStrictEqual({
      refused: 'occurredAt',
      message: `occurredAt (${iso(AT - 3_600_000)}) is before the unit's launch (not launched): no back-dating.`,
    });
  });
  it('is an instant with a zone', () => {
    expect(judge(session({ occurredAt: '2014-02-04' }))).toStrictEqual({
      refused: 'occurredAt',
      message: 'occurredAt must be an ISO-8601 instant with a zone, e.g. 2014-03-01T09:00:00Z; got "2014-02-04".',
    });
  });
});

describe('party lectures and films', () => {
  it('name the lecturer, or the film', () => {
    const lecture = { type: 'PARTY_LECTURE', lecturer: '王书记', occurredAt: iso(AT), at: iso(AT) };
    expect(judge(lecture)).toStrictEqual({ ...lecture, atMs: AT, occurredAtMs: AT });
    expect(judge({ ...lecture, lecturer: '' })).toStrictEqual({
      refused: 'lecturer',
      message: 'lecturer must be a non-empty string.',
    });
    expect(judge({ ...lecture, occurredAt: iso(AT + 1) })).toMatchObject({ refused: 'occurredAt' });
    const film = { type: 'FILM_SCREENING', title: '焦裕禄', occurredAt: iso(AT), at: iso(AT) };
    expect(judge(film)).toStrictEqual({ ...film, atMs: AT, occurredAtMs: AT });
    expect(judge({ ...film, title: ' ' })).toStrictEqual({
      refused: 'title',
      message: 'title must be a non-empty string.',
    });
    expect(judge({ ...film, occurredAt: iso(LAUNCH - 1) })).toMatchObject({ refused: 'occurredAt' });
  });
});

describe('opinions', () => {
  const opinion = (change: Record<string, unknown> = {}) => ({
    type: 'OPINION_RECORDED',
    opinionId: 'op-1',
    channel: 'FORUM',
    category: 'HEDONISM',
    collectedByUnitId: 'a',
    targetUnitId: 'b',
    occurredAt: iso(AT),
    at: iso(AT),
    ...change,
  });
  it('are recorded with every field named', () => {
    expect(judge(opinion())).toStrictEqual({ ...opinion(), atMs: AT, occurredAtMs: AT });
    expect(judge(opinion({ opinionId: '' }))).toMatchObject({ refused: 'opinionId' });
    expect(judge(opinion({ channel: 'PIGEON' }))).toStrictEqual({
      refused: 'channel',
      message:
        'channel must be one of FACE_TO_FACE, HOME_VISIT, FORUM, CONDUCT_REVIEW, LETTER, PETITION_VISIT, REFERRAL, ONLINE, PHONE, INTERNAL; got "PIGEON".',
    });
    expect(judge(opinion({ category: 'GLUTTONY' }))).toMatchObject({ refused: 'category' });
    expect(judge(opinion({ collectedByUnitId: ' ' }))).toStrictEqual({
      refused: 'collectedByUnitId',
      message: 'collectedByUnitId must be a non-empty string.',
    });
    expect(judge(opinion({ targetUnitId: null }))).toStrictEqual({
      refused: 'targetUnitId',
      message: 'targetUnitId must be a non-empty string.',
    });
    expect(judge(opinion({ occurredAt: iso(AT + 1) }))).toMatchObject({ refused: 'occurredAt' });
  });
  it('one awaiting its claim is not recorded twice; only such an opinion is claimed', () => {
    const context = { ...launched(), unclaimedOpinionIds: ['op-1'] };
    expect(judge(opinion(), { context })).toStrictEqual({
      refused: 'opinionId',
      message: 'Opinion op-1 is already recorded and awaiting its claim.',
    });
    const claim = { type: 'OPINION_CLAIMED', opinionId: 'op-1', at: iso(AT) };
    expect(judge(claim, { context })).toStrictEqual({ ...claim, atMs: AT });
    expect(judge(claim)).toStrictEqual({
      refused: 'opinionId',
      message: 'Opinion op-1 is not an unclaimed opinion routed to this unit.',
    });
    expect(judge({ ...claim, opinionId: '' }, { context })).toStrictEqual({
      refused: 'opinionId',
      message: 'opinionId must be a non-empty string.',
    });
  });
  it('a deliberation discussed zero opinions or more', () => {
    const deliberation = { type: 'COLLECTIVE_DELIBERATION', occurredAt: iso(AT), opinionsDiscussed: 0, at: iso(AT) };
    expect(judge(deliberation)).toStrictEqual({ ...deliberation, atMs: AT, occurredAtMs: AT });
    expect(judge({ ...deliberation, opinionsDiscussed: -1 })).toStrictEqual({
      refused: 'opinionsDiscussed',
      message: 'opinionsDiscussed must be an integer ≥ 0; got -1.',
    });
    expect(judge({ ...deliberation, occurredAt: iso(AT + 1) })).toMatchObject({ refused: 'occurredAt' });
  });
});

describe('problems', () => {
  const problem = (change: Record<string, unknown> = {}) => ({
    type: 'PROBLEM_IDENTIFIED',
    problemId: 'p1',
    category: '庸懒散拖',
    fixAtOnce: false,
    at: iso(AT),
    ...change,
  });
  it('have an optional due date, parsed', () => {
    expect(judge(problem())).toStrictEqual({ ...problem(), atMs: AT, dueAtMs: null });
    expect(judge(problem({ dueAt: null }))).toStrictEqual({ ...problem({ dueAt: null }), atMs: AT, dueAtMs: null });
    expect(judge(problem({ dueAt: iso(AT + 5) }))).toStrictEqual({
      ...problem({ dueAt: iso(AT + 5) }),
      atMs: AT,
      dueAtMs: AT + 5,
    });
    expect(judge(problem({ dueAt: 'soon' }))).toMatchObject({ refused: 'dueAt' });
  });
  it('name the problem and its category, say whether it is fixed at once, and may name a source opinion', () => {
    expect(judge(problem({ problemId: ' ' }))).toMatchObject({ refused: 'problemId' });
    expect(judge(problem({ category: '' }))).toStrictEqual({
      refused: 'category',
      message: 'category must be a non-empty string.',
    });
    expect(judge(problem({ fixAtOnce: 1 }))).toStrictEqual({
      refused: 'fixAtOnce',
      message: 'fixAtOnce must be a boolean.',
    });
    expect(judge(problem({ sourceOpinionId: 'op-1' }))).toMatchObject({ sourceOpinionId: 'op-1', atMs: AT });
    expect(judge(problem({ sourceOpinionId: null }))).toMatchObject({ sourceOpinionId: null, atMs: AT });
    expect(judge(problem({ sourceOpinionId: 9 }))).toStrictEqual({
      refused: 'sourceOpinionId',
      message: 'sourceOpinionId must be a string or null.',
    });
  });
  it('an open one is not identified again; only an open one is rectified', () => {
    const context = { ...launched(), openProblems: { p1: { fixAtOnce: false, dueAt: null } } };
    expect(judge(problem(), { context })).toStrictEqual({
      refused: 'problemId',
      message: 'Problem p1 is already open.',
    });
    const rectified = { type: 'PROBLEM_RECTIFIED', problemId: 'p1', occurredAt: iso(AT), at: iso(AT) };
    expect(judge(rectified, { context })).toStrictEqual({ ...rectified, atMs: AT, occurredAtMs: AT });
    expect(judge(rectified)).toStrictEqual({
      refused: 'problemId',
      message: 'Problem p1 is not an open problem of this unit.',
    });
    expect(judge({ ...rectified, problemId: '' }, { context })).toMatchObject({ refused: 'problemId' });
    expect(judge({ ...rectified, occurredAt: iso(AT + 1) }, { context })).toMatchObject({ refused: 'occurredAt' });
  });
});

describe('findings and verdicts', () => {
  it('a finding is issued once, with a known kind, and resolved only while open', () => {
    const issued = { type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: iso(AT) };
    expect(judge(issued)).toStrictEqual({ ...issued, atMs: AT });
    expect(judge({ ...issued, findingId: '' })).toMatchObject({ refused: 'findingId' });
    expect(judge({ ...issued, kind: 'RUDE' })).toStrictEqual({
      refused: 'kind',
      message:
        'kind must be one of LAZY_THINKING, SHALLOW_STUDY, COLD_ATMOSPHERE, SCATTERED_FOCUS, HOLLOW_OPINIONS, UNEVEN_PROGRESS, GOING_THROUGH_MOTIONS; got "RUDE".',
    });
    expect(judge(issued, { context: { ...launched(), openFindingIds: ['f'] } })).toStrictEqual({
      refused: 'findingId',
      message: 'Finding f is already open.',
    });
    const resolved = { type: 'FINDING_RESOLVED', findingId: 'f', at: iso(AT) };
    expect(judge(resolved)).toStrictEqual({
      refused: 'findingId',
      message: 'Finding f is not an open finding of this unit.',
    });
    expect(judge({ ...resolved, findingId: ' ' })).toStrictEqual({
      refused: 'findingId',
      message: 'findingId must be a non-empty string.',
    });
  });
  it('a verdict is PASS or FAIL on one of the four items', () => {
    const verdict = { type: 'LOOKBACK_VERDICT', item: 'STYLE', verdict: 'FAIL', at: iso(AT) };
    expect(judge(verdict)).toStrictEqual({ ...verdict, atMs: AT });
    expect(judge({ ...verdict, item: 'MOOD' })).toStrictEqual({
      refused: 'item',
      message: 'item must be one of STUDY, LISTENING, COMBINED, STYLE; got "MOOD".',
    });
    expect(judge({ ...verdict, verdict: 'MAYBE' })).toStrictEqual({
      refused: 'verdict',
      message: 'verdict must be one of PASS, FAIL; got "MAYBE".',
    });
  });
});

describe('province activities and the self-assessment', () => {
  const activity = (change: Record<string, unknown> = {}) => ({
    type: 'PROVINCE_ACTIVITY',
    activity: 'READ_ORIGINALS',
    occurredAt: iso(AT),
    at: iso(AT),
    ...change,
  });
  it('an activity is named, may carry a note, and is dated', () => {
    expect(judge(activity())).toStrictEqual({ ...activity(), atMs: AT, occurredAtMs: AT });
    expect(judge(activity({ activity: '' }))).toMatchObject({ refused: 'activity' });
    expect(judge(activity({ note: 'ok' }))).toMatchObject({ note: 'ok', atMs: AT });
    expect(judge(activity({ note: null }))).toMatchObject({ note: null, atMs: AT });
    expect(judge(activity({ note: 5 }))).toStrictEqual({ refused: 'note', message: 'note must be a string or null.' });
    expect(judge(activity({ occurredAt: iso(AT + 1) }))).toMatchObject({ refused: 'occurredAt' });
  });
  it('under ruleset 2 an activity is one of the catalogue', () => {
    const context = launched('DIRECT_UNIT', RULEBOOK_V2);
    expect(judge(activity(), { context, rulebook: RULEBOOK_V2 })).toMatchObject({ activity: 'READ_ORIGINALS' });
    expect(judge(activity({ activity: 'DANCE' }), { context, rulebook: RULEBOOK_V2 })).toStrictEqual({
      refused: 'activity',
      message: 'activity must be one of READ_ORIGINALS, STUDY_RECORDS, WATCH_SERIES, HEAR_REPORT; got "DANCE".',
    });
  });

  const items = (...entries: Array<[string, string]>) =>
    entries.map(([item, rating]) => ({ item, rating, text: `${item}: 自评` }));
  const all = items(['STUDY', 'MET'], ['LISTENING', 'PARTLY'], ['COMBINED', 'NOT_MET'], ['STYLE', 'MET']);
  it('the self-assessment rates each of the four items exactly once, in words', () => {
    const filed = { type: 'SELF_ASSESSMENT_FILED', items: all, at: iso(AT) };
    expect(judge(filed)).toStrictEqual({ ...filed, atMs: AT });
    expect(judge({ ...filed, items: 'all MET' })).toStrictEqual({ refused: 'items', message: 'items must be a list.' });
    expect(judge({ ...filed, items: [...all.slice(0, 2), { ...all[2], rating: 'SO_SO' }] })).toStrictEqual({
      refused: 'items[2].rating',
      message: 'items[2].rating must be one of MET, PARTLY, NOT_MET; got "SO_SO".',
    });
    expect(judge({ ...filed, items: [{ ...all[0], item: 'MOOD' }] })).toMatchObject({ refused: 'items[0].item' });
    expect(judge({ ...filed, items: [all[0], { ...all[1], text: ' ' }] })).toStrictEqual({
      refused: 'items[1].text',
      message: 'items[1].text must be a non-empty string.',
    });
    expect(judge({ ...filed, items: [all[0], null] })).toMatchObject({ refused: 'items[1].item' });
    expect(judge({ ...filed, items: [all[0], all[0], all[2], all[3]] })).toStrictEqual({
      refused: 'items',
      message: 'items must assess each of the four items exactly once (STUDY, LISTENING).',
    });
    expect(judge({ ...filed, items: all.slice(0, 3) })).toStrictEqual({
      refused: 'items',
      message: 'items must assess each of the four items exactly once (STYLE).',
    });
  });
});

describe('ruleset 2: topics and problem categories', () => {
  const v2 = (event: Record<string, unknown>, kind: UnitKind = 'DIRECT_UNIT') =>
    judge(event, { context: launched(kind, RULEBOOK_V2), rulebook: RULEBOOK_V2 });
  const lecture = (topics: unknown) => ({
    type: 'PARTY_LECTURE',
    lecturer: '王书记',
    occurredAt: iso(AT),
    at: iso(AT),
    topics,
  });

  it('topics come from the closed list, named by their place', () => {
    expect(v2(session({ topics: ['LANKAO_SPEECH'] }))).toMatchObject({ topics: ['LANKAO_SPEECH'], atMs: AT });
    expect(v2(session({ topics: null }))).toMatchObject({ topics: null, atMs: AT });
    expect(v2(session({ topics: 'LANKAO_SPEECH' }))).toStrictEqual({
      refused: 'topics',
      message: 'topics must be a list.',
    });
    expect(v2(lecture(['LANKAO_SPEECH', 'GOSSIP']))).toStrictEqual({
      refused: 'topics[1]',
      message:
        'topics[1] must be one of NOTICE_FOUR_REQUIREMENTS, LANKAO_SPEECH, SERIES_SPEECHES, REQUIRED_READINGS, JIAO_YULU_SPIRIT, MASS_LINE_BASICS, ETHICS_AND_CONDUCT; got "GOSSIP".',
    });
    expect(v2(lecture(['LANKAO_SPEECH']))).toMatchObject({ topics: ['LANKAO_SPEECH'], occurredAtMs: AT });
    // ruleset 1 reads no topics at all
    expect(judge(lecture('anything'))).toMatchObject({ topics: 'anything', atMs: AT });
  });
  it('ethics and conduct is studied in an ethics training only', () => {
    const refusal = {
      refused: 'topics',
      message:
        'ETHICS_AND_CONDUCT is studied in an ETHICS_TRAINING session only: it never stands in for the required content.',
    };
    expect(v2(session({ format: 'ETHICS_TRAINING', topics: ['ETHICS_AND_CONDUCT'] }))).toMatchObject({
      format: 'ETHICS_TRAINING',
    });
    expect(v2(session({ topics: ['ETHICS_AND_CONDUCT'] }))).toStrictEqual(refusal);
    expect(v2(lecture(['ETHICS_AND_CONDUCT']))).toStrictEqual(refusal);
  });
  it("a problem's category is one of the kind's fix-at-once categories, by code or wording, or OTHER", () => {
    const problem = (category: string) => ({
      type: 'PROBLEM_IDENTIFIED',
      problemId: 'p',
      category,
      fixAtOnce: false,
      at: iso(AT),
    });
    expect(v2(problem('OTHER'))).toMatchObject({ category: 'OTHER', dueAtMs: null });
    expect(v2(problem(' OTHER '))).toMatchObject({ category: ' OTHER ' });
    expect(v2(problem('BUCK_PASSING'))).toMatchObject({ category: 'BUCK_PASSING' });
    expect(v2(problem('庸懒散拖'))).toMatchObject({ category: '庸懒散拖' });
    const refusal = (got: string) => ({
      refused: 'category',
      message: `category must be one of this kind's fix-at-once categories (MEDIOCRE_LAZY_LAX_SLOW, BUCK_PASSING, MIDDLE_OBSTRUCTION) or OTHER; got ${JSON.stringify(got)}.`,
    });
    expect(v2(problem('EXACTIONS'))).toStrictEqual(refusal('EXACTIONS')); // another kind's category
    expect(v2(problem('whatever'))).toStrictEqual(refusal('whatever'));
    expect(v2(problem('EXACTIONS'), 'WINDOW_SERVICE')).toMatchObject({ category: 'EXACTIONS' });
  });
});
