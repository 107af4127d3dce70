/**
 * Property, for every built-in rulebook: seeded random event sequences (10,000 per kind) never reach stage1Complete, and never let a
 * region leave `active`, before its gates pass — checked with the gate functions on the pre-step snapshot.
 * Replaying a sequence gives the identical snapshot; every step taken by `step` gives exactly what
 * `stepByPublicApi` (xstate's documented serverless API alone) gives for the same input.
 */
import type { CampaignEvent } from './events.js';
import type { GateSetName } from './gates/evaluator.js';
import { evaluateGateSet } from './gates/sets.js';
import { BUILT_IN_RULEBOOKS } from './built-in-rulebooks.js';
import type { Rulebook } from './rulebook.js';
import {
  correctingEvidence,
  DAY,
  day,
  iso,
  launchedUnit,
  listeningEvidence,
  selfAssessment,
  studyEvidenceUnder,
  T0,
  Unit,
} from './spec-support.js';
import { activeRegionsOf, phaseOf, type StoredSnapshot } from './status.js';
import { initialSnapshot, step, stepByPublicApi } from './step.js';
import {
  FINDING_KINDS,
  LOOKBACK_ITEMS,
  OPINION_CATEGORIES,
  OPINION_CHANNELS,
  REGIONS,
  SELF_RATINGS,
  STUDY_FORMATS,
  STUDY_TOPICS,
  UNIT_KINDS,
  type UnitKind,
} from './vocabulary.js';

const SEQUENCES_PER_KIND = Number(process.env.LOOKBACK_WALKS ?? 10_000);
const EVENTS_PER_SEQUENCE = 7;

/** mulberry32: small, fast, deterministic */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starting points near the gates, so that random walks do cross them. Each with its "now" (ms). */
function seeds(kind: UnitKind, rulebook: Rulebook): Array<{ snapshot: StoredSnapshot; now: number }> {
  const out: Array<{ snapshot: StoredSnapshot; now: number }> = [];
  out.push({ snapshot: initialSnapshot({ kind, leaderCount: 2 }, rulebook), now: T0 - DAY });
  const planned = new Unit(initialSnapshot({ kind, leaderCount: 2 }, rulebook), rulebook).send({
    type: 'FILE_STUDY_PLAN',
    topics: ['t'],
    plannedDays: 3,
    at: iso(T0 - DAY),
  });
  out.push({ snapshot: planned.snapshot, now: T0 - DAY });
  out.push({ snapshot: launchedUnit(kind, 2, rulebook).snapshot, now: T0 });
  const almost = launchedUnit(kind, 2, rulebook);
  const study = studyEvidenceUnder(rulebook, kind, 2, 0);
  const assessed = rulebook.ruleset >= 2 ? [selfAssessment(0.9)] : [];
  study.slice(0, -1).forEach((e) => almost.send(e));
  listeningEvidence(kind, 0.5)
    .slice(1)
    .forEach((e) => almost.send(e));
  out.push({ snapshot: almost.snapshot, now: T0 + 0.9 * DAY });
  const full = launchedUnit(kind, 2, rulebook);
  [...study, ...listeningEvidence(kind, 0.5), ...correctingEvidence(0.5, rulebook), ...assessed].forEach((e) =>
    full.send(e),
  );
  out.push({ snapshot: full.snapshot, now: T0 + 0.9 * DAY });
  const met = new Unit(full.snapshot, rulebook);
  met
    .send({ type: 'COMPLETE_STUDY', at: day(6) })
    .send({ type: 'COMPLETE_LISTENING', at: day(6) })
    .send({ type: 'COMPLETE_CORRECTING', at: day(6) });
  out.push({ snapshot: met.snapshot, now: T0 + 6 * DAY });
  out.push({ snapshot: met.snapshot, now: T0 + Math.max(6, rulebook.kinds[kind].stageDwellDays - 1) * DAY });
  const lookBack = new Unit(met.snapshot, rulebook).send({ type: 'REQUEST_LOOKBACK', at: day(21) });
  out.push({ snapshot: lookBack.snapshot, now: T0 + 21 * DAY });
  const judged = new Unit(lookBack.snapshot, rulebook);
  (['STUDY', 'LISTENING', 'COMBINED'] as const).forEach((item) =>
    judged.send({ type: 'LOOKBACK_VERDICT', item, verdict: 'PASS', at: day(21) }),
  );
  out.push({ snapshot: judged.snapshot, now: T0 + 21 * DAY });
  const reforging = new Unit(lookBack.snapshot, rulebook);
  LOOKBACK_ITEMS.forEach((item) =>
    reforging.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === 'STYLE' ? 'FAIL' : 'PASS', at: day(21) }),
  );
  reforging.send({ type: 'CONCLUDE_LOOKBACK', at: day(21.5) });
  [
    ...studyEvidenceUnder(rulebook, kind, 2, 22),
    ...listeningEvidence(kind, 22),
    ...correctingEvidence(22, rulebook),
    ...(rulebook.ruleset >= 2 ? [selfAssessment(22.9)] : []),
  ].forEach((e) => reforging.send(e));
  out.push({ snapshot: reforging.snapshot, now: T0 + 23 * DAY });
  const reworked = new Unit(reforging.snapshot, rulebook)
    .send({ type: 'COMPLETE_STUDY', at: day(28.5) })
    .send({ type: 'COMPLETE_LISTENING', at: day(28.5) });
  out.push({ snapshot: reworked.snapshot, now: T0 + 28 * DAY });
  return out;
}

