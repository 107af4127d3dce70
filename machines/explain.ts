/** "Why can't I move on?" — read off the same gate sets the machine's guards judge by. */
import { isoOf, parseInstant } from './calendar.js';
import { createCampaignMachine } from './campaign.machine.js';
import { STAGE_EVENTS, type StageEventType } from './events.js';
import type { Blocker, GateDefinition, GateFacts } from './gates/evaluator.js';
import { stageOutcome } from './gates/outcome.js';
import { evaluateGateSet, gateSetNameOf, gatesOf } from './gates/sets.js';
import type { Rulebook } from './rulebook.js';
import { assertSnapshotUnder, configurationOf, phaseOf, type StoredSnapshot } from './status.js';

export interface TransitionOptionView {
  event: StageEventType;
  allowed: boolean;
  blockers: Blocker[];
  earliestAt: string | null;
}

export interface GateProgressView {
  region: string;
  code: string;
  label: string;
  required: string;
  actual: string;
  met: boolean;
}

function atOf(at: string): number {
  const atMs = parseInstant(at);
  if (atMs === null) throw new Error(`at must be an ISO-8601 instant with a zone; got ${JSON.stringify(at)}`);
  return atMs;
}

/**
 * Every stage event, in STAGE_EVENTS order: allowed or not, every blocker, and when time alone is in the way.
 * `facts.parentLaunched` left out: LAUNCH reports PARENT_NOT_LAUNCHED with actual "unknown".
 */
export function explain(
  s: StoredSnapshot,
  at: string,
  rulebook: Rulebook,
  facts: GateFacts = {},
): TransitionOptionView[] {
  assertSnapshotUnder(s, rulebook);
  const atMs = atOf(at);
  const configuration = configurationOf(createCampaignMachine(rulebook), s.value);
  const phase = phaseOf(s.value);
  const states = configuration.leaves.join(', ');
  return STAGE_EVENTS.map((event) => {
    if (!configuration.handled.has(event)) {
      const blocker: Blocker = {
        code: 'NOT_ALLOWED_IN_STATE',
        message: `${event} is not allowed in ${states}.`,
        required: null,
        actual: states,
      };
      return { event, allowed: false, blockers: [blocker], earliestAt: null };
    }
    const evaluation = evaluateGateSet(gateSetNameOf(phase, event), s.context, atMs, rulebook, facts);
    const outcome = stageOutcome(event, s.value, evaluation, false);
    return {
      event,
      allowed: outcome.blockers.length === 0,
      blockers: outcome.blockers,
      earliestAt: outcome.earliestAtMs === null ? null : isoOf(outcome.earliestAtMs),
    };
  });
}

/**
 * A dashboard line per gate condition of the unit's kind (e.g. "concentrated study days" 3 / 5). Dwell lines
 * follow the phase: the study and stage dwell before a re-forge, the rework dwell inside one.
 */
export function progress(s: StoredSnapshot, at: string, rulebook: Rulebook): GateProgressView[] {
  assertSnapshotUnder(s, rulebook);
  const atMs = atOf(at);
  const inRework = phaseOf(s.value) === 'reforging';
  const shown = (d: GateDefinition) =>
    d.scope !== 'launch' &&
    d.scope !== 'lookBack' &&
    (inRework ? d.code !== 'STUDY_DWELL' && d.code !== 'STAGE_DWELL' : d.code !== 'REWORK_DWELL');
  return gatesOf(rulebook)
    .all.filter((d) => shown(d) && d.applies(s.context, rulebook))
    .map((d) => {
      const check = d.check(s.context, atMs, rulebook, {});
      return {
        region: d.scope,
        code: d.code,
        label: d.label,
        required: check.required,
        actual: check.actual,
        met: check.met,
      };
    });
}
