import { canonicalJson } from '../common/canonical-json.js';
import type { Cooperative } from '../common/cooperative.js';
import { RULEBOOK_MIGRATED, type StoredSnapshot } from '../../machines/index.js';
import type { EventRow, SnapshotRow, UnitState } from './event-store.repository.js';
import { eventHash, genesisHash } from './hash-chain.js';
import type { RulebookLookup } from '../rulebooks/rulebook-store.js';
import { foldEvent, genesisSnapshot, type UnitProfileRow } from './fold.js';

export const VERIFICATION_PROBLEMS = [
  'HASH_MISMATCH',
  'SEQ_GAP',
  'TIME_WENT_BACK',
  'REPLAY_DIVERGES',
  'SNAPSHOT_MISMATCH',
  'CHECKPOINT_MISMATCH',
] as const;
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
  /** the unit's stored snapshots in seq order: seq 0 (its start, with its starting rulebook) and every few events */
  snapshots: SnapshotRow[];
  state: Pick<UnitState, 'snapshot' | 'version' | 'headHash'> | null;
  checkpoint: CheckpointHead | null;
}

const broken = (
  checkedEvents: number,
  problem: VerificationProblem,
  firstBrokenSeq: number | null,
  detail: string,
): VerificationResult => ({
  ok: false,
  checkedEvents,
  firstBrokenSeq,
  problem,
  detail,
});

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Judges one unit's own events: the chain starts at the hash of the unit's profile and starting rulebook; seq is
 * contiguous from 1; each event's prevHash is the previous hash and its hash is recomputed from its fields; the fold
 * of the events through the statechart is legal at every step, equal to every stored snapshot on the way and to the
 * unit's snapshot at the end; the newest checkpoint's head for the unit is still in the chain. First problem wins.
 * Long histories give the event loop back through `cooperative` (other requests are not held up).
 */
export async function verifyUnitHistory(
  history: UnitHistory,
  rulebooks: RulebookLookup,
  cooperative?: Cooperative,
): Promise<VerificationResult> {
  const progress = { checked: 0, seq: 0 };
  try {
    return await verify(history, rulebooks, progress, cooperative);
  } catch (error) {
    // a stored value the rules cannot even read (an unknown kind or rulebook, a malformed payload) is a broken history
    return broken(
      progress.checked,
      'REPLAY_DIVERGES',
      progress.seq,
      `the history cannot be replayed: ${(error as Error).message}`,
    );
  }
}

