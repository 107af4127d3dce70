import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * SQLite: the idleness of units whose last events are not yet folded into `unit_activity` (whose five level indexes
 * each hold the idle time). A command writes one row here instead of moving five index entries; a background fold
 * moves the rows in batches. Same columns as `unit_activity`, no index but the key. Unused on PostgreSQL.
 */
export class AddUnitActivityPending1764700000000 implements MigrationInterface {
  name = 'AddUnitActivityPending1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unit_activity_pending',
        columns: [
          { name: 'unit_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'parent_id', type: 'varchar', length: '36', isNullable: true },
          ...[0, 1, 2, 3, 4].map((d) => ({ name: `l${d}_id`, type: 'varchar', length: '36', isNullable: d > 0 })),
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('unit_activity_pending', true);
  }
}
