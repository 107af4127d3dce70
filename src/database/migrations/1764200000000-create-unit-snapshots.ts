import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { initialSnapshot, RULEBOOK_V1, type UnitKind } from '../../../machines/index.js';

/**
 * Stored snapshots of each unit's statechart every few events (and its first one, at seq 0): `unitAsOf` and a page
 * of `replay` start from the nearest one instead of folding the whole history. Derived data, checked by
 * verification against the fold. Also an index to find a unit's last event at or before a moment.
 */
export class CreateUnitSnapshots1764200000000 implements MigrationInterface {
  name = 'CreateUnitSnapshots1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unit_snapshots',
        columns: [
          { name: 'unit_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'at', type: 'bigint' },
          { name: 'state_value', type: 'text' },
          { name: 'context', type: 'text' },
          { name: 'rulebook_version', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'unit_events',
      new TableIndex({ name: 'ix_unit_events_unit_at', columnNames: ['unit_id', 'at'] }),
    );
    // units of an earlier database started on rulebook 1 (the only one there was): give each its first snapshot
    const units: { id: string; kind: string; leader_count: number; created_at: number }[] = await queryRunner.query(
      'SELECT id, kind, leader_count, created_at FROM units',
    );
    for (const unit of units) {
      const snapshot = initialSnapshot(
        { kind: unit.kind as UnitKind, leaderCount: Number(unit.leader_count) },
        RULEBOOK_V1,
      );
      const insert =
        'INSERT INTO unit_snapshots (unit_id, seq, at, state_value, context, rulebook_version) VALUES ' +
        (queryRunner.connection.options.type === 'postgres' ? '($1, 0, $2, $3, $4, 1)' : '(?, 0, ?, ?, ?, 1)');
      await queryRunner.query(insert, [
        unit.id,
        Number(unit.created_at),
        JSON.stringify(snapshot.value),
        JSON.stringify(snapshot.context),
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('unit_events', 'ix_unit_events_unit_at');
    await queryRunner.dropTable('unit_snapshots', true);
  }
}
