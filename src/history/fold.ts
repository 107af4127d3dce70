import { builtInRulebook, initialSnapshot, step, type StepResult, type StoredSnapshot, type UnitKind } from '../../machines/index.js';
import type { EventRow } from './event-store.repository.js';

export interface UnitProfileRow {
  kind: string;
  leaderCount: number;
}

/** The snapshot a unit starts from under the rulebook it started on: what createUnit stored at version 0. */
export function genesisSnapshot(profile: UnitProfileRow, rulebookVersion: number): StoredSnapshot {
  return initialSnapshot({ kind: profile.kind as UnitKind, leaderCount: profile.leaderCount }, builtInRulebook(rulebookVersion));
}

/** One stored event through the statechart, exactly as the server ran it: same payload, time and override. */
export function foldEvent(snapshot: StoredSnapshot, event: EventRow): StepResult {
  return step(snapshot, { ...event.payload, type: event.type, at: new Date(event.at).toISOString() } as never, builtInRulebook(snapshot.context.rulebookVersion), {
    override: event.override,
  });
}
