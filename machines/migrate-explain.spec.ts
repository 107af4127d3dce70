/**
 * A migration's parts and what `explain` and `progress` answer, whole: the context a history gives (the very
 * context the chart made, round for round), the gaps of a new rulebook as its gates word them, every refusal's
 * message, and the dashboard lines of a re-forge.
 */
import { explain, progress } from './explain.js';
import { gatesOf } from './gates/sets.js';
import { gapsOf, migrateSnapshot, recomputeContext, type HistoryEvent } from './migrate.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import {
  correctingEvidence,
  day,
  film,
  launchedUnit,
  listeningEvidence,
  opinion,
  problem,
  session,
  studyEvidence,
  Unit,
} from './spec-support.js';
import { initialSnapshot } from './step.js';
import type { CampaignEvent } from './events.js';
import { LOOKBACK_ITEMS, REGIONS, type LookBackItem, type UnitKind } from './vocabulary.js';

const COMPLETE = {
  study: 'COMPLETE_STUDY',
  listening: 'COMPLETE_LISTENING',
  correcting: 'COMPLETE_CORRECTING',
} as const;

/** A unit stepped event by event, and its history as a migration reads it. */
class Recorded {
  readonly events: HistoryEvent[] = [];
  readonly unit: Unit;
  constructor(
    readonly kind: UnitKind,
    readonly rulebook: Rulebook = RULEBOOK_V1,
  ) {
    this.unit = new Unit(initialSnapshot({ kind, leaderCount: 2 }, rulebook), rulebook);
  }
  send(...events: CampaignEvent[]): this {
    for (const e of events) {
      this.unit.send(e);
      this.events.push(e);
    }
    return this;
  }
  launch(): this {
    return this.send(
      { type: 'FILE_STUDY_PLAN', topics: ['党章'], plannedDays: 3, at: day(-1) },
      { type: 'LAUNCH', parentLaunched: true, at: day(0) },
    );
  }
  lookBack(at: number, failed: LookBackItem | null): this {
    for (const region of REGIONS)
      if (this.unit.states.includes(`${this.unit.states[0].split('.')[0]}.${region}.active`))
        this.send({ type: COMPLETE[region], at: day(at - 1) });
    this.send({ type: 'REQUEST_LOOKBACK', at: day(at) });
    for (const item of LOOKBACK_ITEMS)
      this.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === failed ? 'FAIL' : 'PASS', at: day(at + 0.2) });
    return this.send({ type: 'CONCLUDE_LOOKBACK', at: day(at + 0.5) });
  }
}

const KIND = 'DIRECT_UNIT';
const throughStage1 = () =>
  new Recorded(KIND)
    .launch()
    .send(
      ...studyEvidence(KIND, 0, 0),
      ...listeningEvidence(KIND, 1),
      ...correctingEvidence(1),
      opinion(1, { routed: true, id: 'routed' }),
      { type: 'OPINION_CLAIMED', opinionId: 'routed', at: day(1.5) },
      { type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: day(2) },
      { type: 'FINDING_RESOLVED', findingId: 'f', at: day(3) },
    );

