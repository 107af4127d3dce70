import 'reflect-metadata';
import type { AcceptedChange } from '../../src/commands/command-listeners.js';
import { UnitMigration } from '../../src/commands/unit-migration.js';
import { UnitMigrationRepository } from '../../src/commands/unit-migration.repository.js';
import { asHistoryEvent } from '../../src/history/fold.js';
import { nextLink } from '../../src/history/history.service.js';
import type { Tx } from '../../src/database/db.js';
import { ActivityRepository } from '../../src/oversight/activity.repository.js';
import { RollupMaintainer } from '../../src/oversight/rollup-maintainer.js';
import { RollupVerifier } from '../../src/oversight/rollup-verifier.js';
import { RollupsRepository } from '../../src/oversight/rollups.repository.js';
import { MigrationRepository } from '../../src/rulebooks/migration.repository.js';
import { MigrationService } from '../../src/rulebooks/migration.service.js';
import { auditServices } from '../history/support/audit-services.js';
import { ADMIN, campaignServices, recordStory, type CampaignServices } from '../history/support/campaign-story.js';
import { useMediumDatabase } from '../support/medium-database.js';

/**
 * Migration a batch of units per transaction: a batch is written whole or not at all, a re-run finishes what a failed
 * run left, the oversight rows stay exact, live updates go out only for what was committed, and a batch's reads cost
 * the same number of statements however many units and events it holds.
 */
