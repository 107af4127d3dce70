import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The test clock's offset (time-travel mode only), shared by every instance and kept across restarts. */
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('service_clock', true);
  }
}
