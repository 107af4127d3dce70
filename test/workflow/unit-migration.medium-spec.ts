import 'reflect-metadata';
import { CommandListeners, type AcceptedChange } from '../../src/commands/command-listeners.js';
import { UnitMigration } from '../../src/commands/unit-migration.js';
import { UnitMigrationRepository } from '../../src/commands/unit-migration.repository.js';
import type { Tx } from '../../src/database/db.js';
import { EventStoreRepository, type UnitState } from '../../src/history/event-store.repository.js';
import { nextLink } from '../../src/history/history.service.js';
import { RulebookStore } from '../../src/rulebooks/rulebook-store.js';
import { auditServices } from '../history/support/audit-services.js';
import { ADMIN, campaignServices, createGrassroots, recordStory } from '../history/support/campaign-story.js';
import { footprintOf } from '../history/support/unit-footprint.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { rootUnitRow } from '../support/unit-rows.js';

/**
 * A store whose next batch read is followed, in the same transaction, by another writer moving one unit's snapshot:
 * what a concurrent command would have done between the migration's read and its compare-and-set.
 */
class StoreWithARival extends EventStoreRepository {
  rivalFor: string | null = null;

  override async loadStatesForUpdate(tx: Tx, unitIds: readonly string[]): Promise<Map<string, UnitState>> {
    const states = await super.loadStatesForUpdate(tx, unitIds);
    if (this.rivalFor !== null) {
      await tx.run('UPDATE unit_states SET version = version + 1 WHERE unit_id = ?', [this.rivalFor]);
      this.rivalFor = null;
    }
    return states;
  }
}

