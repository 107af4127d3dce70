import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Audit checkpoints: signed digests over every unit's chain head, and the heads they cover. */
export class CreateAuditCheckpoints1764115400000 implements MigrationInterface {
  name = 'CreateAuditCheckpoints1764115400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_checkpoints',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'created_at', type: 'bigint' },
          { name: 'unit_count', type: 'integer' },
          { name: 'digest', type: 'varchar', length: '64' },
          { name: 'prev_signature', type: 'varchar', length: '64' },
          { name: 'signature', type: 'varchar', length: '64' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_checkpoint_heads',
        columns: [
          { name: 'checkpoint_id', type: 'integer', isPrimary: true },
          { name: 'unit_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_checkpoint_heads', true);
    await queryRunner.dropTable('audit_checkpoints', true);
  }
}
