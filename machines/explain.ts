/** "Why can't I move on?" — read off the same gate functions the machine's guards use. */
import { isoOf, parseInstant } from './calendar.js';
import { createCampaignMachine } from './campaign.machine.js';
import { GATE_DEFINITIONS, type Blocker, type GateDefinition } from './gates.js';
import { rulebookOf } from './rulebook.js';
import { evaluateStageEvent, handledEventsOf, leavesOf, phaseOf, type StoredSnapshot } from './step.js';
import { STAGE_EVENTS, type StageEventType } from './vocabulary.js';

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

/** Every stage event, in STAGE_EVENTS order: allowed or not, every blocker, and when time alone is in the way. */
export function explain(s: StoredSnapshot, at: string, facts: { parentLaunched?: boolean } = {}): TransitionOptionView[] {
  const atMs = atOf(at);
  const rulebook = rulebookOf(s.context.rulebookVersion);
  const handled = handledEventsOf(createCampaignMachine(rulebook), s.value);
  const states = leavesOf(s.value).join(', ');
  return STAGE_EVENTS.map((event) => {
    if (!handled.has(event)) {
      const blocker: Blocker = {
        code: 'NOT_ALLOWED_IN_STATE',
        message: `${event} is not allowed in ${states}.`,
        required: null,
        actual: states,
      };
      return { event, allowed: false, blockers: [blocker], earliestAt: null };
    }
    const evaluation = evaluateStageEvent(s, event, atMs, rulebook, facts);
    return {
      event,
      allowed: evaluation.blockers.length === 0,
      blockers: evaluation.blockers,
      earliestAt: evaluation.earliestAtMs === null ? null : isoOf(evaluation.earliestAtMs),
    };
  });
}

/**
 * A dashboard line per gate condition of the unit's kind (e.g. "concentrated study days" 3 / 5). Dwell lines
 * follow the phase: the study and stage dwell before a re-forge, the rework dwell inside one.
 */
export function progress(s: StoredSnapshot, at: string): GateProgressView[] {
  const atMs = atOf(at);
  const rulebook = rulebookOf(s.context.rulebookVersion);
  const inRework = phaseOf(s.value) === 'reforging';
  const shown = (d: GateDefinition) =>
    d.scope !== 'launch' &&
    d.scope !== 'lookBack' &&
    (inRework ? d.code !== 'STUDY_DWELL' && d.code !== 'STAGE_DWELL' : d.code !== 'REWORK_DWELL');
  return GATE_DEFINITIONS.filter((d) => shown(d) && d.applies(s.context, rulebook)).map((d) => {
    const check = d.check(s.context, atMs, rulebook);
    return { region: d.scope, code: d.code, label: d.label, required: check.required, actual: check.actual, met: check.met };
  });
}
