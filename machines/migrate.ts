/**
 * Moving a unit to a newer rulebook (查漏补缺: "中央有新要求的按新要求充实完善"). The unit keeps its phase and every
 * region already met — history is history — while its tallies are recomputed from its own events under the new
 * rules, and every evidence gate of the new rulebook that those events now fail is reported as a gap (met regions
 * included). The gaps need no storing: under ruleset 2 REQUEST_LOOKBACK re-checks every region's gates.
 */
import { beginReforge, initialContext, type CampaignContext } from './context.js';
import { createCampaignMachine } from './campaign.machine.js';
import { RULEBOOK_MIGRATED, type CampaignEvent } from './events.js';
import { applyEvidence } from './evidence.js';
import { gatesOf } from './gates/sets.js';
import type { Rulebook } from './rulebook.js';
import { assertSnapshotUnder, configurationOf, phaseOf, type StoredSnapshot } from './status.js';
import { LOOKBACK_ITEMS } from './vocabulary.js';

/** One gate of the new rulebook the unit's evidence fails. */
export interface MigrationGap {
  code: string;
  /** the gate's region (study, listening, correcting) or `stage` */
  region: string;
  required: string;
  actual: string;
  message: string;
}

export interface Migration {
  snapshot: StoredSnapshot;
  gaps: MigrationGap[];
}

/** An event of the unit's history as the migration reads it: a campaign event, or an earlier migration (skipped). */
export type HistoryEvent = (CampaignEvent | { type: typeof RULEBOOK_MIGRATED; at: string }) & {
  /** `at` as epoch milliseconds, when the caller has it (never parsed twice) */
  readonly atMs?: number;
};

/**
 * The context the unit's accepted events give under `rulebook`: the structural moves (launch, look-back rounds,
 * re-forges) as the chart made them, every piece of evidence through the rulebook's reducer. Only accepted
 * events are in a history, so no gate is judged.
 */
export function recomputeContext(
  profile: CampaignContext['unit'],
  events: readonly HistoryEvent[],
  rulebook: Rulebook,
): CampaignContext {
  let context = initialContext(profile, rulebook);
  for (const event of events) {
    const atMs = event.atMs ?? Date.parse(event.at);
    switch (event.type) {
      case RULEBOOK_MIGRATED:
      case 'COMPLETE_STUDY':
      case 'COMPLETE_LISTENING':
      case 'COMPLETE_CORRECTING':
        break;
      case 'FILE_STUDY_PLAN':
        context = { ...context, studyPlanFiled: true };
        break;
      case 'LAUNCH':
        context = { ...context, launchedAt: atMs, windowStart: { study: atMs, listening: atMs, correcting: atMs } };
        break;
      case 'REQUEST_LOOKBACK':
        context = { ...context, round: context.round + 1, verdicts: {} };
        break;
      case 'LOOKBACK_VERDICT':
        context = { ...context, verdicts: { ...context.verdicts, [event.item]: event.verdict } };
        break;
      case 'CONCLUDE_LOOKBACK':
        if (!LOOKBACK_ITEMS.every((item) => context.verdicts[item] === 'PASS'))
          context = beginReforge(context, atMs, rulebook);
        break;
      default:
        context = applyEvidence(context, event, rulebook);
    }
  }
  return context;
}

/** The gates of `rulebook` the context's evidence fails, in the rulebook's order. */
export function gapsOf(context: CampaignContext, atMs: number, rulebook: Rulebook): MigrationGap[] {
  const gaps: MigrationGap[] = [];
  for (const gate of gatesOf(rulebook).evidence) {
    if (!gate.applies(context, rulebook)) continue;
    const check = gate.check(context, atMs, rulebook, {});
    if (!check.met)
      gaps.push({
        code: gate.code,
        region: gate.scope,
        required: check.required,
        actual: check.actual,
        message: check.message,
      });
  }
  return gaps;
}

/**
 * The snapshot after migrating `stored` (run under `from`) to `to` at `at`, and its gaps. `events` are the unit's
 * events before the migration, in order. A `registered` unit has started nothing: it moves with no gaps. Units in
 * `stage1Complete` are not migrated (the stage is done): asking is an error, as is going back a version.
 */
export function migrateSnapshot(
  stored: StoredSnapshot,
  events: readonly HistoryEvent[],
  from: Rulebook,
  to: Rulebook,
  at: string,
): Migration {
  assertSnapshotUnder(stored, from);
  if (!(to.version > from.version))
    throw new Error(`A unit moves to a newer rulebook only: v${from.version} → v${to.version}.`);
  const phase = phaseOf(stored.value);
  if (phase === 'stage1Complete') throw new Error('A unit whose first stage is complete is not migrated.');
  const atMs = Date.parse(at);
  if (Number.isNaN(atMs)) throw new Error(`at must be an ISO instant; got ${JSON.stringify(at)}`);
  configurationOf(createCampaignMachine(to), stored.value); // the value is a state of the new chart
  const context = recomputeContext(stored.context.unit, events, to);
  const snapshot = { value: stored.value, context };
  return { snapshot, gaps: phase === 'registered' ? [] : gapsOf(context, atMs, to) };
}
