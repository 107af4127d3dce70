import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The test clock's offset (time-travel mode only), shared by every instance and kept across restarts; and markers of
 * one-time work that several instances starting together must do once (the demo province).
 */
export class CreateServiceClock1764300000000 implements MigrationInterface {
  name = 'CreateServiceClock1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'service_clock',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'offset_ms', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'service_markers',
        columns: [
          { name: 'name', type: 'varchar', length: '60', isPrimary: true },
          { name: 'at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('service_markers', true);
    await queryRunner.dropTable('service_clock', true);
  }
}
