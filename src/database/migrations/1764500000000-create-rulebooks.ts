import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { BUILT_IN_RULEBOOKS } from '../../../machines/index.js';
import { builtInRecord } from '../../rulebooks/rulebook-document.js';

/**
 * The rulebooks a unit can run under, as immutable numbered documents: v1 and v2 seeded from machines/ (the service
 * also seeds at boot, insert-if-absent, so a later built-in arrives without a migration), new versions published by
 * an admin. Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL): a document units ran under never changes.
 */
export class CreateRulebooks1764500000000 implements MigrationInterface {
  name = 'CreateRulebooks1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rulebooks',
        columns: [
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'ruleset', type: 'integer' },
          { name: 'based_on', type: 'integer', isNullable: true },
          { name: 'document', type: 'text' },
          { name: 'content_hash', type: 'varchar', length: '64' },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'published_by', type: 'varchar', length: '200', isNullable: true },
          { name: 'published_at', type: 'bigint', isNullable: true },
          { name: 'built_in', type: 'smallint' },
        ],
      }),
    );
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const rulebook of BUILT_IN_RULEBOOKS) {
      const r = builtInRecord(rulebook);
      await queryRunner.query(
        postgres
          ? 'INSERT INTO rulebooks (version, ruleset, based_on, document, content_hash, reason, published_by, published_at, built_in) VALUES ($1, $2, NULL, $3, $4, NULL, NULL, NULL, 1) ON CONFLICT (version) DO NOTHING'
          : 'INSERT INTO rulebooks (version, ruleset, based_on, document, content_hash, reason, published_by, published_at, built_in) VALUES (?, ?, NULL, ?, ?, NULL, NULL, NULL, 1) ON CONFLICT (version) DO NOTHING',
        [r.version, r.ruleset, r.document, r.contentHash],
      );
    }
    if (postgres) {
      await queryRunner.query(
        `CREATE FUNCTION lookback_rulebooks_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'rulebooks are immutable: % refused', TG_OP; END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER rulebooks_immutable BEFORE UPDATE OR DELETE ON rulebooks FOR EACH ROW EXECUTE FUNCTION lookback_rulebooks_immutable()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER rulebooks_no_truncate BEFORE TRUNCATE ON rulebooks FOR EACH STATEMENT EXECUTE FUNCTION lookback_rulebooks_immutable()`,
      );
    } else {
      await queryRunner.query(
        `CREATE TRIGGER rulebooks_no_update BEFORE UPDATE ON rulebooks BEGIN SELECT RAISE(ABORT, 'rulebooks are immutable: UPDATE refused'); END`,
      );
      await queryRunner.query(
        `CREATE TRIGGER rulebooks_no_delete BEFORE DELETE ON rulebooks BEGIN SELECT RAISE(ABORT, 'rulebooks are immutable: DELETE refused'); END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rulebooks', true);
    if (queryRunner.connection.options.type === 'postgres')
      await queryRunner.query('DROP FUNCTION IF EXISTS lookback_rulebooks_immutable()');
  }
}
