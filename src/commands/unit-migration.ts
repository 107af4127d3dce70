import { Inject, Injectable } from '@nestjs/common';
import { RULEBOOK_MIGRATED, statusOf, type MigrationGap } from '../../machines/index.js';
import type { Principal } from '../auth/principal.js';
import type { Tx } from '../database/db.js';
import { EventStoreRepository } from '../history/event-store.repository.js';
import { migrationOfEvents, type MigrationPayload } from '../history/fold.js';
import { LostRace, nextLink, type Link } from '../history/history.service.js';
import { RulebookStore, UnknownRulebook } from '../rulebooks/rulebook-store.js';
import type { UnitRow } from '../tree/units.repository.js';
import { CommandListeners, type AcceptedChange } from './command-listeners.js';
import { UnitMigrationRepository } from './unit-migration.repository.js';

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
 * Units moved to a newer rulebook inside the caller's transaction: their snapshots locked, each migration computed
 * from the unit's own events, and (unless a dry run) a RULEBOOK_MIGRATED event chained with the gaps, the snapshot
 * moved by compare-and-set and the listeners told — the history's own links (`nextLink`), written a batch at a time.
 * A dry run computes exactly the same and writes nothing.
 */
@Injectable()
export class UnitMigration {
  constructor(
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(UnitMigrationRepository) private readonly migrations: UnitMigrationRepository,
    @Inject(CommandListeners) private readonly listeners: CommandListeners,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  /**
   * A batch of units in the caller's transaction, in the order given: their snapshots locked and their histories
   * read in one statement each, every unit's migration computed, then (a real run) every link written and every
   * change told to the listeners. A unit that moved meanwhile (a lost compare-and-set) fails the whole batch.
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
    const states = await this.store.loadStatesForUpdate(
      tx,
      units.map((u) => u.id),
    );
    const pending = units.filter((u) => (states.get(u.id)?.rulebookVersion ?? toVersion) < toVersion).map((u) => u.id);
    const histories = await this.migrations.eventsOfUnits(tx, pending);
    const rulebooks = await this.rulebooks.lookupFor([
      toVersion,
      ...[...states.values()].map((s) => s.rulebookVersion),
    ]);
    const out: UnitMigrationResult[] = [];
    const changes: AcceptedChange[] = [];
    const links: Link[] = [];
    for (const unit of units) {
      const state = states.get(unit.id);
      if (!state) throw new Error(`unit ${unit.id} has no stored snapshot`);
      const phase = statusOf(state.snapshot).phase;
      const base = { unitId: unit.id, name: unit.name, kind: unit.kind, phase, fromVersion: state.rulebookVersion };
      if (state.rulebookVersion >= toVersion) {
        out.push({ ...base, outcome: 'ALREADY_ON_VERSION', gaps: [] });
        continue;
      }
      const events = histories.get(unit.id) ?? [];
      // a unit's events never go back in time
      const at = Math.max(now, state.updatedAt);
      if (phase === 'stage1Complete') {
        // reported, not migrated: what it would lack, read under the new rules without moving it
        const probe = migrationOfEvents({ ...state.snapshot, value: 'lookBack' }, events, toVersion, at, rulebooks);
        out.push({ ...base, outcome: 'STAGE1_COMPLETE', gaps: probe.gaps });
        continue;
      }
      const migration = migrationOfEvents(state.snapshot, events, toVersion, at, rulebooks);
      out.push({ ...base, outcome: dryRun ? 'WOULD_MIGRATE' : 'MIGRATED', gaps: migration.gaps });
      if (dryRun) continue;
      const payload: MigrationPayload = { fromVersion: state.rulebookVersion, toVersion, gaps: migration.gaps };
      const link = nextLink(
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
      links.push(link);
      changes.push({ unit, before: state, after: link.state, event: link.event });
    }
    if (links.length === 0) return out;
    const lost = await this.migrations.writeLinks(tx, links);
    if (lost.length) throw new LostRace((await this.store.versionOf(tx, lost[0])) ?? states.get(lost[0])!.version);
    await this.listeners.acceptedAll(tx, changes);
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