describe('recomputeContext: the context a history gives', () => {
  it('is the context the chart made: launch, look-back rounds, a re-forge, and evidence in and out of its windows', () => {
    const unit = throughStage1().lookBack(14, 'COMBINED');
    expect(unit.unit.states).toContain('reforging.correcting.active');
    unit.send(problem(15.5, { id: 'late' }), {
      type: 'PROBLEM_RECTIFIED',
      problemId: 'late',
      occurredAt: day(16),
      at: day(16),
    });
    expect(recomputeContext({ kind: KIND, leaderCount: 2 }, unit.events, RULEBOOK_V1)).toStrictEqual(
      unit.unit.snapshot.context,
    );
  });

  it('a second round starts with no verdicts; passing every item leaves the context as it was', () => {
    const unit = throughStage1().lookBack(14, 'STUDY');
    unit
      .send(...studyEvidence(KIND, 0, 15), { type: 'COMPLETE_STUDY', at: day(22.6) })
      .send({ type: 'REQUEST_LOOKBACK', at: day(23) });
    const inRound2 = recomputeContext({ kind: KIND, leaderCount: 2 }, unit.events, RULEBOOK_V1);
    expect(inRound2).toStrictEqual(unit.unit.snapshot.context);
    expect(inRound2).toMatchObject({ round: 2, verdicts: {}, reopenedRegions: ['study'] });
    for (const item of LOOKBACK_ITEMS) unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: 'PASS', at: day(23) });
    unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(23.5) });
    expect(unit.unit.states).toEqual(['stage1Complete']);
    const done = recomputeContext({ kind: KIND, leaderCount: 2 }, unit.events, RULEBOOK_V1);
    expect(done).toStrictEqual(unit.unit.snapshot.context);
    expect(done.verdicts).toStrictEqual({ STUDY: 'PASS', LISTENING: 'PASS', COMBINED: 'PASS', STYLE: 'PASS' });
  });

  it('a unit launched by override without a study plan has none after its completions either', () => {
    const unit = new Recorded(KIND);
    const launch: CampaignEvent = { type: 'LAUNCH', parentLaunched: false, at: day(0) };
    expect(unit.unit.try(launch)).toMatchObject({ ok: false, failure: 'BLOCKED' });
    unit.unit.send(launch, { override: true });
    unit.events.push(launch);
    unit.send(...correctingEvidence(1), { type: 'COMPLETE_CORRECTING', at: day(2) });
    expect(unit.unit.snapshot.context.studyPlanFiled).toBe(false);
    expect(recomputeContext({ kind: KIND, leaderCount: 2 }, unit.events, RULEBOOK_V1)).toStrictEqual(
      unit.unit.snapshot.context,
    );
  });

  it('skips an earlier migration, and reads `atMs` when the caller has it', () => {
    const unit = throughStage1();
    const events: HistoryEvent[] = [
      { type: 'RULEBOOK_MIGRATED', at: day(-2) },
      ...unit.events.map((e) => (e.type === 'LAUNCH' ? { ...e, atMs: Date.parse(e.at) } : e)),
    ];
    expect(recomputeContext({ kind: KIND, leaderCount: 2 }, events, RULEBOOK_V1)).toStrictEqual(
      unit.unit.snapshot.context,
    );
  });
});

describe('gapsOf: the evidence gates of the new rulebook the context fails', () => {
  it('every gate that applies and is not met, worded as the gate words it, in the rulebook’s order', () => {
    const unit = new Recorded('NON_PUBLIC_SOCIAL', RULEBOOK_V2).launch().send(session('SELF_STUDY', 1));
    const context = unit.unit.snapshot.context;
    const at = Date.parse(day(2));
    const gaps = gapsOf(context, at, RULEBOOK_V2);
    expect(gaps.map((g) => g.code)).toStrictEqual([
      'REQUIRED_TOPICS_MISSING',
      'OPINIONS_SHORT',
      'FACE_TO_FACE_SHARE_LOW',
      'FOUR_STYLES_SHARE_LOW',
      'NO_PROBLEM_IDENTIFIED',
      'SELF_ASSESSMENT_MISSING',
    ]);
    const topics = gatesOf(RULEBOOK_V2).evidence.find((g) => g.code === 'REQUIRED_TOPICS_MISSING')!;
    const { required, actual, message } = topics.check(context, at, RULEBOOK_V2, {});
    expect(gaps[0]).toStrictEqual({ code: 'REQUIRED_TOPICS_MISSING', region: 'study', required, actual, message });
    expect(gaps.map((g) => g.region)).toStrictEqual([
      'study',
      'listening',
      'listening',
      'listening',
      'correcting',
      'stage',
    ]);
  });

  it('a problem is overdue by the time of the migration, not before', () => {
    const unit = new Recorded(KIND).launch().send(problem(1, { category: 'OTHER', dueAt: 5 }));
    const overdue = (at: number) =>
      gapsOf(unit.unit.snapshot.context, Date.parse(day(at)), RULEBOOK_V1).map((g) => g.code);
    expect(overdue(5)).not.toContain('PROBLEM_OVERDUE');
    expect(overdue(5.01)).toContain('PROBLEM_OVERDUE');
  });
});

