import { canonicalJson } from '../common/canonical-json.js';
import type { EventRow, UnitState } from './event-store.repository.js';
import { eventHash, GENESIS_HASH } from './hash-chain.js';
import { foldEvent, genesisSnapshot, type UnitProfileRow } from './fold.js';

export const VERIFICATION_PROBLEMS = ['HASH_MISMATCH', 'SEQ_GAP', 'REPLAY_DIVERGES', 'SNAPSHOT_MISMATCH', 'CHECKPOINT_MISMATCH'] as const;
export type VerificationProblem = (typeof VERIFICATION_PROBLEMS)[number];

export interface VerificationResult {
  ok: boolean;
  checkedEvents: number;
  firstBrokenSeq: number | null;
  problem: VerificationProblem | null;
  detail: string | null;
}

export interface CheckpointHead {
  checkpointId: number;
  seq: number;
  hash: string;
  /** false when the checkpoint itself fails its signature or chain check */
  valid: boolean;
}

export interface UnitHistory {
  unitId: string;
  profile: UnitProfileRow;
  /** the unit's events in seq order, as stored */
  events: EventRow[];
  state: Pick<UnitState, 'snapshot' | 'version' | 'headHash'> | null;
  checkpoint: CheckpointHead | null;
}

const broken = (checkedEvents: number, problem: VerificationProblem, firstBrokenSeq: number | null, detail: string): VerificationResult => ({
  ok: false,
  checkedEvents,
  firstBrokenSeq,
  problem,
  detail,
});

/**
 * Judges one unit's own events (DOMAIN.md rule 4): seq contiguous from 1; each event's prevHash the previous hash
 * and its hash recomputed from its fields; the fold of the events through the statechart legal at every step and
 * equal to the stored snapshot; the newest checkpoint's head for the unit still in the chain. First problem wins.
 */
export function verifyUnitHistory(history: UnitHistory): VerificationResult {
  let snapshot = genesisSnapshot(history.profile);
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const [i, event] of history.events.entries()) {
    const expectedSeq = i + 1;
    if (event.seq !== expectedSeq) return broken(checked, 'SEQ_GAP', expectedSeq, `event ${expectedSeq} is missing (next stored is ${event.seq})`);
    if (event.prevHash !== prevHash) return broken(checked, 'HASH_MISMATCH', event.seq, `prevHash does not match the hash of event ${event.seq - 1}`);
    const { hash, ...fields } = event;
    if (eventHash(fields) !== hash) return broken(checked, 'HASH_MISMATCH', event.seq, 'the stored hash does not match the event\'s fields');
    if (event.rulebookVersion !== snapshot.context.rulebookVersion) {
      return broken(checked, 'REPLAY_DIVERGES', event.seq, `event says rulebook v${event.rulebookVersion}, the unit was on v${snapshot.context.rulebookVersion}`);
    }
    const result = foldEvent(snapshot, event);
    if (!result.ok) {
      const why = result.failure === 'BLOCKED' ? result.blockers.map((b) => b.code).join(', ') : result.message;
      return broken(checked, 'REPLAY_DIVERGES', event.seq, `${event.type} would have been refused: ${why}`);
    }
    snapshot = result.snapshot;
    prevHash = hash;
    checked++;
  }
  const count = history.events.length;
  const state = history.state;
  if (state && state.version > count) return broken(checked, 'SEQ_GAP', count + 1, `the unit is at version ${state.version} but only ${count} events are stored`);
  const checkpoint = history.checkpoint;
  if (checkpoint) {
    if (!checkpoint.valid) return broken(checked, 'CHECKPOINT_MISMATCH', null, `checkpoint ${checkpoint.checkpointId} fails its signature or chain`);
    if (checkpoint.seq > count || history.events[checkpoint.seq - 1].hash !== checkpoint.hash) {
      return broken(checked, 'CHECKPOINT_MISMATCH', checkpoint.seq, `checkpoint ${checkpoint.checkpointId} recorded event ${checkpoint.seq} with another hash, or it is gone`);
    }
  }
  if (!state) return broken(checked, 'SNAPSHOT_MISMATCH', null, 'the unit has no stored snapshot');
  if (state.version !== count || state.headHash !== prevHash) {
    return broken(checked, 'SNAPSHOT_MISMATCH', null, `the snapshot says version ${state.version} / head ${state.headHash.slice(0, 12)}…, the history ${count} / ${prevHash.slice(0, 12)}…`);
  }
  if (canonicalJson(state.snapshot) !== canonicalJson(snapshot)) return broken(checked, 'SNAPSHOT_MISMATCH', null, 'the stored snapshot differs from the fold of the events');
  return { ok: true, checkedEvents: checked, firstBrokenSeq: null, problem: null, detail: null };
}
