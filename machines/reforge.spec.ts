import {
  correctingEvidence,
  day,
  launchedUnit,
  listeningEvidence,
  opinion,
  problem,
  studyEvidence,
  Unit,
  DAY,
  T0,
} from './spec-support.js';
import type { StepResult } from './step.js';
import { LOOKBACK_ITEMS, REGIONS, type LookBackItem, type Region } from './vocabulary.js';

const codes = (r: StepResult) => (r.ok ? [] : r.failure === 'BLOCKED' ? r.blockers.map((b) => b.code) : [r.failure]);
const COMPLETE = {
  study: 'COMPLETE_STUDY',
  listening: 'COMPLETE_LISTENING',
  correcting: 'COMPLETE_CORRECTING',
} as const;
const KIND = 'DIRECT_UNIT';
const REFORGE_AT = 15;

/** A DIRECT_UNIT through stage 1 (days 0–14) into lookBack, with `failed` failing at day 15. */
function reforged(failed: LookBackItem): Unit {
  const unit = launchedUnit(KIND);
  [...studyEvidence(KIND, 0, 0), ...listeningEvidence(KIND, 1), ...correctingEvidence(1)].forEach((e) => unit.send(e));
  for (const region of REGIONS) unit.send({ type: COMPLETE[region], at: day(4) });
  unit.send({ type: 'REQUEST_LOOKBACK', at: day(14) });
  expect(unit.states).toEqual(['lookBack']);
  expect(unit.snapshot.context.round).toBe(1);
  // evidence recorded during the look-back, i.e. before the re-forge begins
  [...studyEvidence(KIND, 0, 14.1), ...listeningEvidence(KIND, 14.1), ...correctingEvidence(14.2)].forEach((e) =>
    unit.send(e),
  );
  for (const item of LOOKBACK_ITEMS)
    unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === failed ? 'FAIL' : 'PASS', at: day(14.5) });
  unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(REFORGE_AT) });
  return unit;
}

const expectedReopened: Record<LookBackItem, Region[]> = {
  STUDY: ['study'],
  LISTENING: ['listening'],
  COMBINED: ['correcting'],
  STYLE: ['study', 'listening', 'correcting'],
};

describe.each(LOOKBACK_ITEMS)('a FAIL on %s', (item) => {
  const reopened = expectedReopened[item];

  it(`reopens ${reopened.join(', ')} and leaves the others met`, () => {
    const unit = reforged(item);
    expect(unit.states).toEqual(REGIONS.map((r) => `reforging.${r}.${reopened.includes(r) ? 'active' : 'met'}`).sort());
    expect(unit.snapshot.context.reopenedRegions).toEqual(reopened);
    expect(unit.snapshot.context.reforgeStartedAt).toBe(T0 + REFORGE_AT * DAY);
    for (const r of REGIONS) {
      if (!reopened.includes(r))
        expect(unit.try({ type: COMPLETE[r], at: day(40) })).toMatchObject({ failure: 'NOT_ALLOWED_IN_STATE' });
    }
  });

  it('does not count evidence dated before the re-forge for a reopened region, even when recorded inside it', () => {
    const unit = reforged(item);
    // back-dated into the look-back window, recorded inside the re-forge: accepted, but it does not count
    // (problems carry no occurredAt: identifying one is the act, so only those identified inside the re-forge count)
    [...studyEvidence(KIND, 0, 14.6), ...listeningEvidence(KIND, 14.6)].forEach((e) =>
      unit.send({ ...e, at: day(REFORGE_AT + 1) } as never),
    );
    for (const r of reopened) {
      const blocked = codes(unit.try({ type: COMPLETE[r], at: day(REFORGE_AT + 30) }));
      expect(blocked.length).toBeGreaterThan(0);
      expect(blocked).not.toContain('REWORK_DWELL');
    }
  });

  it('completes reopened regions on fresh evidence after the 7-day rework dwell, then looks back again (round 2)', () => {
    const unit = reforged(item);
    const start = REFORGE_AT + 0.1;
    [...studyEvidence(KIND, 0, start), ...listeningEvidence(KIND, start), ...correctingEvidence(start)].forEach((e) =>
      unit.send(e),
    );
    const reworkDone = T0 + (REFORGE_AT + 7) * DAY;
    for (const r of reopened) {
      const early = unit.try({ type: COMPLETE[r], at: new Date(reworkDone - 1).toISOString() });
      expect(early).toEqual({
        ok: false,
        failure: 'BLOCKED',
        blockers: [expect.objectContaining({ code: 'REWORK_DWELL' })],
        earliestAt: new Date(reworkDone).toISOString(),
      });
      unit.send({ type: COMPLETE[r], at: new Date(reworkDone).toISOString() });
    }
    expect(unit.states).toEqual(REGIONS.map((r) => `reforging.${r}.met`).sort());
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: new Date(reworkDone - 1).toISOString() }))).toEqual([
      'REWORK_DWELL',
    ]);
    unit.send({ type: 'REQUEST_LOOKBACK', at: new Date(reworkDone).toISOString() });
    expect(unit.states).toEqual(['lookBack']);
    expect(unit.snapshot.context.round).toBe(2);
    expect(unit.snapshot.context.verdicts).toEqual({});
    for (const i of LOOKBACK_ITEMS)
      unit.send({ type: 'LOOKBACK_VERDICT', item: i, verdict: 'PASS', at: day(REFORGE_AT + 8) });
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(REFORGE_AT + 8) });
    expect(unit.states).toEqual(['stage1Complete']);
  });
});