async function verify(
  history: UnitHistory,
  rulebooks: RulebookLookup,
  progress: { checked: number; seq: number },
  cooperative?: Cooperative,
): Promise<VerificationResult> {
  const genesis = history.snapshots[0];
  if (!genesis || genesis.seq !== 0)
    return broken(
      0,
      'SNAPSHOT_MISMATCH',
      null,
      'the unit has no first snapshot (seq 0): its starting rulebook is unknown',
    );
  let prevHash = genesisHash({
    unitId: history.unitId,
    kind: history.profile.kind,
    leaderCount: history.profile.leaderCount,
    rulebookVersion: genesis.rulebookVersion,
  });
  // the chain's first link before anything built from the profile: an edited unit row is blamed on the unit row
  const first = history.events[0];
  if (first && first.seq === 1 && first.prevHash !== prevHash) {
    return broken(
      0,
      'HASH_MISMATCH',
      1,
      "prevHash does not match the unit's genesis (its kind, leader count and starting rulebook)",
    );
  }
  let snapshot: StoredSnapshot;
  try {
    snapshot = genesisSnapshot(history.profile, genesis.rulebookVersion, rulebooks);
  } catch (error) {
    return broken(0, 'SNAPSHOT_MISMATCH', 0, `the unit's first snapshot cannot be built: ${(error as Error).message}`);
  }
  if (!same(genesis.snapshot, snapshot))
    return broken(0, 'SNAPSHOT_MISMATCH', 0, 'the stored first snapshot is not the one the unit starts from');
  const stored = new Map(history.snapshots.map((s) => [s.seq, s]));
  let previousAt = genesis.at;
  let checked = 0;
  for (const [i, event] of history.events.entries()) {
    await cooperative?.pause();
    const expectedSeq = i + 1;
    progress.seq = expectedSeq;
    if (event.seq !== expectedSeq)
      return broken(checked, 'SEQ_GAP', expectedSeq, `event ${expectedSeq} is missing (next stored is ${event.seq})`);
    if (event.prevHash !== prevHash) {
      const what =
        event.seq === 1
          ? "the unit's genesis (its kind, leader count and starting rulebook)"
          : `the hash of event ${event.seq - 1}`;
      return broken(checked, 'HASH_MISMATCH', event.seq, `prevHash does not match ${what}`);
    }
    const { hash, ...fields } = event;
    if (eventHash(fields) !== hash)
      return broken(checked, 'HASH_MISMATCH', event.seq, "the stored hash does not match the event's fields");
    if (event.at < previousAt) {
      const before = event.seq === 1 ? "the unit's creation" : `event ${event.seq - 1}`;
      return broken(
        checked,
        'TIME_WENT_BACK',
        event.seq,
        `event ${event.seq} is stamped ${new Date(event.at).toISOString()}, before ${before} (${new Date(previousAt).toISOString()})`,
      );
    }
    previousAt = event.at;
    if (event.rulebookVersion !== snapshot.context.rulebookVersion) {
      return broken(
        checked,
        'REPLAY_DIVERGES',
        event.seq,
        `event says rulebook v${event.rulebookVersion}, the unit was on v${snapshot.context.rulebookVersion}`,
      );
    }
    const result = foldEvent(
      snapshot,
      event,
      rulebooks,
      event.type === RULEBOOK_MIGRATED ? history.events.slice(0, i) : undefined,
    );
    if (!result.ok) {
      const why = result.failure === 'BLOCKED' ? result.blockers.map((b) => b.code).join(', ') : result.message;
      return broken(checked, 'REPLAY_DIVERGES', event.seq, `${event.type} would have been refused: ${why}`);
    }
    snapshot = result.snapshot;
    prevHash = hash;
    checked++;
    progress.checked = checked;
    const kept = stored.get(event.seq);
    if (kept && (!same(kept.snapshot, snapshot) || kept.at !== event.at)) {
      return broken(
        checked,
        'SNAPSHOT_MISMATCH',
        event.seq,
        `the stored snapshot after event ${event.seq} differs from the fold of the events`,
      );
    }
  }
  const count = history.events.length;
  const beyond = history.snapshots.find((s) => s.seq > count);
  if (beyond)
    return broken(
      checked,
      'SEQ_GAP',
      count + 1,
      `a snapshot after event ${beyond.seq} is stored but only ${count} events are`,
    );
  const state = history.state;
  if (state && state.version > count)
    return broken(
      checked,
      'SEQ_GAP',
      count + 1,
      `the unit is at version ${state.version} but only ${count} events are stored`,
    );
  const checkpoint = history.checkpoint;
  if (checkpoint) {
    if (!checkpoint.valid)
      return broken(
        checked,
        'CHECKPOINT_MISMATCH',
        null,
        `checkpoint ${checkpoint.checkpointId} fails its signature or chain`,
      );
    if (checkpoint.seq > count || history.events[checkpoint.seq - 1].hash !== checkpoint.hash) {
      return broken(
        checked,
        'CHECKPOINT_MISMATCH',
        checkpoint.seq,
        `checkpoint ${checkpoint.checkpointId} recorded event ${checkpoint.seq} with another hash, or it is gone`,
      );
    }
  }
  if (!state) return broken(checked, 'SNAPSHOT_MISMATCH', null, 'the unit has no stored snapshot');
  if (state.version !== count || state.headHash !== prevHash) {
    return broken(
      checked,
      'SNAPSHOT_MISMATCH',
      null,
      `the snapshot says version ${state.version} / head ${state.headHash.slice(0, 12)}…, the history ${count} / ${prevHash.slice(0, 12)}…`,
    );
  }
  if (!same(state.snapshot, snapshot))
    return broken(checked, 'SNAPSHOT_MISMATCH', null, 'the stored snapshot differs from the fold of the events');
  return { ok: true, checkedEvents: checked, firstBrokenSeq: null, problem: null, detail: null };
}
