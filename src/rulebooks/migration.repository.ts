import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';

/** What a migration reads of the tree before it starts. */
@Injectable()
export class MigrationRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * The ids of the root and every unit under it, parents first (by depth, then id), in one statement: one sort of the
   * subtree instead of a sorted scan of it per page. The units themselves are read batch by batch, in each batch's
   * transaction.
   */
  async subtreeIdsInTreeOrder(rootId: string, rootDepth: number): Promise<string[]> {
    if (!Number.isInteger(rootDepth) || rootDepth < 0) throw new Error(`bad depth ${rootDepth}`);
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM units WHERE l${rootDepth}_id = ? ORDER BY depth, id`,
      [rootId],
    );
    return rows.map((r) => r.id);
  }
}
