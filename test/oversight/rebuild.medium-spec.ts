import type { Principal } from '../../src/auth/principal.js';
import { EvidenceRepository } from '../../src/evidence/evidence.repository.js';
import { EvidenceService } from '../../src/evidence/evidence.service.js';
import { ActivityRepository } from '../../src/oversight/activity.repository.js';
import { rebuildOversight } from '../../src/oversight/rebuild.js';
import { RollupMaintainer } from '../../src/oversight/rollup-maintainer.js';
import { RollupVerifier } from '../../src/oversight/rollup-verifier.js';
import { RollupsRepository } from '../../src/oversight/rollups.repository.js';
import { StageEventsService } from '../../src/stage-events/stage-events.service.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { mediumServices } from '../support/medium-services.js';

const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };
const TABLES = ['rollups', 'rollup_refusals', 'unit_refusals', 'unit_activity'];

describe('an existing database gets its oversight tables from what it stores (the migration that adds them)', () => {
  const medium = useMediumDatabase();

  it('rebuilds rollups, refusals per day and idleness equal to those kept command by command', async () => {
    const { unitsService, bus, access, units, listeners, store, clock } = mediumServices(medium.db);
    const rollups = new RollupsRepository(medium.db);
    const activity = new ActivityRepository(medium.db);
    new RollupMaintainer(listeners, rollups, activity).onModuleInit();
    const stage = new StageEventsService(bus, access, units);
    const evidence = new EvidenceService(bus, new EvidenceRepository(medium.db));
    const create = async (name: string, kind: string, parentId: string | null) => {
      const r = await unitsService.create(ADMIN, { name, kind, parentId, leaderCount: 1 } as never);
      return 'unit' in r ? r.unit.id : Promise.reject(new Error(JSON.stringify(r)));
    };
    const province = await create('省', 'LEADERSHIP_BODY', null);
    const county = await create('县', 'DIRECT_UNIT', province);
    const village = await create('村', 'GRASSROOTS', county);
    await evidence.fileStudyPlan(ADMIN, { unitId: province, topics: ['党章'], plannedDays: 5 } as never);
    clock.advanceDays(2);
    expect(await stage.send(ADMIN, { unitId: province, event: 'LAUNCH' } as never)).toMatchObject({
      __typename: 'TransitionAccepted',
    });
    await stage.send(ADMIN, { unitId: county, event: 'LAUNCH' } as never);
    await evidence.fileStudyPlan(ADMIN, { unitId: village, topics: ['党章'], plannedDays: 5 } as never);
    clock.advanceDays(1);
    await stage.send(ADMIN, { unitId: province, event: 'COMPLETE_STUDY' } as never);
    await rollups.fold(1_000);
    // SQLite: the events since creation left their idleness pending (the rebuild writes the folded rows)
    expect(await activity.fold(1_000)).toBe(medium.db.dialect === 'sqlite' ? 2 : 0);

    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of TABLES) out[table] = await medium.db.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
      return out;
    };
    const kept = await snapshot();
    expect(kept.unit_refusals).toHaveLength(2);
    await medium.db.transaction(async (tx) => {
      for (const table of [...TABLES, 'rollup_deltas', 'unit_activity_pending']) await tx.run(`DELETE FROM ${table}`);
    });
    const runner = medium.dataSource.createQueryRunner();
    await rebuildOversight(runner);
    await runner.release();
    expect(await snapshot()).toEqual(kept);
    expect((await new RollupVerifier(units, store, rollups, activity).verify(null)).differences).toEqual([]);
  });
});
