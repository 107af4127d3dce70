/**
 * The ways rulebook v1 let a unit finish stage 1 with work undone, each a named regression: the same story runs
 * under v1 (where it slips through, as recorded histories did) and under v2 (where it is stopped).
 */
import type { CampaignEvent } from './events.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import {
  Unit,
  correctingEvidence,
  day,
  deliberation,
  film,
  launchedUnit,
  lecture,
  listeningEvidence,
  opinion,
  problem,
  selfAssessment,
  session,
  studyEvidenceUnder,
  topicSession,
} from './spec-support.js';
import { initialSnapshot, type StepResult } from './step.js';
import { LOOKBACK_ITEMS, type UnitKind } from './vocabulary.js';

const codes = (r: StepResult) => (r.ok ? [] : r.failure === 'BLOCKED' ? r.blockers.map((b) => b.code) : [r.failure]);

/** All three regions met on day 6 under the rulebook, self-assessed under v2; the stage dwell not yet served. */
function allMet(kind: UnitKind, rulebook: Rulebook, leaderCount = 2): Unit {
  const unit = launchedUnit(kind, leaderCount, rulebook);
  [
    ...studyEvidenceUnder(rulebook, kind, leaderCount, 0),
    ...listeningEvidence(kind, 0.5),
    ...correctingEvidence(0.5, rulebook),
  ].forEach((e) => unit.send(e));
  unit
    .send({ type: 'COMPLETE_STUDY', at: day(6) })
    .send({ type: 'COMPLETE_LISTENING', at: day(6) })
    .send({ type: 'COMPLETE_CORRECTING', at: day(6) });
  if (rulebook.ruleset >= 2) unit.send(selfAssessment(6));
  return unit;
}

const verdicts = (unit: Unit, at: number) =>
  LOOKBACK_ITEMS.forEach((item) => unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: 'PASS', at: day(at) }));

/** Each story answers whether the loophole let the unit through. */
const LOOPHOLES: Record<string, (rulebook: Rulebook) => boolean> = {
  'a finding issued during lookBack does not block CONCLUDE_LOOKBACK': (rulebook) => {
    const unit = allMet('DIRECT_UNIT', rulebook).send({ type: 'REQUEST_LOOKBACK', at: day(20) });
    unit.send({ type: 'FINDING_ISSUED', findingId: 'f-late', kind: 'GOING_THROUGH_MOTIONS', at: day(20.5) });
    verdicts(unit, 21);
    return unit.try({ type: 'CONCLUDE_LOOKBACK', at: day(21) }).ok;
  },
  'a finding open when the stage completed can never be resolved': (rulebook) => {
    const unit = allMet('DIRECT_UNIT', rulebook).send({ type: 'REQUEST_LOOKBACK', at: day(20) });
    unit.send({ type: 'FINDING_ISSUED', findingId: 'f-late', kind: 'SHALLOW_STUDY', at: day(20.5) });
    verdicts(unit, 21);
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(21) }, { override: true });
    return !unit.try({ type: 'FINDING_RESOLVED', findingId: 'f-late', at: day(22) }).ok;
  },
  'an overdue fix-at-once problem identified after correcting was met does not stop REQUEST_LOOKBACK': (rulebook) => {
    const unit = allMet('DIRECT_UNIT', rulebook);
    unit.send(problem(7, { fixAtOnce: true, dueAt: 8, category: rulebook.ruleset >= 2 ? 'OTHER' : '庸懒散拖' }));
    return unit.try({ type: 'REQUEST_LOOKBACK', at: day(20) }).ok;
  },
  'a routed opinion that arrived after listening was met and was never claimed does not stop REQUEST_LOOKBACK': (
    rulebook,
  ) => {
    const unit = allMet('DIRECT_UNIT', rulebook).send(opinion(7, { routed: true, id: 'routed-late' }));
    return unit.try({ type: 'REQUEST_LOOKBACK', at: day(20) }).ok;
  },
  'a window unit files 门难进、脸难看、事难办 as not fix-at-once and never fixes it': (rulebook) => {
    const unit = launchedUnit('WINDOW_SERVICE', 2, rulebook);
    unit.send(problem(1, { fixAtOnce: false, category: '门难进、脸难看、事难办' }));
    return unit.try({ type: 'COMPLETE_CORRECTING', at: day(2) }).ok;
  },
  'a leadership body without a leader count needs no party lecture': (rulebook) => {
    const unit = launchedUnit('LEADERSHIP_BODY', 0, rulebook);
    studyEvidenceUnder(rulebook, 'LEADERSHIP_BODY', 0, 0).forEach((e) => unit.send(e));
    return unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok;
  },
  'five concentrated days of 0.1 hour with one attendee each pass': (rulebook) => {
    const unit = launchedUnit('LEADERSHIP_BODY', 2, rulebook);
    studyEvidenceUnder(rulebook, 'LEADERSHIP_BODY', 2, 0)
      .filter((e) => !(e.type === 'STUDY_SESSION' && e.format === 'CONCENTRATED'))
      .forEach((e) => unit.send(e));
    [0, 1, 2, 3, 4].forEach((d) => unit.send({ ...session('CONCENTRATED', d), hours: 0.1, attendees: 1 }));
    return unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok;
  },
  'a deliberation that discussed no opinion passes': (rulebook) => {
    const unit = launchedUnit('LEADERSHIP_BODY', 2, rulebook);
    listeningEvidence('LEADERSHIP_BODY', 1)
      .slice(0, -1)
      .forEach((e) => unit.send(e));
    unit.send(deliberation(2, 2, 0));
    return unit.try({ type: 'COMPLETE_LISTENING', at: day(3) }).ok;
  },
  'one lecturer written two ways counts as two lecturers': (rulebook) => {
    const unit = launchedUnit('LEADERSHIP_BODY', 2, rulebook);
    studyEvidenceUnder(rulebook, 'LEADERSHIP_BODY', 2, 0)
      .filter((e) => e.type !== 'PARTY_LECTURE')
      .forEach((e) => unit.send(e));
    unit.send(lecture('王 书记', 1)).send(lecture('王\u3000\u3000书记', 2)); // an ideographic space, twice
    return unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok;
  },
  "a village's CONCENTRATED session does not count as its 集中学习讨论": (rulebook) => {
    const unit = launchedUnit('GRASSROOTS', 0, rulebook);
    const topics = rulebook.supplement?.kinds.GRASSROOTS.requiredTopics ?? [];
    unit
      .send(topicSession('CONCENTRATED', 0.5, [...topics]))
      .send(film(0.5))
      .send(lecture('书记', 0.6));
    // closed under v2 means: the village may complete its study on that session
    return !unit.try({ type: 'COMPLETE_STUDY', at: day(2) }).ok;
  },
  'supervisors cannot issue a finding against a unit that has not launched': (rulebook) => {
    const unit = new Unit(initialSnapshot({ kind: 'DIRECT_UNIT', leaderCount: 0 }, rulebook), rulebook);
    return !unit.try({ type: 'FINDING_ISSUED', findingId: 'f-early', kind: 'LAZY_THINKING', at: day(-1) }).ok;
  },
  'an opinion the public brought in person (PETITION_VISIT) is not face-to-face': (rulebook) => {
    const unit = launchedUnit('GRASSROOTS', 0, rulebook);
    for (let i = 0; i < 5; i++) unit.send(opinion(1, { channel: 'PETITION_VISIT' }));
    return !unit.try({ type: 'COMPLETE_LISTENING', at: day(2) }).ok;
  },
};