/** One unit, or a batch, moved to a newer rulebook: what is written, what is only reported, and a lost race. */
describe('UnitMigration and its repository', () => {
  const medium = useMediumDatabase();

  const setUp = () => {
    const store = new StoreWithARival(medium.db);
    const services = campaignServices(medium.db, { store });
    const listeners = new CommandListeners();
    const told: AcceptedChange[] = [];
    listeners.register({ accepted: async (_tx, change) => void told.push(change) });
    // a rulebook store of its own, as on an instance that has not read these units' rulebooks yet
    const sut = new UnitMigration(store, new UnitMigrationRepository(), listeners, RulebookStore.over(medium.db));
    const unitOf = async (id: string) => (await services.units.findById(id))!;
    return { services, store, sut, told, unitOf };
  };

  it('a migrated unit gets one RULEBOOK_MIGRATED event and a stored snapshot at its seq, under the new rulebook', async () => {
    const { services, sut, told, unitOf } = setUp();
    const id = await createGrassroots(services, '迁移快照');
    await recordStory(services, id, 3);
    const unit = await unitOf(id);
    const result = await medium.db.transaction((tx) =>
      sut.migrate(tx, ADMIN, unit, 2, false, '补课', services.clock.now().getTime()),
    );
    expect(result).toMatchObject({ unitId: id, fromVersion: 1, outcome: 'MIGRATED', phase: 'stage1' });
    const after = await footprintOf(medium.db, id);
    expect(after.state.version).toBe(4);
    const [event] = await services.store.events(id, 3, null);
    expect(event).toMatchObject({ seq: 4, type: 'RULEBOOK_MIGRATED', reason: '补课', actor: 'admin' });
    const kept = await medium.db.query<{ seq: number; state_value: string; context: string; rulebook_version: number }>(
      'SELECT seq, state_value, context, rulebook_version FROM unit_snapshots WHERE unit_id = ? ORDER BY seq',
      [id],
    );
    expect(kept.map((k) => [Number(k.seq), Number(k.rulebook_version)])).toEqual([
      [0, 1],
      [4, 2],
    ]);
    expect({ stateValue: kept[1].state_value, context: kept[1].context }).toEqual({
      stateValue: after.state.stateValue,
      context: after.state.context,
    });
    expect(told.map((c) => [c.unit.id, c.before.version, c.after.version, c.event.seq])).toEqual([[id, 3, 4, 4]]);
  });

  it('a dry run computes what a real run writes; a clock behind stamps at the last event; a second run finds it moved', async () => {
    const { services, sut, told, unitOf } = setUp();
    const id = await createGrassroots(services, '预演');
    const steps = await recordStory(services, id, 4); // plan, launch, an opinion, a group discussion
    const unit = await unitOf(id);
    const run = (dryRun: boolean) =>
      medium.db.transaction((tx) =>
        sut.migrateBatch(tx, ADMIN, [unit], 2, dryRun, null, services.clock.now().getTime()),
      );
    const before = await footprintOf(medium.db, id);
    const [dry] = await run(true);
    expect(dry).toMatchObject({ unitId: id, fromVersion: 1, outcome: 'WOULD_MIGRATE' });
    expect(await footprintOf(medium.db, id)).toEqual(before);
    expect(told).toEqual([]);

    const lastAt = steps[3].at;
    services.clock.set(new Date(lastAt - 5 * 60_000));
    const [real] = await run(false);
    expect(real).toEqual({ ...dry, outcome: 'MIGRATED' });
    const [event] = await services.store.events(id, 4, null);
    expect(event).toMatchObject({ seq: 5, type: 'RULEBOOK_MIGRATED', at: lastAt, override: false });
    expect(event.payload).toEqual({ fromVersion: 1, toVersion: 2, gaps: dry.gaps });
    // the history's own check recomputes the migration from the unit's events: it agrees
    expect(await auditServices(medium.db, services).audit.verify(unit)).toMatchObject({ ok: true });

    const moved = await footprintOf(medium.db, id);
    expect(await run(false)).toEqual([
      {
        unitId: id,
        name: '预演',
        kind: 'GRASSROOTS',
        phase: 'stage1',
        fromVersion: 2,
        outcome: 'ALREADY_ON_VERSION',
        gaps: [],
      },
    ]);
    expect(await footprintOf(medium.db, id)).toEqual(moved);
    expect(told.map((c) => c.event.seq)).toEqual([5]);
  });

  it('a unit done with stage 1 is reported with what it would lack, never moved', async () => {
    const { services, sut, told, unitOf } = setUp();
    const id = await createGrassroots(services, '已完成');
    await recordStory(services, id, 2);
    // the stored state of a unit whose first stage is complete (the look-back concluded)
    await medium.db.transaction((tx) =>
      tx.run('UPDATE unit_states SET state_value = ? WHERE unit_id = ?', [JSON.stringify('stage1Complete'), id]),
    );
    const before = await footprintOf(medium.db, id);
    const [result] = await medium.db.transaction(async (tx) =>
      sut.migrateBatch(tx, ADMIN, [await unitOf(id)], 2, false, null, services.clock.now().getTime()),
    );
    expect(result).toMatchObject({ unitId: id, fromVersion: 1, phase: 'stage1Complete', outcome: 'STAGE1_COMPLETE' });
    // launched with no evidence yet: under the new rules it lacks every kind of study
    expect(result.gaps.length).toBeGreaterThan(0);
    expect(await footprintOf(medium.db, id)).toEqual(before);
    expect(told).toEqual([]);
  });

  it('a unit moved by another writer meanwhile: LostRace with its current version, and the whole batch written back', async () => {
    const { services, store, sut, told, unitOf } = setUp();
    const first = await createGrassroots(services, '竞争甲');
    const second = await createGrassroots(services, '竞争乙');
    await recordStory(services, first, 2);
    await recordStory(services, second, 3);
    const before = [await footprintOf(medium.db, first), await footprintOf(medium.db, second)];
    store.rivalFor = second;
    const units = [await unitOf(first), await unitOf(second)];
    await expect(
      medium.db.transaction((tx) => sut.migrateBatch(tx, ADMIN, units, 2, false, null, services.clock.now().getTime())),
    ).rejects.toMatchObject({ message: 'lost the compare-and-set race', currentVersion: 4 });
    expect([await footprintOf(medium.db, first), await footprintOf(medium.db, second)]).toEqual(before);
    expect(told).toEqual([]);
  });

  it('a unit row without a stored snapshot is a programming error, not an outcome', async () => {
    const { services, sut } = setUp();
    const id = '01900000-0000-7000-8000-00000000beef';
    const at = services.clock.now().getTime();
    const unit = rootUnitRow(id, '无快照', at);
    await medium.db.transaction((tx) => services.units.insert(tx, unit));
    await expect(medium.db.transaction((tx) => sut.migrateBatch(tx, ADMIN, [unit], 2, true, null, at))).rejects.toThrow(
      `unit ${id} has no stored snapshot`,
    );
  });

  it('the target rulebook: no problem for a stored one, its absence said for another', async () => {
    const { sut } = setUp();
    expect(await sut.targetProblem(2)).toBeNull();
    expect(await sut.targetProblem(99)).toBe('There is no rulebook v99.');
    // any other failure to read it is no answer about the version: it is thrown
    const broken = new UnitMigration(
      new EventStoreRepository(medium.db),
      new UnitMigrationRepository(),
      new CommandListeners(),
      {
        rulebook: async () => {
          throw new Error('the database is gone');
        },
      } as unknown as RulebookStore,
    );
    await expect(broken.targetProblem(2)).rejects.toThrow('the database is gone');
  });

  describe('UnitMigrationRepository.writeLinks', () => {
    it('returns a unit that moved since its link was made, and writes none of the batch’s events or snapshots', async () => {
      const { services } = setUp();
      const stale = await createGrassroots(services, '过时链');
      const fresh = await createGrassroots(services, '新链');
      await recordStory(services, stale, 2);
      await recordStory(services, fresh, 2);
      const read = await services.store.statesByIds([stale, fresh]);
      await recordStory(services, stale, 1, 3); // the stale unit moves on to version 3
      const before = [await footprintOf(medium.db, stale), await footprintOf(medium.db, fresh)];
      const link = (state: UnitState) =>
        nextLink(
          state,
          {
            type: 'RULEBOOK_MIGRATED',
            payload: {},
            actor: 'admin',
            role: 'ADMIN',
            reason: null,
            at: services.clock.now().getTime(),
            override: false,
            idempotencyKey: null,
          },
          { ...state.snapshot, context: { ...state.snapshot.context, rulebookVersion: 2 } },
        );
      const rolledBack = new Error('rolled back by the test');
      let lost: string[] = [];
      let written: number[] = [];
      await expect(
        medium.db.transaction(async (tx) => {
          lost = await new UnitMigrationRepository().writeLinks(tx, [link(read.get(fresh)!), link(read.get(stale)!)]);
          written = (
            await tx.query<{ n: number | string }>(
              'SELECT (SELECT COUNT(*) FROM unit_events WHERE unit_id IN (?, ?)) + (SELECT COUNT(*) FROM unit_snapshots WHERE unit_id IN (?, ?)) AS n',
              [stale, fresh, stale, fresh],
            )
          ).map((r) => Number(r.n));
          throw rolledBack;
        }),
      ).rejects.toBe(rolledBack);
      expect(lost).toEqual([stale]);
      // 3 + 2 events, a first snapshot each: nothing of the batch was added
      expect(written).toEqual([before[0].events + before[1].events + 2]);
      expect([await footprintOf(medium.db, stale), await footprintOf(medium.db, fresh)]).toEqual(before);
    });
  });
});
