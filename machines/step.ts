/**
 * The pure step the server runs per command: stored snapshot + event + the rulebook the unit runs under →
 * next stored snapshot, or a typed refusal. No clock but the event's `at`.
 */
import { initialTransition } from 'xstate';
import { advanceByPublicApi, advanceFast, type Advance } from './advance.js';
import { createCampaignMachine } from './campaign.machine.js';
import { initialContext, type UnitProfile } from './context.js';
import { isCampaignEventType, isStageEventType, type CampaignEvent, type MachineEvent } from './events.js';
import type { Blocker } from './gates/evaluator.js';
import { stageOutcome } from './gates/outcome.js';
import { gateSetNameOf } from './gates/sets.js';
import type { Rulebook } from './rulebook.js';
import { assertSnapshotUnder, configurationOf, phaseOf, type StoredSnapshot, type UnitStatusView } from './status.js';
import { InvalidInput, validate } from './validate.js';
import { UNIT_KINDS } from './vocabulary.js';

export type StepResult =
  | { ok: true; snapshot: StoredSnapshot; status: UnitStatusView }
  | { ok: false; failure: 'NOT_ALLOWED_IN_STATE'; message: string; activeStates: string[] }
  | { ok: false; failure: 'BLOCKED'; blockers: Blocker[]; earliestAt: string | null }
  | { ok: false; failure: 'INVALID_INPUT'; message: string; field: string | null };

export interface StepOptions {
  /** admin override: lifts the gate blockers of a stage event, never the state structure */
  override?: boolean;
}

export type Step = (
  stored: StoredSnapshot,
  event: CampaignEvent,
  rulebook: Rulebook,
  options?: StepOptions,
) => StepResult;

export function initialSnapshot(profile: UnitProfile, rulebook: Rulebook): StoredSnapshot {
  if (!UNIT_KINDS.includes(profile.kind)) throw new Error(`Unknown unit kind ${JSON.stringify(profile.kind)}`);
  if (!Number.isInteger(profile.leaderCount) || profile.leaderCount < 0)
    throw new Error('leaderCount must be an integer ≥ 0');
  const machine = createCampaignMachine(rulebook);
  const [snapshot] = initialTransition(machine, initialContext(profile, rulebook));
  const persisted = machine.getPersistedSnapshot(snapshot) as unknown as StoredSnapshot;
  return { value: persisted.value, context: persisted.context };
}

/**
 * A step over one way of advancing the machine. Checks come first (event type, state, fields); then the machine
 * moves. A stage event's gates are judged once, by the machine's guard, which leaves its evaluation in the
 * event's gate log: when the machine stays put, that evaluation is the refusal.
 */
function stepBy(advance: Advance): Step {
  return (stored, event, rulebook, options = {}) => {
    assertSnapshotUnder(stored, rulebook);
    if (event === null || typeof event !== 'object' || !isCampaignEventType(event.type)) {
      return {
        ok: false,
        failure: 'INVALID_INPUT',
        message: `Unknown event type ${JSON.stringify(event?.type)}.`,
        field: 'type',
      };
    }
    const machine = createCampaignMachine(rulebook);
    const before = configurationOf(machine, stored.value);
    if (!before.handled.has(event.type)) {
      const activeStates = [...before.leaves];
      return {
        ok: false,
        failure: 'NOT_ALLOWED_IN_STATE',
        message: `${event.type} is not allowed in ${activeStates.join(', ')}.`,
        activeStates,
      };
    }
    const override = options.override === true;
    let machineEvent: MachineEvent;
    try {
      machineEvent = validate(event, stored.context, override, rulebook);
    } catch (error) {
      if (error instanceof InvalidInput)
        return { ok: false, failure: 'INVALID_INPUT', message: error.message, field: error.field };
      throw error;
    }

    const next = advance(machine, stored, machineEvent, before);
    const after = configurationOf(machine, next.value);
    if (after === before && isStageEventType(event.type)) {
      // every accepted stage event changes the configuration: staying put is the guard's refusal
      const evaluation = machineEvent.gateLog?.[gateSetNameOf(phaseOf(stored.value), event.type)];
      if (!evaluation) throw new Error(`${machine.id} refused ${event.type} without judging its gates.`);
      const outcome = stageOutcome(event.type, stored.value, evaluation, override);
      if (outcome.blockers.length === 0)
        throw new Error(`${machine.id} refused ${event.type} although nothing blocks it.`);
      const earliestAt = outcome.earliestAtMs === null ? null : new Date(outcome.earliestAtMs).toISOString();
      return { ok: false, failure: 'BLOCKED', blockers: outcome.blockers, earliestAt };
    }
    return { ok: true, snapshot: next, status: { phase: phaseOf(next.value), activeStates: [...after.leaves] } };
  };
}

/** The step the server runs: xstate's resolveState → transition, with one shared inert actor scope per machine. */
export const step: Step = stepBy(advanceFast);

/** The same step through xstate's documented serverless API alone; `step` is proven identical to it. */
export const stepByPublicApi: Step = stepBy(advanceByPublicApi);
