import { Inject, Injectable } from '@nestjs/common';
import { RULEBOOK_MIGRATED, statusOf, type MigrationGap } from '../../machines/index.js';
import type { Principal } from '../auth/principal.js';
import type { Tx } from '../database/db.js';
import { EventStoreRepository, type EventRow, type UnitState } from '../history/event-store.repository.js';
import { migrationOf, type MigrationPayload } from '../history/fold.js';
import { HistoryService } from '../history/history.service.js';
import { RulebookStore, UnknownRulebook, type RulebookLookup } from '../rulebooks/rulebook-store.js';
import type { UnitRow } from '../tree/units.repository.js';
import { CommandListeners } from './command-listeners.js';

/** What happened to one unit: moved (or, in a dry run, would be), already on the version, or done with the stage. */
export const MIGRATION_OUTCOMES = ['MIGRATED', 'WOULD_MIGRATE', 'ALREADY_ON_VERSION', 'STAGE1_COMPLETE'] as const;
export type MigrationOutcome = (typeof MIGRATION_OUTCOMES)[number];

export interface UnitMigrationResult {
  unitId: string;
  name: string;
  kind: string;
  phase: string;
  fromVersion: number;
  outcome: MigrationOutcome;
  /** what the unit's evidence lacks under the new rulebook (for a completed unit too: reported, not enforced) */
  gaps: MigrationGap[];
}

/**
 * One unit moved to a newer rulebook inside the caller's transaction: its snapshot locked, the migration computed
 * from its own events, and (unless a dry run) a RULEBOOK_MIGRATED event appended with the gaps, the snapshot moved
 * by compare-and-set and the listeners told — the same history path as every other command. A dry run computes
 * exactly the same and writes nothing.
 */
@Injectable()
export class UnitMigration {
  constructor(
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(CommandListeners) private readonly listeners: CommandListeners,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  /**
   * A batch of units in the caller's transaction: their snapshots locked and their histories read in one statement
   * each, then every unit as `migrate` would, in the order given.
   */
  async migrateBatch(
    tx: Tx,
    principal: Principal,
    units: readonly UnitRow[],
    toVersion: number,
    dryRun: boolean,
    reason: string | null,
    now: number,
  ): Promise<UnitMigrationResult[]> {
    const ids = units.map((u) => u.id);
    const states = await this.store.loadStatesForUpdate(tx, ids);
    const pending = units.filter((u) => (states.get(u.id)?.rulebookVersion ?? toVersion) < toVersion).map((u) => u.id);
    const histories = await this.store.eventsOfUnits(tx, pending);
    const rulebooks = await this.rulebooks.lookupFor([
      toVersion,
      ...[...states.values()].map((s) => s.rulebookVersion),
    ]);
    const out: UnitMigrationResult[] = [];
    for (const unit of units) {
      const state = states.get(unit.id);
      if (!state) throw new Error(`unit ${unit.id} has no stored snapshot`);
      out.push(
        await this.migrateState(
          tx,
          principal,
          unit,
          state,
          histories.get(unit.id) ?? [],
          rulebooks,
          toVersion,
          dryRun,
          reason,
          now,
        ),
      );
    }
    return out;
  }

  /** One unit: its snapshot locked and its history read, then migrated. */
  async migrate(
    tx: Tx,
    principal: Principal,
    unit: UnitRow,
    toVersion: number,
    dryRun: boolean,
    reason: string | null,
    now: number,
  ): Promise<UnitMigrationResult> {
    return (await this.migrateBatch(tx, principal, [unit], toVersion, dryRun, reason, now))[0];
  }

  private async migrateState(
    tx: Tx,
    principal: Principal,
    unit: UnitRow,
    state: UnitState,
    events: readonly EventRow[],
    rulebooks: RulebookLookup,
    toVersion: number,
    dryRun: boolean,
    reason: string | null,
    now: number,
  ): Promise<UnitMigrationResult> {
    const phase = statusOf(state.snapshot).phase;
    const base = { unitId: unit.id, name: unit.name, kind: unit.kind, phase, fromVersion: state.rulebookVersion };
    if (state.rulebookVersion >= toVersion) return { ...base, outcome: 'ALREADY_ON_VERSION', gaps: [] };
    // a unit's events never go back in time
    const at = Math.max(now, state.updatedAt);
    if (phase === 'stage1Complete') {
      // reported, not migrated: what it would lack, read under the new rules without moving it
      const probe = migrationOf({ ...state.snapshot, value: 'lookBack' }, events, toVersion, at, rulebooks);
      return { ...base, outcome: 'STAGE1_COMPLETE', gaps: probe.gaps };
    }
    const migration = migrationOf(state.snapshot, events, toVersion, at, rulebooks);
    if (dryRun) return { ...base, outcome: 'WOULD_MIGRATE', gaps: migration.gaps };
    const payload: MigrationPayload = { fromVersion: state.rulebookVersion, toVersion, gaps: migration.gaps };
    const appended = await this.history.append(
      tx,
      state,
      {
        type: RULEBOOK_MIGRATED,
        payload: payload as unknown as Record<string, unknown>,
        actor: principal.sub,
        role: principal.role,
        reason,
        at,
        override: false,
        idempotencyKey: null,
      },
      migration.snapshot,
    );
    await this.listeners.accepted(tx, { unit, before: state, after: appended.state, event: appended.event });
    return { ...base, outcome: 'MIGRATED', gaps: migration.gaps };
  }

  /** The rulebook a version names, or why it cannot be migrated to. */
  async targetProblem(toVersion: number): Promise<string | null> {
    try {
      await this.rulebooks.rulebook(toVersion);
      return null;
    } catch (error) {
      if (error instanceof UnknownRulebook) return error.message;
      throw error;
    }
  }
}
