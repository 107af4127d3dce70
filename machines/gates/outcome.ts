/** A stage event's refusal, whole: the structural condition of the state (every region met) and the gate set's evaluation. */
import type { StageEventType } from '../events.js';
import { activeRegionsOf } from '../status.js';
import { blockingUnder, type Blocker, type Evaluation } from './evaluator.js';
import { regionsNotMetBlockers } from './stage.js';

export interface StageOutcome {
  /** every blocker, the state's first; empty: the event is allowed */
  blockers: Blocker[];
  /** when only time stands in the way: the moment it no longer does */
  earliestAtMs: number | null;
}

export function stageOutcome(
  type: StageEventType,
  value: unknown,
  evaluation: Evaluation,
  override: boolean,
): StageOutcome {
  const structural = type === 'REQUEST_LOOKBACK' ? regionsNotMetBlockers(activeRegionsOf(value)) : [];
  return {
    blockers: [...structural, ...blockingUnder(evaluation, override)],
    earliestAtMs: override || structural.length > 0 ? null : evaluation.earliestAtMs,
  };
}