describe('migrating a subtree a batch of units per transaction', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let sut: MigrationService;
  let county: string;
  let villages: string[];
  /** the ids told to the listeners, and those whose change was published after its commit */
  const told: string[] = [];
  const published: string[] = [];
  let failOn: string | null = null;

  beforeAll(async () => {
    services = campaignServices(medium.db);
    const rollups = new RollupsRepository(medium.db);
    const activity = new ActivityRepository(medium.db);
    new RollupMaintainer(services.listeners, rollups, activity).onModuleInit();
    services.listeners.register({
      accepted: async (tx: Tx, change: AcceptedChange) => {
        told.push(change.unit.id);
        if (change.unit.id === failOn) throw new Error('the disk is full');
        tx.afterCommit(() => published.push(change.unit.id));
      },
    });
    sut = new MigrationService(
      services.access,
      services.units,
      new MigrationRepository(medium.db),
      new UnitMigration(services.store, new UnitMigrationRepository(), services.listeners, services.rulebooks),
      medium.db,
      services.clock,
    );
    const created = await services.unitsService.create(ADMIN, { name: '批次县', kind: 'DIRECT_UNIT' });
    if (!('unit' in created)) throw new Error(JSON.stringify(created));
    county = created.unit.id;
    await recordStory(services, county, 2); // plan and launch: its villages may launch
    villages = [];
    for (let i = 0; i < 5; i++) {
      const village = await services.unitsService.create(ADMIN, {
        name: `批次村${i}`,
        kind: 'GRASSROOTS',
        parentId: county,
      });
      if (!('unit' in village)) throw new Error(JSON.stringify(village));
      villages.push(village.unit.id);
      await recordStory(services, village.unit.id, 2 + i); // plan, launch, then evidence: histories of every length
    }
    villages.sort(); // tree order: the county, then its villages by id
    told.length = 0; // the stories' own commands
    published.length = 0;
  });

  const versions = async () => {
    const states = await services.store.statesByIds([county, ...villages]);
    return [county, ...villages].map((id) => states.get(id)!.rulebookVersion);
  };
  const migrationsOf = async (unitId: string) =>
    (await services.store.events(unitId, 0, null)).filter((e) => e.type === 'RULEBOOK_MIGRATED').length;

  it('reads a batch in the same few statements whatever it holds: the subtree once, then units, snapshots, events', async () => {
    // the rulebooks are read once per process and cached (immutable documents): not part of a batch's cost
    await services.rulebooks.lookupFor([1, 2]);
    const before = medium.db.statementCount;
    const dry = await sut.migrate(ADMIN, { rootId: county, toVersion: 2, dryRun: true }, undefined, 2);
    expect(dry.units).toBe(6);
    // one read of the subtree's ids, the root's access check, then three statements for each of the three batches
    expect(medium.db.statementCount - before).toBeLessThanOrEqual(2 + 3 * 3);
    expect(await versions()).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("reads each unit's events as the statechart folds them: the stored events in seq order, as asHistoryEvent makes them", async () => {
    const ids = [county, ...villages];
    const read = await medium.db.transaction((tx) => new UnitMigrationRepository().eventsOfUnits(tx, ids));
    expect([...read.keys()]).toEqual(ids);
    for (const id of ids) {
      const stored = await services.store.events(id, 0, null);
      expect(stored.length).toBeGreaterThan(0);
      expect(read.get(id)).toStrictEqual(stored.map(asHistoryEvent));
    }
    // a unit without events has an empty list, and none read is a unit not asked for
    const none = await medium.db.transaction((tx) => new UnitMigrationRepository().eventsOfUnits(tx, ['no-such-unit']));
    expect([...none.entries()]).toEqual([['no-such-unit', []]]);
  });

  it('names the units that moved meanwhile (even to the very version the migration would write), and writes nothing for them', async () => {
    const ids = [villages[3], villages[4]];
    const before = await services.store.statesByIds(ids);
    const links = ids.map((id) =>
      nextLink(
        before.get(id)!,
        {
          type: 'RULEBOOK_MIGRATED',
          payload: { fromVersion: 1, toVersion: 2, gaps: [] },
          actor: ADMIN.sub,
          role: ADMIN.role,
          reason: null,
          at: before.get(id)!.updatedAt,
          override: false,
          idempotencyKey: null,
        },
        before.get(id)!.snapshot,
      ),
    );
    const rolledBack = new Error('rolled back by the caller');
    let lost: string[] = [];
    let unitsAfter: string[] = [];
    await expect(
      medium.db.transaction(async (tx) => {
        // another writer moved the second unit after its state was read: to the version this link would write
        await tx.run('UPDATE unit_states SET version = version + 1 WHERE unit_id = ?', [ids[1]]);
        lost = await new UnitMigrationRepository().writeLinks(tx, links);
        unitsAfter = (
          await tx.query<{ unit_id: string }>(
            `SELECT unit_id FROM unit_events WHERE type = 'RULEBOOK_MIGRATED' AND unit_id IN (?, ?)`,
            ids,
          )
        ).map((r) => r.unit_id);
        throw rolledBack; // as migrateBatch does on a lost race
      }),
    ).rejects.toBe(rolledBack);
    expect(lost).toEqual([ids[1]]);
    // nothing is written past a lost compare-and-set: no event, no stored snapshot, for either unit
    expect(unitsAfter).toEqual([]);
    const after = await services.store.statesByIds(ids);
    for (const id of ids) expect(after.get(id)!.version).toBe(before.get(id)!.version);
    expect(await migrationsOf(ids[0])).toBe(0);
  });

  it('a batch that fails is rolled back whole, the batches before it stay, and nothing of it is published', async () => {
    failOn = villages[2]; // the second unit of the second batch [villages[0], villages[1]] | [villages[2], …]
    const run = sut.migrate(ADMIN, { rootId: county, toVersion: 2, dryRun: false, reason: '查漏补缺' }, undefined, 2);
    await expect(run).rejects.toThrow(
      'the migration stopped after 2 of 6 units (those are migrated; run it again to migrate the rest): the disk is full',
    );
    // [county, v0] committed; [v1, v2] rolled back although v1 was written before v2 failed; [v3, v4] never started
    expect(await versions()).toEqual([2, 2, 1, 1, 1, 1]);
    expect(told).toEqual([county, villages[0], villages[1], villages[2]]);
    expect(published).toEqual([county, villages[0]]);
    for (const id of villages.slice(1)) expect(await migrationsOf(id)).toBe(0);
  });

  it('a re-run finishes the rest: each unit migrated once, every history verifies, every rollup is exact', async () => {
    failOn = null;
    const progress: string[] = [];
    const report = await sut.migrate(
      ADMIN,
      { rootId: county, toVersion: 2, dryRun: false },
      (done, total) => progress.push(`${done}/${total}`),
      2,
    );
    // told after each batch of two: units done of the subtree's
    expect(progress).toEqual(['2/6', '4/6', '6/6']);
    expect(report.rows.map((r) => r.outcome)).toEqual([
      'ALREADY_ON_VERSION',
      'ALREADY_ON_VERSION',
      'MIGRATED',
      'MIGRATED',
      'MIGRATED',
      'MIGRATED',
    ]);
    expect(await versions()).toEqual([2, 2, 2, 2, 2, 2]);
    // units that lack the same thing share one gap object in the report, across batches (a large subtree's report
    // would otherwise hold a gap object per unit and gap)
    const gaps = report.rows.flatMap((r) => r.gaps);
    const first = new Map<string, unknown>();
    let repeated = 0;
    for (const gap of gaps) {
      const key = JSON.stringify(gap);
      if (first.has(key)) repeated++;
      else first.set(key, gap);
      expect(gap).toBe(first.get(key));
    }
    expect(repeated).toBeGreaterThan(0);
    // and sharing never merges different gaps: each unit lacks each thing once, and they lack different things
    for (const row of report.rows) expect(new Set(row.gaps.map((g) => g.code)).size).toBe(row.gaps.length);
    expect(first.size).toBeGreaterThan(1);
    expect(published).toEqual([county, ...villages]);
    for (const id of [county, ...villages]) expect(await migrationsOf(id)).toBe(1);
    const { audit } = auditServices(medium.db, services);
    const verified = await audit.verifyBatch(await services.units.findByIds([county, ...villages]), null, true);
    expect([...verified.values()].map((v) => v.ok)).toEqual([true, true, true, true, true, true]);
    const recount = await new RollupVerifier(
      services.units,
      services.store,
      new RollupsRepository(medium.db),
      new ActivityRepository(medium.db),
    ).verify(county);
    expect(recount.differences).toEqual([]);
  });
});
