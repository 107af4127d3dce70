import type { Principal } from '../../../src/auth/principal.js';
import type { Db } from '../../../src/database/db.js';
import { EvidenceRepository } from '../../../src/evidence/evidence.repository.js';
import { EvidenceService } from '../../../src/evidence/evidence.service.js';
import { ActivityRepository } from '../../../src/oversight/activity.repository.js';
import { RollupMaintainer } from '../../../src/oversight/rollup-maintainer.js';
import { RollupsRepository } from '../../../src/oversight/rollups.repository.js';
import { StageEventsService } from '../../../src/stage-events/stage-events.service.js';
import { mediumServices } from '../../support/medium-services.js';

export const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };

/**
 * The medium services with the oversight listener wired (idleness rows kept with every command), and the few steps
 * the idleness specs take: create a unit, file its study plan, launch it (plan, then LAUNCH). Each throws on a refusal.
 */
export function idlenessServices(db: Db) {
  const services = mediumServices(db);
  const activity = new ActivityRepository(db);
  new RollupMaintainer(services.listeners, new RollupsRepository(db), activity).onModuleInit();
  const stage = new StageEventsService(services.bus, services.access, services.units);
  const evidence = new EvidenceService(services.bus, new EvidenceRepository(db));
  const create = async (name: string, kind: string, parentId: string | null) => {
    const r = await services.unitsService.create(ADMIN, { name, kind, parentId, leaderCount: 1 } as never);
    return 'unit' in r ? r.unit.id : Promise.reject(new Error(JSON.stringify(r)));
  };
  const plan = async (unitId: string) => {
    const r = await evidence.fileStudyPlan(ADMIN, { unitId, topics: ['党章'], plannedDays: 5 } as never);
    if (r.__typename !== 'EvidenceRecorded') throw new Error(JSON.stringify(r));
  };
  const launch = async (unitId: string) => {
    await plan(unitId);
    const r = await stage.send(ADMIN, { unitId, event: 'LAUNCH' } as never);
    if (r.__typename !== 'TransitionAccepted') throw new Error(JSON.stringify(r));
  };
  return { ...services, activity, stage, evidence, create, plan, launch };
}