function randomEvent(
  rnd: () => number,
  now: number,
  launchedAt: number | null,
  ids: string[],
  rulebook: Rulebook,
): CampaignEvent {
  const at = iso(now);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const since = launchedAt ?? now;
  const occurredAt = iso(Math.max(since, now - Math.floor(rnd() * 2 * DAY)));
  const id = () => (rnd() < 0.5 && ids.length ? pick(ids) : `x${Math.floor(rnd() * 1e6)}`);
  const r = rnd();
  if (r < 0.3) {
    const type = pick([
      'LAUNCH',
      'COMPLETE_STUDY',
      'COMPLETE_LISTENING',
      'COMPLETE_CORRECTING',
      'REQUEST_LOOKBACK',
      'CONCLUDE_LOOKBACK',
    ] as const);
    return type === 'LAUNCH' ? { type, parentLaunched: rnd() < 0.8, at } : { type, at };
  }
  if (r < 0.32) return { type: 'FILE_STUDY_PLAN', topics: ['t'], plannedDays: 2, at };
  if (r < 0.4)
    return { type: 'LOOKBACK_VERDICT', item: pick(LOOKBACK_ITEMS), verdict: rnd() < 0.7 ? 'PASS' : 'FAIL', at };
  const supplement = rulebook.supplement;
  if (supplement && r < 0.48) {
    // ruleset 2's own evidence, and the kinds of input it refuses (a topic off the list, an unknown activity)
    const s = rnd();
    if (s < 0.3)
      return {
        type: 'PROVINCE_ACTIVITY',
        activity: rnd() < 0.9 ? pick(supplement.activities) : 'UNKNOWN',
        occurredAt,
        at,
      };
    if (s < 0.45)
      return {
        type: 'SELF_ASSESSMENT_FILED',
        items: LOOKBACK_ITEMS.map((item) => ({ item, rating: pick(SELF_RATINGS), text: 't' })),
        at,
      };
    if (s < 0.6)
      return {
        type: 'PROBLEM_IDENTIFIED',
        problemId: `p${Math.floor(rnd() * 1e6)}`,
        category: pick([...Object.keys(supplement.problemCategories), 'OTHER']),
        fixAtOnce: rnd() < 0.2,
        dueAt: null,
        at,
      };
    const topics = [pick(STUDY_TOPICS), pick(STUDY_TOPICS)];
    return {
      type: 'STUDY_SESSION',
      format: pick(STUDY_FORMATS),
      occurredAt,
      hours: pick([0.5, 1, 2, 3]),
      attendees: 9,
      topics,
      at,
    } as CampaignEvent;
  }
  const kind = Math.floor(rnd() * 11);
  switch (kind) {
    case 0:
    case 1:
      return { type: 'STUDY_SESSION', format: pick(STUDY_FORMATS), occurredAt, hours: 2, attendees: 9, at };
    case 2:
      return { type: 'PARTY_LECTURE', lecturer: pick(['a', 'b', 'c']), occurredAt, at };
    case 3:
      return { type: 'FILM_SCREENING', title: 'f', occurredAt, at };
    case 4:
    case 5: {
      const opinionId = `o${Math.floor(rnd() * 1e6)}`;
      if (rnd() < 0.3) ids.push(opinionId);
      return {
        type: 'OPINION_RECORDED',
        opinionId,
        channel: pick(OPINION_CHANNELS),
        category: pick(OPINION_CATEGORIES),
        collectedByUnitId: rnd() < 0.3 ? 'other' : 'me',
        targetUnitId: 'me',
        occurredAt,
        at,
      };
    }
    case 6:
      return { type: 'OPINION_CLAIMED', opinionId: id(), at };
    case 7:
      return { type: 'COLLECTIVE_DELIBERATION', occurredAt, opinionsDiscussed: 3, at };
    case 8: {
      const problemId = `p${Math.floor(rnd() * 1e6)}`;
      ids.push(problemId);
      return {
        type: 'PROBLEM_IDENTIFIED',
        problemId,
        category: 'c',
        fixAtOnce: rnd() < 0.4,
        dueAt: rnd() < 0.3 ? iso(now + Math.floor(rnd() * 3 * DAY)) : null,
        at,
      };
    }
    case 9:
      return rnd() < 0.5
        ? { type: 'PROBLEM_RECTIFIED', problemId: id(), occurredAt, at }
        : { type: 'FINDING_RESOLVED', findingId: id(), at };
    default: {
      const findingId = `f${Math.floor(rnd() * 1e6)}`;
      ids.push(findingId);
      return { type: 'FINDING_ISSUED', findingId, kind: pick(FINDING_KINDS), at };
    }
  }
}

