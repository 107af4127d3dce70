import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** The unit tree. Written with TypeORM's schema API so that the same migration runs on SQLite and PostgreSQL. */
export class CreateUnits1764115200000 implements MigrationInterface {
  name = 'CreateUnits1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = (name: string, nullable: boolean) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
    await queryRunner.createTable(
      new Table({
        name: 'units',
        columns: [
          { ...id('id', false), isPrimary: true },
          { name: 'name', type: 'varchar', length: '200', isNullable: false },
          { name: 'kind', type: 'varchar', length: '32', isNullable: false },
          id('parent_id', true),
          { name: 'depth', type: 'smallint', isNullable: false },
          id('l0_id', false),
          id('l1_id', true),
          id('l2_id', true),
          id('l3_id', true),
          id('l4_id', true),
          id('l5_id', true),
          { name: 'leader_count', type: 'integer', isNullable: false },
          { name: 'phase', type: 'varchar', length: '32', isNullable: false, default: "'registered'" },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'updated_at', type: 'bigint', isNullable: false },
        ],
      }),
    );
    await queryRunner.createForeignKey(
      'units',
      new TableForeignKey({
        columnNames: ['parent_id'],
        referencedTableName: 'units',
        referencedColumnNames: ['id'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      }),
    );
    const indexes: [string, string[]][] = [
      ['ix_units_parent', ['parent_id', 'id']],
      ['ix_units_l0_phase', ['l0_id', 'phase', 'id']],
      ['ix_units_l1_phase', ['l1_id', 'phase', 'id']],
      ['ix_units_l2_phase', ['l2_id', 'phase', 'id']],
      ['ix_units_l3_phase', ['l3_id', 'phase', 'id']],
      ['ix_units_l4_phase', ['l4_id', 'phase', 'id']],
      ['ix_units_l5_phase', ['l5_id', 'phase', 'id']],
      ['ix_units_kind_phase', ['kind', 'phase', 'id']],
      ['ix_units_phase', ['phase', 'id']],
    ];
    for (const [name, columnNames] of indexes)
      await queryRunner.createIndex('units', new TableIndex({ name, columnNames }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('units', true, true, true);
  }
}
