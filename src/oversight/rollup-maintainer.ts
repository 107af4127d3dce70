import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RULEBOOK_V1, localDate } from '../../machines/index.js';
import {
  CommandListeners,
  type AcceptedChange,
  type CommandListener,
  type Refusal,
} from '../commands/command-listeners.js';
import type { Tx } from '../database/db.js';
import type { UnitState } from '../history/event-store.repository.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import type { UnitRow } from '../tree/units.repository.js';
import { ActivityRepository, type Touch } from './activity.repository.js';
import { contributionOf, isZero, minus, zero } from './counters.js';
import { RollupsRepository } from './rollups.repository.js';

const DAY_MS = 86_400_000;

/** The campaign day (days since 1970-01-01) that the instant `ms` falls on in the campaign's zone. */
export function campaignDay(ms: number): number {
  return Date.parse(localDate(ms, RULEBOOK_V1.timeZone)) / DAY_MS;
}

/** The unit and its ancestors, root first: every subtree it belongs to. */
export function lineageOf(unit: Pick<UnitRow, 'ancestors'>): string[] {
  return unit.ancestors.filter((id): id is string => id !== null);
}

const phaseOf = (state: UnitState): string => {
  const value = state.snapshot.value;
  return typeof value === 'string' ? value : Object.keys(value as Record<string, unknown>)[0];
};

/**
 * Keeps the oversight tables exact in the transaction of every command that changes them: a new unit, an accepted
 * event whose unit's contribution to the rollups differs before and after (most evidence changes none), a refused
 * stage event. The unit's idleness (laggards) moves with every accepted event.
 */
@Injectable()
export class RollupMaintainer implements CommandListener, OnModuleInit {
  constructor(
    @Inject(CommandListeners) private readonly listeners: CommandListeners,
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
    @Inject(ActivityRepository) private readonly activity: ActivityRepository,
  ) {}

  onModuleInit(): void {
    this.listeners.register(this);
  }

  async created(tx: Tx, unit: UnitRow, state: UnitState): Promise<void> {
    const own = contributionOf(state.snapshot);
    await this.rollups.insertOwn(tx, unit.id, own);
    await this.rollups.apply(
      tx,
      lineageOf(unit).filter((id) => id !== unit.id),
      own,
      null,
    );
    const phase = phaseOf(state);
    const parentLaunchedAt = unit.parentId ? await this.activity.launchedAt(tx, unit.parentId) : null;
    await this.activity.insert(tx, {
      unitId: unit.id,
      parentId: unit.parentId,
      ancestors: unit.ancestors,
      kind: unit.kind,
      registered: phase === 'registered',
      done: phase === 'stage1Complete',
      launchedAt: state.snapshot.context.launchedAt,
      // the parent's launch once it came before the unit's last event (here: its creation)
      parentLaunchedAt: parentLaunchedAt !== null && parentLaunchedAt <= state.updatedAt ? parentLaunchedAt : null,
      lastEventAt: state.updatedAt,
    });
  }

  async accepted(tx: Tx, change: AcceptedChange): Promise<void> {
    await this.acceptedAll(tx, [change]);
  }

  /** The rollups moved unit by unit; the idleness rows touched together (see ActivityRepository.touchAll). */
  async acceptedAll(tx: Tx, changes: readonly AcceptedChange[]): Promise<void> {
    const touches: Touch[] = [];
    const launches: { unitId: string; at: number }[] = [];
    for (const change of changes) {
      const diff = minus(contributionOf(change.after.snapshot), contributionOf(change.before.snapshot));
      if (!isZero(diff)) await this.rollups.apply(tx, lineageOf(change.unit), diff, null);
      const before = phaseOf(change.before);
      const after = phaseOf(change.after);
      const launchedAt = change.after.snapshot.context.launchedAt;
      // the parent's launch matters while the unit is registered, and is recorded when it leaves that phase
      const registeredAround = before === 'registered' || after === 'registered';
      touches.push({
        unitId: change.unit.id,
        parentId: registeredAround ? change.unit.parentId : null,
        at: change.event.at,
        registered: after === 'registered',
        done: after === 'stage1Complete',
        launchedAt,
        samePhase: before === after && launchedAt === change.before.snapshot.context.launchedAt,
      });
      // a unit on the last level has no children to move
      if (before === 'registered' && after !== 'registered' && change.unit.depth < MAX_TREE_DEPTH - 1)
        launches.push({ unitId: change.unit.id, at: launchedAt ?? change.event.at });
    }
    await this.activity.touchAll(tx, touches);
    for (const launch of launches) await this.activity.parentLaunched(tx, launch.unitId, launch.at);
  }

  async refused(tx: Tx, refusal: Refusal): Promise<void> {
    if (!refusal.stage) return;
    const day = campaignDay(refusal.at);
    await this.activity.addRefusal(tx, refusal.unit.id, refusal.unit.ancestors, day);
    await this.rollups.apply(tx, lineageOf(refusal.unit), { ...zero(), refused_stage_events: 1 }, day);
  }
}