const REGION_OF: Record<string, (typeof REGIONS)[number]> = {
  COMPLETE_STUDY: 'study',
  COMPLETE_LISTENING: 'listening',
  COMPLETE_CORRECTING: 'correcting',
};

const MOVES = new Set([
  'registered>stage1',
  'stage1>lookBack',
  'lookBack>stage1Complete',
  'lookBack>reforging',
  'reforging>lookBack',
]);

/** The invariants of one accepted step, judged on the pre-step snapshot with the gate functions. */
function checkStep(
  pre: StoredSnapshot,
  event: CampaignEvent,
  post: StoredSnapshot,
  tally: Record<string, number>,
  rulebook: Rulebook,
): void {
  const atMs = Date.parse(event.at);
  const from = phaseOf(pre.value);
  const to = phaseOf(post.value);
  if (from !== to) {
    if (!MOVES.has(`${from}>${to}`)) throw new Error(`skipped a state: ${from} → ${to} on ${event.type}`);
    tally[`${from}>${to}`] = (tally[`${from}>${to}`] ?? 0) + 1;
  }
  if (to === 'stage1Complete' && from !== 'stage1Complete') {
    if (!LOOKBACK_ITEMS.every((item) => pre.context.verdicts[item] === 'PASS'))
      throw new Error('stage1Complete without four PASS verdicts');
    if (rulebook.ruleset >= 2 && pre.context.openFindingIds.length > 0)
      throw new Error('stage1Complete with a finding open');
  }
  if (to === 'lookBack' && from !== 'lookBack') {
    if (activeRegionsOf(pre.value).length > 0) throw new Error('look-back with a region still active');
    const set: GateSetName = from === 'reforging' ? 'reforging.requestLookBack' : 'stage1.requestLookBack';
    if (evaluateGateSet(set, pre.context, atMs, rulebook).blockers.length > 0)
      throw new Error(`${set} passed with blockers`);
  }
  if (from === 'registered' && to === 'stage1') {
    if (
      evaluateGateSet('launch', pre.context, atMs, rulebook, {
        parentLaunched: event.type === 'LAUNCH' && event.parentLaunched,
      }).blockers.length > 0
    )
      throw new Error('launched without a plan');
    if (event.type !== 'LAUNCH' || !event.parentLaunched) throw new Error('launched before the parent');
  }
  if (from === to && (from === 'stage1' || from === 'reforging')) {
    const before = activeRegionsOf(pre.value);
    const after = activeRegionsOf(post.value);
    for (const region of before) {
      if (after.includes(region)) continue;
      if (REGION_OF[event.type] !== region) throw new Error(`${region} left active on ${event.type}`);
      const blockers = evaluateGateSet(`${from}.${region}` as GateSetName, pre.context, atMs, rulebook).blockers;
      if (blockers.length > 0) throw new Error(`${region} met despite ${blockers.map((b) => b.code).join(', ')}`);
      tally[`${from}.${region}`] = (tally[`${from}.${region}`] ?? 0) + 1;
    }
  }
}

