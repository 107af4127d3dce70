import { LaggardsIndexByKind1764800000000 } from '../../src/database/migrations/1764800000000-laggards-index-by-kind.js';
import { ActivityRepository } from '../../src/oversight/activity.repository.js';
import { importGeneratedCountry } from '../support/generated-country.js';
import { useMediumDatabase } from '../support/medium-database.js';

describe("upgrading a populated database to the laggards' indexes by kind", () => {
  const medium = useMediumDatabase();

  /** unit_activity's indexes: name → its columns as the database describes them (and whether PostgreSQL can use it). */
  async function indexes(): Promise<Record<string, string>> {
    const rows =
      medium.db.dialect === 'sqlite'
        ? await medium.db.query<{ name: string; definition: string }>(
            "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = 'unit_activity' AND sql IS NOT NULL",
          )
        : await medium.db.query<{ name: string; definition: string }>(
            "SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS definition " +
              'FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace ' +
              "WHERE n.nspname = current_schema() AND t.relname = 'unit_activity' AND NOT i.indisprimary",
          );
    return Object.fromEntries(
      rows.map((r) => [r.name, r.definition.trim().replace(/^.*\((.*)\)( INVALID)?$/, '$1$2')]),
    );
  }

  it('builds the new indexes, drops the old ones, and the laggards read the same — also after a try that failed half-way', async () => {
    const migration = new LaggardsIndexByKind1764800000000();
    const runner = medium.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const older = await indexes();
      expect(Object.keys(older).sort()).toEqual([
        'ix_unit_activity_l0',
        'ix_unit_activity_l1',
        'ix_unit_activity_l2',
        'ix_unit_activity_l3',
        'ix_unit_activity_l4',
        'ix_unit_activity_parent',
      ]);
      const created = Date.UTC(2026, 0, 1);
      const units = await importGeneratedCountry(medium.db, 1_200, 4, created);
      const activity = new ActivityRepository(medium.db);
      const root = { id: units[0].id, depth: 0 };
      const read = async () => [
        await activity.laggards(root, created, null, 50, null),
        await activity.laggards(root, created, 'GRASSROOTS', 50, null),
        await activity.laggards({ id: units[1].id, depth: 1 }, created, 'TOWNSHIP_STREET', 50, null),
      ];
      const before = await read();
      expect(before[0]).toHaveLength(51);

      // a try that stopped after building one index of the new name (on PostgreSQL a concurrent build can also leave
      // it invalid): the next try builds it again and goes on
      if (medium.db.dialect === 'postgres')
        await runner.query('CREATE INDEX "ix_unit_activity_l2_kind" ON "unit_activity" ("kind")');
      await migration.up(runner);
      const upgraded = await indexes();
      expect(upgraded).toEqual(
        Object.fromEntries([
          ...[0, 1, 2, 3, 4].map((d) => [
            `ix_unit_activity_l${d}_kind`,
            expect.stringMatching(new RegExp(`^"?l${d}_id"?, "?done"?, "?kind"?, "?idle_since"?, "?unit_id"?$`)),
          ]),
          ['ix_unit_activity_parent', expect.anything()],
        ]),
      );
      expect(await read()).toEqual(before);
    } finally {
      await runner.release();
    }
  });
});
