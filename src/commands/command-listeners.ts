import { Injectable } from '@nestjs/common';
import type { CampaignEventType } from '../../machines/index.js';
import type { Tx } from '../database/db.js';
import type { EventRow, UnitState } from '../history/event-store.repository.js';
import type { UnitRow } from '../tree/units.repository.js';

/** A unit command that was accepted: the unit (with its ancestors), its state before and after, the event. */
export interface AcceptedChange {
  unit: UnitRow;
  before: UnitState;
  after: UnitState;
  event: EventRow;
}

/** A unit command that was refused (and logged as an attempt). */
export interface Refusal {
  unit: UnitRow;
  type: CampaignEventType;
  /** a stage event (LAUNCH, COMPLETE_*, REQUEST_LOOKBACK, CONCLUDE_LOOKBACK) */
  stage: boolean;
  errorCode: string;
  at: number;
}

/**
 * Work that must happen in the same transaction as a command (read models kept exact, e.g. subtree rollups). The
 * command path does not know who listens: features register here, so the arrows point from them to it.
 */
export interface CommandListener {
  created?(tx: Tx, unit: UnitRow, state: UnitState): Promise<void>;
  accepted?(tx: Tx, change: AcceptedChange): Promise<void>;
  /** Several accepted changes of distinct units at once (a migration's batch); without it, `accepted` each. */
  acceptedAll?(tx: Tx, changes: readonly AcceptedChange[]): Promise<void>;
  refused?(tx: Tx, refusal: Refusal): Promise<void>;
}

@Injectable()
export class CommandListeners {
  private readonly listeners: CommandListener[] = [];

  register(listener: CommandListener): void {
    this.listeners.push(listener);
  }

  async created(tx: Tx, unit: UnitRow, state: UnitState): Promise<void> {
    for (const l of this.listeners) await l.created?.(tx, unit, state);
  }

  async accepted(tx: Tx, change: AcceptedChange): Promise<void> {
    for (const l of this.listeners) await l.accepted?.(tx, change);
  }

  /** Accepted changes of distinct units, told in one call to a listener that takes them together. */
  async acceptedAll(tx: Tx, changes: readonly AcceptedChange[]): Promise<void> {
    for (const l of this.listeners)
      if (l.acceptedAll) await l.acceptedAll(tx, changes);
      else if (l.accepted) for (const change of changes) await l.accepted(tx, change);
  }

  async refused(tx: Tx, refusal: Refusal): Promise<void> {
    for (const l of this.listeners) await l.refused?.(tx, refusal);
  }
}
