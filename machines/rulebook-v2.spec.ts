/** Rulebook v2's gates at their boundaries, kind by kind, and migration from v1 (tallies recomputed, gaps reported). */
import { createCampaignMachine } from './campaign.machine.js';
import type { CampaignEvent } from './events.js';
import { blockerCodesOf } from './gates/sets.js';
import { migrateSnapshot, type HistoryEvent } from './migrate.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import {
  Unit,
  activity,
  correctingEvidence,
  day,
  deliberation,
  film,
  launchedUnit,
  listeningEvidence,
  opinion,
  problem,
  selfAssessment,
  session,
  studyEvidence,
  studyEvidenceUnder,
  topicSession,
} from './spec-support.js';
import { initialSnapshot, type StepResult } from './step.js';
import { LOOKBACK_ITEMS, UNIT_KINDS, type UnitKind } from './vocabulary.js';

const codes = (r: StepResult) => (r.ok ? [] : r.failure === 'BLOCKED' ? r.blockers.map((b) => b.code) : [r.failure]);
const v2 = (kind: UnitKind, leaderCount = 2) => launchedUnit(kind, leaderCount, RULEBOOK_V2);
const completeStudy = (unit: Unit, at = 6) => codes(unit.try({ type: 'COMPLETE_STUDY', at: day(at) }));

/** v2 study evidence of a kind without the events `drop` picks out. */
function studyWithout(kind: UnitKind, drop: (e: CampaignEvent) => boolean): Unit {
  const unit = v2(kind);
  studyEvidenceUnder(RULEBOOK_V2, kind, 2, 0)
    .filter((e) => !drop(e))
    .forEach((e) => unit.send(e));
  return unit;
}

describe('rulebook v2: the document', () => {
  it('is v1 plus the supplement (ruleset 2), its machine id carrying the version', () => {
    expect([RULEBOOK_V2.version, RULEBOOK_V2.ruleset]).toEqual([2, 2]);
    expect(createCampaignMachine(RULEBOOK_V2).id).toBe('lookback-campaign-v2');
    expect(RULEBOOK_V2.faceToFaceChannels).toContain('PETITION_VISIT');
    expect(UNIT_KINDS.filter((k) => RULEBOOK_V2.kinds[k].study.filmScreenings === 0)).toEqual(['NON_PUBLIC_SOCIAL']);
    expect(blockerCodesOf(RULEBOOK_V2)).toEqual(
      expect.arrayContaining(['REQUIRED_TOPICS_MISSING', 'PROVINCE_ACTIVITY_MISSING', 'SELF_ASSESSMENT_MISSING']),
    );
    expect(blockerCodesOf(RULEBOOK_V1)).not.toContain('REQUIRED_TOPICS_MISSING');
  });
});

describe.each(UNIT_KINDS)('rulebook v2 study gate of %s', (kind) => {
  it('passes with the full v2 evidence', () => {
    expect(completeStudy(studyWithout(kind, () => false))).toEqual([]);
  });
  it('names each required topic that is missing', () => {
    const required = RULEBOOK_V2.supplement!.kinds[kind].requiredTopics.filter((t) => t !== 'ETHICS_AND_CONDUCT');
    const unit = studyWithout(kind, (e) => 'topics' in e);
    unit.send(topicSession('SELF_STUDY', 1, required.slice(1)));
    const result = unit.try({ type: 'COMPLETE_STUDY', at: day(6) });
    expect(codes(result)).toEqual(['REQUIRED_TOPICS_MISSING']);
    if (!result.ok && result.failure === 'BLOCKED') expect(result.blockers[0].message).toContain(required[0]);
  });
  it('needs the film, but for non-public and social organisations', () => {
    const unit = studyWithout(kind, (e) => e.type === 'FILM_SCREENING');
    expect(completeStudy(unit)).toEqual(kind === 'NON_PUBLIC_SOCIAL' ? [] : ['FILM_MISSING']);
  });
  it("needs one of each of the province's prescribed activities (LB, DU, TS, WS)", () => {
    const unit = studyWithout(kind, (e) => e.type === 'PROVINCE_ACTIVITY' && e.activity === 'HEAR_REPORT');
    expect(completeStudy(unit)).toEqual(
      RULEBOOK_V2.supplement!.kinds[kind].requiredActivities.length ? ['PROVINCE_ACTIVITY_MISSING'] : [],
    );
  });
});

