import 'reflect-metadata';
import type { Principal } from '../../src/auth/principal.js';
import { CommandListeners, type AcceptedChange } from '../../src/commands/command-listeners.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { Readiness } from '../../src/health/readiness.js';
import { ChangeFeed, subtreeTopic, unitTopic, type UnitChange } from '../../src/live/change-feed.js';
import { ChangeNotificationsRepository } from '../../src/live/change-notifications.repository.js';
import { LiveUpdatesPublisher } from '../../src/live/live-updates.publisher.js';
import { until } from '../support/live-client.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { mediumServices } from '../support/medium-services.js';

const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };

/**
 * A migration tells the live updates about a batch of units at once (`acceptedAll`): each unit's subscribers and its
 * subtrees' hear of it exactly as they would of one command, once the batch commits, in the batch's order — and not at
 * all if it rolls back. On PostgreSQL the batch's NOTIFYs are one statement, heard through the LISTEN connection.
 */
describe('live updates of a batch of units', () => {
  const medium = useMediumDatabase();

  it('each change heard once after the commit, in order, by the unit and its subtree; none after a rollback', async () => {
    const services = mediumServices(medium.db);
    const listeners = new CommandListeners();
    const feed = new ChangeFeed();
    const publisher = new LiveUpdatesPublisher(
      { database: medium.database.config } as AppConfig,
      listeners,
      feed,
      new Readiness(),
      services.units,
      new ChangeNotificationsRepository(),
    );
    publisher.onModuleInit();
    await publisher.onApplicationBootstrap();
    try {
      const created = async (name: string, parentId: string | null) => {
        const r = await services.unitsService.create(ADMIN, { name, kind: 'GRASSROOTS', parentId } as never);
        return 'unit' in r ? r.unit.id : Promise.reject(new Error(JSON.stringify(r)));
      };
      const county = await created('县', null);
      const villages = [await created('村甲', county), await created('村乙', county), await created('村丙', county)];
      const rows = await services.units.findByIds(villages);
      const states = await services.store.statesByIds(villages);
      const changes: AcceptedChange[] = villages.map((id) => {
        const unit = rows.find((r) => r.id === id)!;
        const state = states.get(id)!;
        return { unit, before: state, after: state, event: {} as never };
      });

      const byUnit: string[] = [];
      const bySubtree: UnitChange[] = [];
      for (const id of villages) feed.subscribe(unitTopic(id), (c) => byUnit.push(c.unitId));
      feed.subscribe(subtreeTopic(county), (c) => bySubtree.push(c));

      // rolled back: nobody hears of it
      const rolledBack = new Error('rolled back');
      await medium.db
        .transaction(async (tx) => {
          await listeners.acceptedAll(tx, changes);
          throw rolledBack;
        })
        .catch((e: unknown) => {
          if (e !== rolledBack) throw e;
        });
      // committed: each unit once, in the batch's order
      let heardBeforeCommit = -1;
      await medium.db.transaction(async (tx) => {
        await listeners.acceptedAll(tx, changes);
        heardBeforeCommit = byUnit.length;
      });
      await until(() => byUnit.length >= 3, 'the batch');
      expect(heardBeforeCommit).toBe(0);
      expect(byUnit).toEqual(villages);
      expect(bySubtree.map((c) => c.unitId)).toEqual(villages);
      expect(bySubtree[1]).toEqual({
        unitId: villages[1],
        ancestors: [county, villages[1]],
        status: {
          unitId: villages[1],
          phase: 'registered',
          activeStates: ['registered'],
          version: states.get(villages[1])!.version,
          rulebookVersion: states.get(villages[1])!.rulebookVersion,
        },
      });
      // nothing more arrives: the rolled-back batch is not on its way
      await medium.db.transaction((tx) => listeners.acceptedAll(tx, changes.slice(0, 1)));
      await until(() => byUnit.length >= 4, 'the marker');
      expect(byUnit).toEqual([...villages, villages[0]]);
    } finally {
      await publisher.onApplicationShutdown();
    }
  });
});
