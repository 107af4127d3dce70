import type { QueryRunner } from 'typeorm';
import { TableIndex } from 'typeorm';

export interface IndexReplacement {
  /** the index this one replaces (dropped once the new one is built) */
  old: string;
  name: string;
  columns: string[];
}

/**
 * Builds each new index, then drops the one it replaces. PostgreSQL builds CONCURRENTLY, outside a transaction (the
 * migration says `transaction = false`): instances of the old version still serving during a rolling deploy keep
 * writing the table while it builds; a plain CREATE INDEX would hold their commands for the whole build. A try that
 * stopped half-way may have left an invalid index of the new name: it is dropped and built again. The old version's
 * statements stay correct without the old index, only slower, until it is replaced. SQLite builds inside the
 * migrations' one transaction (one instance: nothing else writes).
 */
export async function replaceIndexes(queryRunner: QueryRunner, table: string, replacements: IndexReplacement[]) {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  for (const { old, name, columns } of replacements) {
    if (postgres) {
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
      await queryRunner.query(
        `CREATE INDEX CONCURRENTLY "${name}" ON "${table}" (${columns.map((c) => `"${c}"`).join(', ')})`,
      );
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${old}"`);
    } else {
      await queryRunner.createIndex(table, new TableIndex({ name, columnNames: columns }));
      await queryRunner.dropIndex(table, old);
    }
  }
}