/** Runs a sequence through `step`; with a tally, checks every step's invariants and that `stepByPublicApi` agrees. */
function run(
  start: StoredSnapshot,
  events: CampaignEvent[],
  rulebook: Rulebook,
  tally?: Record<string, number>,
): StoredSnapshot {
  let snapshot = start;
  for (const event of events) {
    const result = step(snapshot, event, rulebook);
    if (tally) {
      const viaPublicApi = JSON.stringify(stepByPublicApi(snapshot, event, rulebook));
      if (viaPublicApi !== JSON.stringify(result))
        throw new Error(`step and stepByPublicApi differ on ${JSON.stringify(event)}: ${viaPublicApi}`);
      tally.comparedWithPublicApi = (tally.comparedWithPublicApi ?? 0) + 1;
    }
    if (result.ok) {
      if (tally) checkStep(snapshot, event, result.snapshot, tally, rulebook);
      snapshot = result.snapshot;
    }
  }
  return snapshot;
}

const CASES = BUILT_IN_RULEBOOKS.flatMap((rulebook) =>
  UNIT_KINDS.map((kind) => [`v${rulebook.version}`, kind, rulebook] as const),
);

describe.each(CASES)('random walks under rulebook %s of %s', (_version, kind, rulebook) => {
  it(`${SEQUENCES_PER_KIND} seeded sequences never skip a gate, replay identically, and step as xstate's public API does`, () => {
    const starts = seeds(kind, rulebook);
    const rnd = prng(0x10c4 + UNIT_KINDS.indexOf(kind));
    const tally: Record<string, number> = {};
    for (let n = 0; n < SEQUENCES_PER_KIND; n++) {
      const { snapshot, now } = starts[n % starts.length];
      let t = now;
      const ids: string[] = [];
      const events: CampaignEvent[] = [];
      for (let i = 0; i < EVENTS_PER_SEQUENCE; i++) {
        t += Math.floor(rnd() * rnd() * 4 * DAY);
        events.push(
          randomEvent(
            rnd,
            t,
            snapshot.context.launchedAt ?? (events.some((e) => e.type === 'LAUNCH') ? T0 : null),
            ids,
            rulebook,
          ),
        );
      }
      const end = run(snapshot, events, rulebook, tally);
      if (n % 20 === 0) expect(JSON.stringify(run(snapshot, events, rulebook))).toBe(JSON.stringify(end));
    }
    // the walks do cross every gate: each region is met, and every move of the chart is taken
    for (const key of [
      'stage1.study',
      'stage1.listening',
      'stage1.correcting',
      'reforging.study',
      'reforging.listening',
      'reforging.correcting',
    ]) {
      expect(tally[key] ?? 0).toBeGreaterThan(0);
    }
    for (const move of MOVES) expect([move, tally[move] ?? 0]).not.toEqual([move, 0]);
    expect(tally.comparedWithPublicApi).toBe(SEQUENCES_PER_KIND * EVENTS_PER_SEQUENCE);
  });
});
