import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';
import { COUNTERS } from '../../oversight/counters.js';
import { rebuildOversight } from '../../oversight/rebuild.js';

const LEVELS = [0, 1, 2, 3, 4];
const counterColumns = (): TableColumnOptions[] => COUNTERS.map((name) => ({ name, type: 'integer', default: 0 }));
const levelColumns = (): TableColumnOptions[] =>
  LEVELS.map((d) => ({ name: `l${d}_id`, type: 'varchar', length: '36', isNullable: d > 0 }));

/**
 * Oversight: rollups of every subtree (and their deltas on PostgreSQL), refused stage events per day, each unit's
 * idleness and refusals. A database that already has units gets them computed from the stored snapshots.
 */
export class CreateOversight1764400000000 implements MigrationInterface {
  name = 'CreateOversight1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rollups',
        columns: [{ name: 'unit_id', type: 'varchar', length: '36', isPrimary: true }, ...counterColumns()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rollup_deltas',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'unit_id', type: 'varchar', length: '36' },
          { name: 'day', type: 'integer', isNullable: true },
          ...counterColumns(),
        ],
        indices: [{ name: 'ix_rollup_deltas_unit', columnNames: ['unit_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rollup_refusals',
        columns: [
          { name: 'unit_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'day', type: 'integer', isPrimary: true },
          { name: 'refused', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'unit_refusals',
        columns: [
          { name: 'unit_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'day', type: 'integer', isPrimary: true },
          { name: 'refused', type: 'integer' },
          ...levelColumns(),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'unit_activity',
        columns: [
          { name: 'unit_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'parent_id', type: 'varchar', length: '36', isNullable: true },
          ...levelColumns(),
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'registered', type: 'smallint' },
          { name: 'done', type: 'smallint' },
          { name: 'launched_at', type: 'bigint', isNullable: true },
          { name: 'parent_launched_at', type: 'bigint', isNullable: true },
          { name: 'last_event_at', type: 'bigint' },
          { name: 'idle_since', type: 'bigint' },
        ],
      }),
    );
    await rebuildOversight(queryRunner);
    for (const d of LEVELS) {
      await queryRunner.createIndex(
        'unit_refusals',
        new TableIndex({ name: `ix_unit_refusals_l${d}`, columnNames: [`l${d}_id`, 'day'] }),
      );
      await queryRunner.createIndex(
        'unit_activity',
        new TableIndex({ name: `ix_unit_activity_l${d}`, columnNames: [`l${d}_id`, 'done', 'idle_since', 'unit_id'] }),
      );
    }
    await queryRunner.createIndex(
      'unit_activity',
      new TableIndex({ name: 'ix_unit_activity_parent', columnNames: ['parent_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['unit_activity', 'unit_refusals', 'rollup_refusals', 'rollup_deltas', 'rollups'])
      await queryRunner.dropTable(table, true);
  }
}
