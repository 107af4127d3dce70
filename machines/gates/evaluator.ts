/**
 * The gate evaluator: a gate is one small pure rule, `(context, atMs, rulebook, facts) → check`; a gate set is
 * evaluated into every blocker `{ code, message, required, actual }` (never just `false`). The machine's
 * guards, `step`'s refusals, `explain` and `progress` all read these evaluations: one truth.
 */
import { DAY_MS, isoOf } from '../calendar.js';
import type { CampaignContext } from '../context.js';
import type { KindRules, Rulebook } from '../rulebook.js';
import type { Region } from '../vocabulary.js';

export interface Blocker {
  code: string;
  message: string;
  required: string | null;
  actual: string | null;
}

/** What the engine knows beyond the unit's own context (read at LAUNCH; unknown in `explain` without them). */
export interface GateFacts {
  parentLaunched?: boolean;
}

/** Where a gate belongs on a dashboard. */
export type GateScope = 'launch' | Region | 'stage' | 'lookBack';

export interface GateCheck {
  met: boolean;
  required: string;
  actual: string;
  message: string;
  /** dwell gates only: the instant (epoch ms) from which the gate passes */
  dueAtMs?: number | null;
}

export interface GateDefinition {
  readonly code: string;
  readonly scope: GateScope;
  readonly label: string;
  /** a dwell gate: time alone will lift it */
  readonly dwell?: boolean;
  /** a structural gate: even an admin override cannot lift it (it would skip a state) */
  readonly structural?: boolean;
  applies(context: CampaignContext, rulebook: Rulebook): boolean;
  check(context: CampaignContext, atMs: number, rulebook: Rulebook, facts: GateFacts): GateCheck;
}

/** The names of the gate sets: which gates hold back which stage event, in which phase. */
export type GateSetName =
  | 'launch'
  | 'stage1.study'
  | 'stage1.listening'
  | 'stage1.correcting'
  | 'stage1.requestLookBack'
  | 'reforging.study'
  | 'reforging.listening'
  | 'reforging.correcting'
  | 'reforging.requestLookBack'
  | 'conclude';

export interface Evaluation {
  /** every unmet condition, in the set's order */
  blockers: Blocker[];
  /** the blockers no admin override lifts */
  structural: Blocker[];
  /** the latest due moment of the dwell blockers, when only dwell blockers are left; else null */
  earliestAtMs: number | null;
}

/** Evaluate a list of gate definitions: every unmet condition, not only the first. */
export function evaluateGates(
  definitions: readonly GateDefinition[],
  context: CampaignContext,
  atMs: number,
  rulebook: Rulebook,
  facts: GateFacts = {},
): Evaluation {
  const blockers: Blocker[] = [];
  const structural: Blocker[] = [];
  let onlyDwell = true;
  let earliestAtMs: number | null = null;
  for (const definition of definitions) {
    if (!definition.applies(context, rulebook)) continue;
    const check = definition.check(context, atMs, rulebook, facts);
    if (check.met) continue;
    const blocker = { code: definition.code, message: check.message, required: check.required, actual: check.actual };
    blockers.push(blocker);
    if (definition.structural) structural.push(blocker);
    if (definition.dwell && check.dueAtMs != null) {
      earliestAtMs = earliestAtMs === null ? check.dueAtMs : Math.max(earliestAtMs, check.dueAtMs);
    } else {
      onlyDwell = false;
    }
  }
  return { blockers, structural, earliestAtMs: onlyDwell && blockers.length > 0 ? earliestAtMs : null };
}

/** What blocks under an override: only what no override lifts. */
export const blockingUnder = (evaluation: Evaluation, override: boolean): Blocker[] =>
  override ? evaluation.structural : evaluation.blockers;

// ── helpers the gate files share ─────────────────────────────────────────────────────────────────────────
export const kindRules = (context: CampaignContext, rulebook: Rulebook): KindRules => rulebook.kinds[context.unit.kind];
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const always = () => true;

export function atLeast(actual: number, required: number, unit: string, what: string, units = `${unit}s`): GateCheck {
  return {
    met: actual >= required,
    required: plural(required, unit, units),
    actual: String(actual),
    message: `${what}: ${actual} of the ${required} required.`,
  };
}

/** `part` of `total` at least `percent` %, in exact integer math; no opinions at all is unmet (0 %). */
export function share(part: number, total: number, percent: number, what: string): GateCheck {
  const actualPercent = total === 0 ? 0 : Math.floor((part * 100) / total);
  return {
    met: total > 0 && part * 100 >= percent * total,
    required: `${percent}%`,
    actual: total === 0 ? '0% (no opinions)' : `${actualPercent}% (${part} of ${total})`,
    message: `${what} is ${total === 0 ? 'undefined: no opinions yet' : `${actualPercent}% (${part} of ${total})`}; at least ${percent}% required.`,
  };
}

/** A dwell of `days` × 24 h from `entryMs`. */
export function dwell(entryMs: number | null, days: number, atMs: number, what: string): GateCheck {
  const required = plural(days, 'day');
  if (entryMs === null)
    return { met: false, required, actual: 'not started', message: `${what}: not started.`, dueAtMs: null };
  const dueAtMs = entryMs + days * DAY_MS;
  const servedMs = Math.max(0, atMs - entryMs);
  const served = `${Math.floor(servedMs / DAY_MS)} days ${Math.floor((servedMs % DAY_MS) / 3_600_000)} h`;
  const met = atMs >= dueAtMs;
  return {
    met,
    required,
    actual: served,
    message: met ? `${what}: served.` : `${what}: ${served} served of ${required}; allowed from ${isoOf(dueAtMs)}.`,
    dueAtMs,
  };
}