describe('rulebook v2 study gate: boundaries', () => {
  it('a concentrated day counts at 3 hours in total that day, not at 2.9', () => {
    const short = studyWithout('DIRECT_UNIT', (e) => e.type === 'STUDY_SESSION' && e.format === 'CONCENTRATED');
    short.send({ ...session('CONCENTRATED', 1), hours: 1.5 }).send({ ...session('CONCENTRATED', 1.1), hours: 1.4 });
    short.send({ ...session('CONCENTRATED', 2), hours: 3 });
    expect(completeStudy(short)).toEqual(['CONCENTRATED_DAYS_SHORT']);
    short.send({ ...session('CONCENTRATED', 1.2), hours: 0.1 });
    expect(completeStudy(short)).toEqual([]);
  });
  it('business training counts for nothing, not even as a session of any format', () => {
    const unit = v2('NON_PUBLIC_SOCIAL').send({ ...topicSession('BUSINESS_TRAINING', 0.5, ['MASS_LINE_BASICS']) });
    expect(completeStudy(unit)).toEqual(['STUDY_SESSION_MISSING', 'REQUIRED_TOPICS_MISSING']);
  });
  it('ETHICS_AND_CONDUCT comes from an ethics training only; a topic off the list is refused', () => {
    expect(codes(v2('WINDOW_SERVICE').try(topicSession('SELF_STUDY', 0.5, ['ETHICS_AND_CONDUCT'])))).toEqual([
      'INVALID_INPUT',
    ]);
    expect(codes(v2('WINDOW_SERVICE').try(topicSession('SELF_STUDY', 0.5, ['党章'])))).toEqual(['INVALID_INPUT']);
    const unit = studyWithout('WINDOW_SERVICE', (e) => e.type === 'STUDY_SESSION' && e.format === 'ETHICS_TRAINING');
    expect(completeStudy(unit)).toEqual(['ETHICS_TRAINING_MISSING', 'REQUIRED_TOPICS_MISSING']);
  });
  it("an unknown activity and a category off the kind's list are refused", () => {
    expect(codes(v2('DIRECT_UNIT').try(activity('SIX_ONES', 1)))).toEqual(['INVALID_INPUT']);
    expect(codes(v2('DIRECT_UNIT').try(problem(1, { category: '门难进、脸难看、事难办' })))).toEqual(['INVALID_INPUT']);
    expect(v2('DIRECT_UNIT').try(problem(1, { category: 'OTHER' })).ok).toBe(true);
    expect(v2('DIRECT_UNIT').try(problem(1, { category: '推诿扯皮' })).ok).toBe(true);
  });
  it('a deliberation counts when it discussed as many opinions as the unit had, not one fewer', () => {
    const unit = v2('LEADERSHIP_BODY');
    listeningEvidence('LEADERSHIP_BODY', 1)
      .slice(0, -1)
      .forEach((e) => unit.send(e));
    unit.send(deliberation(2, 2, 19));
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at: day(3) }))).toEqual(['DELIBERATION_MISSING']);
    unit.send(deliberation(2, 2, 20));
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at: day(3) }))).toEqual([]);
  });
});

describe('rulebook v2: the self-assessment', () => {
  const met = () => {
    const unit = v2('GRASSROOTS', 0);
    [
      ...studyEvidenceUnder(RULEBOOK_V2, 'GRASSROOTS', 0, 0),
      ...listeningEvidence('GRASSROOTS', 0.5),
      ...correctingEvidence(0.5, RULEBOOK_V2),
    ].forEach((e) => unit.send(e));
    return unit
      .send({ type: 'COMPLETE_STUDY', at: day(2) })
      .send({ type: 'COMPLETE_LISTENING', at: day(2) })
      .send({ type: 'COMPLETE_CORRECTING', at: day(2) });
  };
  it('is needed before REQUEST_LOOKBACK, and must assess each item exactly once', () => {
    const unit = met();
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(10) }))).toEqual(['SELF_ASSESSMENT_MISSING']);
    const three = {
      type: 'SELF_ASSESSMENT_FILED',
      at: day(9),
      items: LOOKBACK_ITEMS.slice(1).map((item) => ({ item, rating: 'PARTLY', text: 't' })),
    };
    expect(codes(unit.try(three as CampaignEvent))).toEqual(['INVALID_INPUT']);
    unit.send(selfAssessment(9));
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(10) }))).toEqual([]);
  });
  it('in a re-forge, a new one filed after the re-forge began', () => {
    const unit = met()
      .send(selfAssessment(9))
      .send({ type: 'REQUEST_LOOKBACK', at: day(10) });
    LOOKBACK_ITEMS.forEach((item) =>
      unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === 'COMBINED' ? 'FAIL' : 'PASS', at: day(10) }),
    );
    unit
      .send({ type: 'CONCLUDE_LOOKBACK', at: day(10) })
      .send(problem(11, { category: 'OTHER' }))
      .send({ type: 'COMPLETE_CORRECTING', at: day(17) });
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(17) }))).toEqual(['SELF_ASSESSMENT_MISSING']);
    unit.send(selfAssessment(17));
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(17) }))).toEqual([]);
  });
});

