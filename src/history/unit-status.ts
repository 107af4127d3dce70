import { statusOf } from '../../machines/index.js';
import type { UnitStatus } from './unit-status.model.js';
import type { UnitState } from './event-store.repository.js';

/** The API's status of a unit, read off its stored snapshot. */
export function toStatus(state: UnitState): UnitStatus {
  const view = statusOf(state.snapshot);
  return {
    unitId: state.unitId,
    phase: view.phase,
    activeStates: view.activeStates,
    version: state.version,
    rulebookVersion: state.rulebookVersion,
  };
}