describe('migrateSnapshot', () => {
  it('keeps the state value and recomputes the context under the new rulebook; gaps at the given instant', () => {
    const unit = new Recorded(KIND).launch().send(problem(1, { category: 'OTHER', dueAt: 5 }), film(1));
    const at = (d: number) => migrateSnapshot(unit.unit.snapshot, unit.events, RULEBOOK_V1, RULEBOOK_V2, day(d));
    const migration = at(4);
    expect(migration.snapshot).toStrictEqual({
      value: unit.unit.snapshot.value,
      context: recomputeContext({ kind: KIND, leaderCount: 2 }, unit.events, RULEBOOK_V2),
    });
    expect(migration.snapshot.context.rulebookVersion).toBe(2);
    expect(migration.gaps).toStrictEqual(gapsOf(migration.snapshot.context, Date.parse(day(4)), RULEBOOK_V2));
    expect(migration.gaps.map((g) => g.code)).not.toContain('PROBLEM_OVERDUE');
    expect(at(6).gaps.map((g) => g.code)).toContain('PROBLEM_OVERDUE');
  });

  it('refuses, each with its reason: another rulebook, no newer one, a completed stage, a bad instant, a foreign state', () => {
    const unit = new Recorded(KIND).launch();
    const v1 = unit.unit.snapshot;
    expect(() => migrateSnapshot(v1, unit.events, RULEBOOK_V2, { ...RULEBOOK_V2, version: 3 }, day(1))).toThrow(
      'The snapshot runs under rulebook v1, but was handed rulebook v2.',
    );
    expect(() => migrateSnapshot(v1, unit.events, RULEBOOK_V1, RULEBOOK_V1, day(1))).toThrow(
      'A unit moves to a newer rulebook only: v1 → v1.',
    );
    expect(() => migrateSnapshot(v1, unit.events, RULEBOOK_V1, RULEBOOK_V2, 'soon')).toThrow(
      'at must be an ISO instant; got "soon"',
    );
    const foreign = { ...v1, value: { stage1: { study: 'met', listening: 'active', correcting: 'lost' } } };
    expect(() => migrateSnapshot(foreign, unit.events, RULEBOOK_V1, RULEBOOK_V2, day(1))).toThrow(
      'is not a state of lookback-campaign-v2.',
    );
    const done = { ...v1, value: 'stage1Complete' };
    expect(() => migrateSnapshot(done, unit.events, RULEBOOK_V1, RULEBOOK_V2, day(1))).toThrow(
      'A unit whose first stage is complete is not migrated.',
    );
  });
});

describe('explain', () => {
  it('names the states an event is not allowed in, whole', () => {
    const unit = launchedUnit(KIND);
    const [launch] = explain(unit.snapshot, day(1), RULEBOOK_V1);
    const states = 'stage1.correcting.active, stage1.listening.active, stage1.study.active';
    expect(launch).toStrictEqual({
      event: 'LAUNCH',
      allowed: false,
      blockers: [
        {
          code: 'NOT_ALLOWED_IN_STATE',
          message: `LAUNCH is not allowed in ${states}.`,
          required: null,
          actual: states,
        },
      ],
      earliestAt: null,
    });
  });
  it('refuses an instant without a zone, and a snapshot of another rulebook', () => {
    const unit = launchedUnit(KIND);
    expect(() => explain(unit.snapshot, '2014-02-02T09:00:00', RULEBOOK_V1)).toThrow(
      'at must be an ISO-8601 instant with a zone; got "2014-02-02T09:00:00"',
    );
    expect(() => progress(unit.snapshot, 'tomorrow', RULEBOOK_V1)).toThrow(
      'at must be an ISO-8601 instant with a zone; got "tomorrow"',
    );
    expect(() => explain(unit.snapshot, day(1), RULEBOOK_V2)).toThrow('but was handed rulebook v2');
    expect(() => progress(unit.snapshot, day(1), RULEBOOK_V2)).toThrow('but was handed rulebook v2');
  });
});

describe('progress in a re-forge', () => {
  it('shows the rework dwell instead of the study and stage dwells, and no launch or look-back line', () => {
    const unit = throughStage1().lookBack(14, 'STUDY');
    expect(unit.unit.states[0]).toMatch(/^reforging\./u);
    const lines = progress(unit.unit.snapshot, day(16), RULEBOOK_V1);
    expect(lines.map((l) => l.code)).toStrictEqual([
      'CONCENTRATED_DAYS_SHORT',
      'GROUP_DISCUSSION_MISSING',
      'OPINIONS_SHORT',
      'FACE_TO_FACE_SHARE_LOW',
      'FOUR_STYLES_SHARE_LOW',
      'UNCLAIMED_OPINIONS',
      'NO_PROBLEM_IDENTIFIED',
      'FIX_AT_ONCE_OPEN',
      'PROBLEM_OVERDUE',
      'REWORK_DWELL',
      'OPEN_FINDINGS',
    ]);
    expect(lines.find((l) => l.code === 'REWORK_DWELL')).toStrictEqual({
      region: 'stage',
      code: 'REWORK_DWELL',
      label: expect.any(String),
      required: '7 days',
      actual: expect.any(String),
      met: false,
    });
    expect(lines.find((l) => l.code === 'CONCENTRATED_DAYS_SHORT')).toMatchObject({ actual: '0', met: false });
    expect(lines.find((l) => l.code === 'OPINIONS_SHORT')).toMatchObject({ met: true });
  });
});
