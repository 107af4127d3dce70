/**
 * A rollup's counters: what one unit adds to the rollup of every subtree it belongs to (its own and each of its
 * ancestors'). Derived from the unit's stored snapshot only, so that a recount from the units reproduces them.
 */
import type { StoredSnapshot } from '../../machines/index.js';

export const PHASE_COUNTERS = {
  registered: 'registered',
  stage1: 'stage1',
  lookBack: 'look_back',
  reforging: 'reforging',
  stage1Complete: 'stage1_complete',
} as const;

export const REGION_STATE_COUNTERS = {
  'study.active': 'study_active',
  'study.met': 'study_met',
  'listening.active': 'listening_active',
  'listening.met': 'listening_met',
  'correcting.active': 'correcting_active',
  'correcting.met': 'correcting_met',
} as const;

/** Column names, in the one order every statement uses. */
export const COUNTERS = [
  'units',
  'launched',
  ...Object.values(PHASE_COUNTERS),
  ...Object.values(REGION_STATE_COUNTERS),
  'open_findings',
  'units_with_open_findings',
  'reforges_begun',
  'refused_stage_events',
  'points',
] as const;

export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

export const MAX_POINTS = 6;

const ZERO = Object.freeze(Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters);

/** All counters at 0: a copy of one frozen template (two per accepted command: no arrays built each time). */
export function zero(): Counters {
  return { ...ZERO };
}

export function isZero(c: Counters): boolean {
  return COUNTERS.every((k) => c[k] === 0);
}

export function add(into: Counters, more: Counters, sign = 1): Counters {
  for (const k of COUNTERS) into[k] += sign * more[k];
  return into;
}

export function minus(a: Counters, b: Counters): Counters {
  return add({ ...a }, b, -1);
}

function phaseOf(value: unknown): string {
  return typeof value === 'string' ? value : Object.keys(value as Record<string, unknown>)[0];
}

/**
 * What one unit contributes: 1 unit, its phase, its regions' states while in stage1 or reforging, launched or not,
 * open findings, re-forges begun, and its progress points (registered 0; stage1/reforging 1 + met regions;
 * lookBack 5; stage1Complete 6). Refused stage events are not in the snapshot: they are counted as they happen.
 */
export function contributionOf(snapshot: StoredSnapshot): Counters {
  const c = zero();
  const value = snapshot.value;
  const context = snapshot.context;
  const phase = phaseOf(value);
  c.units = 1;
  const phaseCounter = PHASE_COUNTERS[phase as keyof typeof PHASE_COUNTERS];
  if (phaseCounter) c[phaseCounter] = 1;
  if (context.launchedAt !== null) c.launched = 1;
  const openFindings = context.openFindingIds.length;
  c.open_findings = openFindings;
  c.units_with_open_findings = openFindings > 0 ? 1 : 0;
  // a look-back round begins on each entry into lookBack; every round but the one in progress (or passed) failed
  if (phase === 'reforging') c.reforges_begun = context.round;
  else if (phase === 'lookBack' || phase === 'stage1Complete') c.reforges_begun = Math.max(0, context.round - 1);
  if (phase === 'stage1' || phase === 'reforging') {
    const regions = (value as Record<string, Record<string, string>>)[phase];
    let met = 0;
    for (const [region, state] of Object.entries(regions)) {
      const counter = REGION_STATE_COUNTERS[`${region}.${state}` as keyof typeof REGION_STATE_COUNTERS];
      if (counter) c[counter] = 1;
      if (state === 'met') met++;
    }
    c.points = 1 + met;
  } else if (phase === 'lookBack') c.points = 5;
  else if (phase === 'stage1Complete') c.points = MAX_POINTS;
  return c;
}
