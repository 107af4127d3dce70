import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const LEVELS = [0, 1, 2, 3, 4];
const columns = (d: number) => [`l${d}_id`, 'done', 'kind', 'idle_since', 'unit_id'];

/**
 * The laggards' level indexes take the unit's kind after `done`: `(l{d}_id, done, kind, idle_since, unit_id)`. One
 * kind's laggards of a subtree are then one range of the index, in page order. Before, a kind filter was applied to
 * the rows read in idleness order, and a kind without laggards in a large subtree read the whole subtree (58 ms at
 * 200,000 units on SQLite, in one synchronous statement; ~20 times that for the whole country).
 *
 * PostgreSQL builds each new index CONCURRENTLY, outside a transaction: the instances still serving during a rolling
 * deploy keep writing `unit_activity` while it builds (a plain CREATE INDEX would hold their commands for the whole
 * build). A try that failed half-way may have left an invalid index of the new name: it is dropped and built again.
 * The old index goes last; the old version's laggards stay correct without it, only slower, until it is replaced.
 * SQLite rebuilds them inside the migrations' one transaction (one instance: nothing else is writing).
 */
export class LaggardsIndexByKind1764800000000 implements MigrationInterface {
  name = 'LaggardsIndexByKind1764800000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    for (const d of LEVELS) {
      if (postgres) {
        await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "ix_unit_activity_l${d}_kind"`);
        await queryRunner.query(
          `CREATE INDEX CONCURRENTLY "ix_unit_activity_l${d}_kind" ON "unit_activity" (${columns(d)
            .map((c) => `"${c}"`)
            .join(', ')})`,
        );
        await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "ix_unit_activity_l${d}"`);
      } else {
        await queryRunner.createIndex(
          'unit_activity',
          new TableIndex({ name: `ix_unit_activity_l${d}_kind`, columnNames: columns(d) }),
        );
        await queryRunner.dropIndex('unit_activity', `ix_unit_activity_l${d}`);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const d of LEVELS) {
      await queryRunner.createIndex(
        'unit_activity',
        new TableIndex({ name: `ix_unit_activity_l${d}`, columnNames: [`l${d}_id`, 'done', 'idle_since', 'unit_id'] }),
      );
      await queryRunner.dropIndex('unit_activity', `ix_unit_activity_l${d}_kind`);
    }
  }
}
