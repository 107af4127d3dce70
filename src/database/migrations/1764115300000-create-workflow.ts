import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, type: 'integer' | 'bigint' | 'smallint', isNullable = false): TableColumnOptions => ({
  name,
  type,
  isNullable,
});

/**
 * The event store (snapshots, append-only events, refused attempts, idempotency keys) and the read models of
 * opinions, problems and findings. Triggers make `unit_events` append-only on both databases.
 */
export class CreateWorkflow1764115300000 implements MigrationInterface {
  name = 'CreateWorkflow1764115300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unit_states',
        columns: [
          { ...str('unit_id', 36), isPrimary: true },
          text('state_value'),
          text('context'),
          int('version', 'integer'),
          int('rulebook_version', 'integer'),
          str('head_hash', 64),
          int('updated_at', 'bigint'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'unit_events',
        columns: [
          { ...str('unit_id', 36), isPrimary: true },
          { ...int('seq', 'integer'), isPrimary: true },
          str('type', 40),
          text('payload'),
          str('actor', 200),
          str('role', 20),
          text('reason', true),
          int('at', 'bigint'),
          int('occurred_at', 'bigint', true),
          int('recorded_at', 'bigint'),
          int('rulebook_version', 'integer'),
          int('override', 'smallint'),
          str('idempotency_key', 200, true),
          str('prev_hash', 64),
          str('hash', 64),
        ],
        indices: [new TableIndex({ name: 'ix_unit_events_at', columnNames: ['at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'command_attempts',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          str('unit_id', 36),
          str('command', 40),
          text('payload'),
          str('actor', 200),
          str('role', 20),
          int('at', 'bigint'),
          str('failure', 40),
          text('detail'),
        ],
        indices: [new TableIndex({ name: 'ix_command_attempts_unit', columnNames: ['unit_id', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...str('principal', 200), isPrimary: true },
          { ...str('key', 200), isPrimary: true },
          str('request_hash', 64),
          str('unit_id', 36),
          text('response'),
          int('created_at', 'bigint'),
        ],
        indices: [new TableIndex({ name: 'ix_idempotency_keys_created', columnNames: ['created_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'opinions',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('target_unit_id', 36),
          str('collected_by_unit_id', 36),
          str('channel', 32),
          str('category', 32),
          text('text'),
          int('occurred_at', 'bigint'),
          int('recorded_at', 'bigint'),
          int('claimed_at', 'bigint', true),
        ],
        indices: [new TableIndex({ name: 'ix_opinions_target', columnNames: ['target_unit_id', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'problems',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('unit_id', 36),
          str('category', 100),
          text('description'),
          int('fix_at_once', 'smallint'),
          int('due_at', 'bigint', true),
          str('source_opinion_id', 36, true),
          int('identified_at', 'bigint'),
          int('rectified_at', 'bigint', true),
          text('action', true),
        ],
        indices: [new TableIndex({ name: 'ix_problems_unit', columnNames: ['unit_id', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'findings',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('unit_id', 36),
          str('kind', 40),
          text('note'),
          str('issued_by', 200),
          int('issued_at', 'bigint'),
          int('resolved_at', 'bigint', true),
          str('resolved_by', 200, true),
          text('response', true),
        ],
        indices: [new TableIndex({ name: 'ix_findings_unit', columnNames: ['unit_id', 'id'] })],
      }),
    );

    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE FUNCTION lookback_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'unit_events is append-only: % refused', TG_OP; END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER unit_events_append_only BEFORE UPDATE OR DELETE ON unit_events FOR EACH ROW EXECUTE FUNCTION lookback_append_only()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER unit_events_no_truncate BEFORE TRUNCATE ON unit_events FOR EACH STATEMENT EXECUTE FUNCTION lookback_append_only()`,
      );
    } else {
      await queryRunner.query(
        `CREATE TRIGGER unit_events_no_update BEFORE UPDATE ON unit_events BEGIN SELECT RAISE(ABORT, 'unit_events is append-only: UPDATE refused'); END`,
      );
      await queryRunner.query(
        `CREATE TRIGGER unit_events_no_delete BEFORE DELETE ON unit_events BEGIN SELECT RAISE(ABORT, 'unit_events is append-only: DELETE refused'); END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'findings',
      'problems',
      'opinions',
      'idempotency_keys',
      'command_attempts',
      'unit_events',
      'unit_states',
    ]) {
      await queryRunner.dropTable(table, true);
    }
    if (queryRunner.connection.options.type === 'postgres')
      await queryRunner.query('DROP FUNCTION IF EXISTS lookback_append_only()');
  }
}