describe.each(Object.entries(LOOPHOLES))('loophole: %s', (_name, slipsThrough) => {
  it('is open under rulebook v1 (recorded histories replay as they were)', () => {
    expect(slipsThrough(RULEBOOK_V1)).toBe(true);
  });
  it('is closed under rulebook v2', () => {
    expect(slipsThrough(RULEBOOK_V2)).toBe(false);
  });
});

describe('what v2 answers instead', () => {
  it('REQUEST_LOOKBACK names the open and overdue problem and the unclaimed opinion', () => {
    const unit = allMet('DIRECT_UNIT', RULEBOOK_V2)
      .send(problem(7, { fixAtOnce: true, dueAt: 8, category: 'OTHER' }))
      .send(opinion(7, { routed: true, id: 'routed-late' }));
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(20) }))).toEqual([
      'UNCLAIMED_OPINIONS',
      'FIX_AT_ONCE_OPEN',
      'PROBLEM_OVERDUE',
    ]);
  });
  it('CONCLUDE_LOOKBACK names the open finding; an override lifts it (not structural)', () => {
    const unit = allMet('DIRECT_UNIT', RULEBOOK_V2).send({ type: 'REQUEST_LOOKBACK', at: day(20) });
    unit.send({ type: 'FINDING_ISSUED', findingId: 'f', kind: 'GOING_THROUGH_MOTIONS', at: day(20.5) });
    verdicts(unit, 21);
    expect(codes(unit.try({ type: 'CONCLUDE_LOOKBACK', at: day(21) }))).toEqual(['OPEN_FINDINGS']);
    unit
      .send({ type: 'FINDING_RESOLVED', findingId: 'f', at: day(21.5) })
      .send({ type: 'CONCLUDE_LOOKBACK', at: day(21.5) });
    expect(unit.states).toEqual(['stage1Complete']);
    // findings still come and go after the stage: they block nothing there
    unit
      .send({ type: 'FINDING_ISSUED', findingId: 'g', kind: 'UNEVEN_PROGRESS', at: day(22) })
      .send({ type: 'FINDING_RESOLVED', findingId: 'g', at: day(23) });
    expect(unit.states).toEqual(['stage1Complete']);
  });
  it("the window unit's 门难进 problem is fix-at-once whatever the officer said", () => {
    const unit = launchedUnit('WINDOW_SERVICE', 2, RULEBOOK_V2).send(
      problem(1, { fixAtOnce: false, category: 'HARD_TO_SERVE', id: 'door' }),
    );
    expect(unit.snapshot.context.openProblems.door.fixAtOnce).toBe(true);
    expect(codes(unit.try({ type: 'COMPLETE_CORRECTING', at: day(2) }))).toEqual(['FIX_AT_ONCE_OPEN']);
  });
  it('evidence v1 never had is refused under v1 and recorded under v2', () => {
    const events: CampaignEvent[] = [
      { type: 'PROVINCE_ACTIVITY', activity: 'READ_ORIGINALS', occurredAt: day(1), at: day(1) },
      selfAssessment(1),
    ];
    for (const event of events) {
      expect(codes(launchedUnit('DIRECT_UNIT', 0, RULEBOOK_V1).try(event))).toEqual(['NOT_ALLOWED_IN_STATE']);
      expect(launchedUnit('DIRECT_UNIT', 0, RULEBOOK_V2).try(event).ok).toBe(true);
    }
    const business = { ...session('BUSINESS_TRAINING', 1) };
    expect(codes(launchedUnit('DIRECT_UNIT', 0, RULEBOOK_V1).try(business))).toEqual(['INVALID_INPUT']);
    expect(launchedUnit('DIRECT_UNIT', 0, RULEBOOK_V2).try(business).ok).toBe(true);
  });
});