describe('what carries over into a re-forge', () => {
  it('routed opinions still unclaimed must be claimed in the reopened listening region', () => {
    const unit = launchedUnit(KIND);
    [...studyEvidence(KIND, 0, 0), ...listeningEvidence(KIND, 1), ...correctingEvidence(1)].forEach((e) =>
      unit.send(e),
    );
    for (const region of REGIONS) unit.send({ type: COMPLETE[region], at: day(4) });
    unit.send({ type: 'REQUEST_LOOKBACK', at: day(14) }).send(opinion(14.2, { routed: true, id: 'late-routed' }));
    for (const item of LOOKBACK_ITEMS)
      unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === 'LISTENING' ? 'FAIL' : 'PASS', at: day(14.5) });
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(15) });
    listeningEvidence(KIND, 15.5).forEach((e) => unit.send(e));
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at: day(23) }))).toEqual(['UNCLAIMED_OPINIONS']);
    unit.send({ type: 'OPINION_CLAIMED', opinionId: 'late-routed', at: day(23) });
    expect(unit.try({ type: 'COMPLETE_LISTENING', at: day(23) }).ok).toBe(true);
  });

  it('open fix-at-once problems must still be rectified; the identified count starts again', () => {
    const unit = launchedUnit(KIND);
    [...studyEvidence(KIND, 0, 0), ...listeningEvidence(KIND, 1), ...correctingEvidence(1)].forEach((e) =>
      unit.send(e),
    );
    for (const region of REGIONS) unit.send({ type: COMPLETE[region], at: day(4) });
    unit.send({ type: 'REQUEST_LOOKBACK', at: day(14) }).send(problem(14.2, { fixAtOnce: true, id: 'urgent' }));
    for (const item of LOOKBACK_ITEMS)
      unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === 'COMBINED' ? 'FAIL' : 'PASS', at: day(14.5) });
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(15) });
    expect(unit.snapshot.context.correcting.problemsIdentified).toBe(0);
    expect(codes(unit.try({ type: 'COMPLETE_CORRECTING', at: day(23) }))).toEqual([
      'NO_PROBLEM_IDENTIFIED',
      'FIX_AT_ONCE_OPEN',
    ]);
    unit.send(problem(16)).send({ type: 'PROBLEM_RECTIFIED', problemId: 'urgent', occurredAt: day(16), at: day(16) });
    expect(unit.try({ type: 'COMPLETE_CORRECTING', at: day(23) }).ok).toBe(true);
  });

  it('an open finding holds back the second REQUEST_LOOKBACK', () => {
    const unit = reforged('STUDY');
    studyEvidence(KIND, 0, 15.1).forEach((e) => unit.send(e));
    unit
      .send({ type: 'COMPLETE_STUDY', at: day(22) })
      .send({ type: 'FINDING_ISSUED', findingId: 'f', kind: 'GOING_THROUGH_MOTIONS', at: day(22) });
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(22) }))).toEqual(['OPEN_FINDINGS']);
  });

  it('a second FAIL re-forges again from the new look-back, with a new window', () => {
    const unit = reforged('STUDY');
    studyEvidence(KIND, 0, 15.1).forEach((e) => unit.send(e));
    unit.send({ type: 'COMPLETE_STUDY', at: day(22) }).send({ type: 'REQUEST_LOOKBACK', at: day(22) });
    for (const item of LOOKBACK_ITEMS)
      unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === 'COMBINED' ? 'FAIL' : 'PASS', at: day(23) });
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(24) });
    expect(unit.states).toEqual(['reforging.correcting.active', 'reforging.listening.met', 'reforging.study.met']);
    expect(unit.snapshot.context.windowStart.correcting).toBe(T0 + 24 * DAY);
    expect(unit.snapshot.context.windowStart.study).toBe(T0 + REFORGE_AT * DAY);
  });

  it('a later verdict on the same item replaces the earlier one', () => {
    const unit = reforged('STUDY');
    studyEvidence(KIND, 0, 15.1).forEach((e) => unit.send(e));
    unit.send({ type: 'COMPLETE_STUDY', at: day(22) }).send({ type: 'REQUEST_LOOKBACK', at: day(22) });
    for (const item of LOOKBACK_ITEMS) unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: 'FAIL', at: day(23) });
    for (const item of LOOKBACK_ITEMS) unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: 'PASS', at: day(23) });
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(24) });
    expect(unit.states).toEqual(['stage1Complete']);
  });
});
