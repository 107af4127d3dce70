import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { UnitsRepository } from '../tree/units.repository.js';
import { UnitsService } from '../units/units.service.js';
import { DEMO_PROVINCE, DemoUnit } from './demo-province.js';

/** On a new (empty) database, loads the demo province so that a first-time user has something to query. */
export async function seedDemoIfEmpty(app: INestApplication): Promise<number> {
  const repository = app.get(UnitsRepository);
  if ((await repository.count()) > 0) return 0;
  const units = app.get(UnitsService);
  // created like any unit: by an admin of the whole tree, through the command path
  const seeder: Principal = { sub: 'system:demo-seed', role: 'ADMIN', scopeUnitId: null };
  let created = 0;
  const create = async (unit: DemoUnit, parentId: string | null): Promise<void> => {
    const result = await units.create(seeder, { name: unit.name, kind: unit.kind, parentId, leaderCount: unit.leaderCount ?? 0 });
    if (!('unit' in result)) throw new Error(`demo seed: ${result.message}`);
    created++;
    for (const child of unit.children ?? []) await create(child, result.unit.id);
  };
  await create(DEMO_PROVINCE, null);
  new Logger('Demo').log(`loaded the demo province: ${created} units`);
  return created;
}
