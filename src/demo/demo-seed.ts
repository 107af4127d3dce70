import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { Db } from '../database/db.js';
import { DemoRepository } from './demo.repository.js';
import { UnitsService } from '../units/units.service.js';
import { DEMO_PROVINCE, DemoUnit } from './demo-province.js';

/**
 * On a new (empty) database, loads the demo province so that a first-time user has something to query. Refused by
 * an application configured for production: invented units must never become the first rows of a real history.
 */
export async function seedDemoIfEmpty(app: INestApplication): Promise<number> {
  if (app.get<AppConfig>(APP_CONFIG).production)
    throw new Error('the demo province is never loaded when NODE_ENV=production');
  // several instances starting together on a new database: one claims the loading, the others skip it
  if (!(await new DemoRepository(app.get(Db)).claimSeeding(Date.now()))) return 0;
  const units = app.get(UnitsService);
  // created like any unit: by an admin of the whole tree, through the command path
  const seeder: Principal = { sub: 'system:demo-seed', role: 'ADMIN', scopeUnitId: null };
  let created = 0;
  const create = async (unit: DemoUnit, parentId: string | null): Promise<void> => {
    const result = await units.create(seeder, {
      name: unit.name,
      kind: unit.kind,
      parentId,
      leaderCount: unit.leaderCount ?? 0,
    });
    if (!('unit' in result)) throw new Error(`demo seed: ${result.message}`);
    created++;
    for (const child of unit.children ?? []) await create(child, result.unit.id);
  };
  await create(DEMO_PROVINCE, null);
  new Logger('Demo').log(`loaded the demo province: ${created} units`);
  return created;
}

/** What `npm start` does about the demo province, as the sentence it prints at start-up. */
export async function loadDemoAtStart(app: INestApplication, config: AppConfig): Promise<string> {
  if (config.production) return 'NODE_ENV=production: the demo province is never loaded.';
  if (!config.seedDemo) return 'LOOKBACK_NO_DEMO=1: the demo province is not loaded.';
  const created = await seedDemoIfEmpty(app);
  if (created === 0) return 'The database already has units: the demo province is not loaded.';
  return `Loaded the demo province into the new database: ${created} units (LOOKBACK_NO_DEMO=1 skips it; never in production).`;
}
