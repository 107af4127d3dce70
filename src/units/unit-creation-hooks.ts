import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/db.js';
import type { UnitRow } from './units.repository.js';

/**
 * Work that must happen in the same transaction as a unit's insert (the workflow stores the unit's first snapshot
 * here). The units module does not depend on the workflow; the workflow registers itself.
 */
@Injectable()
export class UnitCreationHooks {
  private readonly hooks: ((tx: Tx, unit: UnitRow) => Promise<void>)[] = [];

  register(hook: (tx: Tx, unit: UnitRow) => Promise<void>): void {
    this.hooks.push(hook);
  }

  async afterInsert(tx: Tx, unit: UnitRow): Promise<void> {
    for (const hook of this.hooks) await hook(tx, unit);
  }
}