describe('migrating a unit from v1 to v2', () => {
  /** A v1 unit and its history as the migration reads it. */
  class Recorded {
    readonly events: HistoryEvent[] = [];
    readonly unit: Unit;
    constructor(kind: UnitKind, leaderCount = 2) {
      this.unit = new Unit(initialSnapshot({ kind, leaderCount }, RULEBOOK_V1));
    }
    send(...events: CampaignEvent[]): this {
      for (const e of events) {
        this.unit.send(e);
        this.events.push(e);
      }
      return this;
    }
    migrate(at: number, to: Rulebook = RULEBOOK_V2) {
      return migrateSnapshot(this.unit.snapshot, this.events, RULEBOOK_V1, to, day(at));
    }
  }
  const launched = (kind: UnitKind) =>
    new Recorded(kind).send(
      { type: 'FILE_STUDY_PLAN', topics: ['t'], plannedDays: 3, at: day(-1) },
      { type: 'LAUNCH', parentLaunched: true, at: day(0) },
    );

  it('keeps the phase and the met regions, recomputes the tallies, and lists every gap (met regions too)', () => {
    const unit = launched('DIRECT_UNIT').send(
      ...studyEvidence('DIRECT_UNIT', 2, 0),
      ...listeningEvidence('DIRECT_UNIT', 0.5),
      ...correctingEvidence(0.5),
    );
    unit.send(
      { type: 'COMPLETE_STUDY', at: day(6) },
      { type: 'COMPLETE_LISTENING', at: day(6) },
      { type: 'COMPLETE_CORRECTING', at: day(6) },
    );
    const { snapshot, gaps } = unit.migrate(7);
    expect(snapshot.value).toEqual(unit.unit.snapshot.value);
    expect(snapshot.context.rulebookVersion).toBe(2);
    expect(gaps.map((g) => [g.code, g.region])).toEqual([
      ['FILM_MISSING', 'study'],
      ['REQUIRED_TOPICS_MISSING', 'study'],
      ['PROVINCE_ACTIVITY_MISSING', 'study'],
      ['FIX_AT_ONCE_OPEN', 'correcting'], // v1's 庸懒散拖, filed as not fix-at-once, is on the direct unit's list
      ['SELF_ASSESSMENT_MISSING', 'stage'],
    ]);
    // the gaps hold at the next REQUEST_LOOKBACK
    const migrated = new Unit(snapshot, RULEBOOK_V2);
    expect(codes(migrated.try({ type: 'REQUEST_LOOKBACK', at: day(20) }))).toEqual([
      'FILM_MISSING',
      'REQUIRED_TOPICS_MISSING',
      'PROVINCE_ACTIVITY_MISSING',
      'FIX_AT_ONCE_OPEN',
      'SELF_ASSESSMENT_MISSING',
    ]);
  });
  it("recounts concentrated days by the hours of v1's sessions, and v1 problems by their category", () => {
    const unit = launched('WINDOW_SERVICE').send(
      { ...session('CONCENTRATED', 1), hours: 1 },
      session('CONCENTRATED', 2),
      problem(1, { category: '门难进、脸难看、事难办', id: 'door' }),
    );
    const { snapshot, gaps } = unit.migrate(3);
    expect(snapshot.context.study.concentratedDates).toHaveLength(1);
    expect(snapshot.context.openProblems.door.fixAtOnce).toBe(true);
    expect(gaps.map((g) => g.code)).toEqual(expect.arrayContaining(['CONCENTRATED_DAYS_SHORT', 'FIX_AT_ONCE_OPEN']));
  });
  it('a registered unit moves with no gaps; a completed one, or going back, is refused', () => {
    expect(new Recorded('GRASSROOTS').migrate(0).gaps).toEqual([]);
    const v2unit = new Unit(initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V2), RULEBOOK_V2);
    expect(() => migrateSnapshot(v2unit.snapshot, [], RULEBOOK_V2, RULEBOOK_V1, day(0))).toThrow('newer rulebook only');
    const done = launched('NON_PUBLIC_SOCIAL').send(
      session('SELF_STUDY', 0.5),
      ...listeningEvidence('NON_PUBLIC_SOCIAL', 0.5),
      ...correctingEvidence(0.5),
    );
    done.send(
      { type: 'COMPLETE_STUDY', at: day(2) },
      { type: 'COMPLETE_LISTENING', at: day(2) },
      { type: 'COMPLETE_CORRECTING', at: day(2) },
      { type: 'REQUEST_LOOKBACK', at: day(8) },
    );
    LOOKBACK_ITEMS.forEach((item) => done.send({ type: 'LOOKBACK_VERDICT', item, verdict: 'PASS', at: day(8) }));
    done.send({ type: 'CONCLUDE_LOOKBACK', at: day(8) });
    expect(() => done.migrate(9)).toThrow('not migrated');
  });
  it('is a pure function of the history: the same gaps every time (a dry run and the real run agree)', () => {
    const unit = launched('GRASSROOTS').send(film(0.5), opinion(1, { routed: true, id: 'r' }));
    expect(JSON.stringify(unit.migrate(2))).toBe(JSON.stringify(unit.migrate(2)));
  });
});
