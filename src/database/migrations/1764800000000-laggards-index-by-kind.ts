import { MigrationInterface, QueryRunner } from 'typeorm';
import { replaceIndexes } from './replace-indexes.js';

const LEVELS = [0, 1, 2, 3, 4];

/**
 * The laggards' level indexes take the unit's kind after `done`: `(l{d}_id, done, kind, idle_since, unit_id)`. One
 * kind's laggards of a subtree are then one range of the index, in page order. Before, a kind filter was applied to
 * the rows read in idleness order, and a kind without laggards in a large subtree read the whole subtree (58 ms at
 * 200,000 units on SQLite, in one synchronous statement; ~20 times that for the whole country).
 */
export class LaggardsIndexByKind1764800000000 implements MigrationInterface {
  name = 'LaggardsIndexByKind1764800000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexes(
      queryRunner,
      'unit_activity',
      LEVELS.map((d) => ({
        old: `ix_unit_activity_l${d}`,
        name: `ix_unit_activity_l${d}_kind`,
        columns: [`l${d}_id`, 'done', 'kind', 'idle_since', 'unit_id'],
      })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexes(
      queryRunner,
      'unit_activity',
      LEVELS.map((d) => ({
        old: `ix_unit_activity_l${d}_kind`,
        name: `ix_unit_activity_l${d}`,
        columns: [`l${d}_id`, 'done', 'idle_since', 'unit_id'],
      })),
    );
  }
}
