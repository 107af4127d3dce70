import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { CommandListeners, type AcceptedChange, type Refusal } from '../commands/command-listeners.js';
import type { Tx } from '../database/db.js';
import { Readiness } from '../health/readiness.js';
import { toStatus } from '../history/unit-status.js';
import { UnitsRepository } from '../tree/units.repository.js';
import { toModel } from '../units/units.service.js';
import { ChangeFeed, type UnitChange } from './change-feed.js';
import { ChangeNotificationsRepository } from './change-notifications.repository.js';
import { liveChannel, PgChangeListener } from './pg-change-listener.js';

const lineage = (ancestors: (string | null)[]): string[] => ancestors.filter((a): a is string => a !== null);

/** What an accepted command changes, as live updates carry it: the unit, its subtrees, its new status. */
const changeOf = (accepted: AcceptedChange): UnitChange => ({
  unitId: accepted.unit.id,
  ancestors: lineage(accepted.unit.ancestors),
  status: toStatus(accepted.after),
});

/**
 * Turns every accepted command into a change for live updates, delivered only once its transaction has committed:
 * on PostgreSQL a NOTIFY sent inside the transaction (PostgreSQL holds it until the commit and drops it on a
 * rollback) that every instance's LISTEN connection hears, this one included; on SQLite (one process) the commit
 * callback of the transaction. A refused command changes no unit: only a refused stage event, which counts in the
 * rollups above it, publishes (to those, not to the unit's own subscribers).
 */
@Injectable()
export class LiveUpdatesPublisher implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private listener: PgChangeListener | null = null;
  private channel: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CommandListeners) private readonly listeners: CommandListeners,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(ChangeNotificationsRepository) private readonly notifications: ChangeNotificationsRepository,
  ) {}

  onModuleInit(): void {
    this.listeners.register({
      accepted: (tx, accepted) => this.publish(tx, [changeOf(accepted)]),
      // a migration's batch: on PostgreSQL one statement for all its NOTIFYs
      acceptedAll: (tx, accepted) => this.publish(tx, accepted.map(changeOf)),
      // a refused stage event counts in its subtree's rollups (refusedStageEvents): no unit changed
      refused: async (tx, refusal: Refusal) => {
        if (refusal.stage)
          await this.publish(tx, [
            { unitId: refusal.unit.id, ancestors: lineage(refusal.unit.ancestors), status: null },
          ]);
      },
    });
    const database = this.config.database;
    if (database.type !== 'postgres') return;
    this.channel = liveChannel(database.schema);
    this.listener = new PgChangeListener(
      database.url,
      this.channel,
      (change) => this.feed.deliver(change),
      () => this.catchUp(),
    );
    const listener = this.listener;
    this.readiness.register({ name: 'liveUpdates', check: () => listener.readiness() });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  private async publish(tx: Tx, changes: readonly UnitChange[]): Promise<void> {
    if (tx.dialect === 'postgres' && this.channel) {
      const payloads = changes.map((change) => JSON.stringify(change));
      if (payloads.length === 1) await this.notifications.notify(tx, this.channel, payloads[0]);
      else await this.notifications.notifyAll(tx, this.channel, payloads);
    } else for (const change of changes) tx.afterCommit(() => this.feed.deliver(change));
  }

  /**
   * After the LISTEN connection came back: the current status of every unit watched here (subscribers skip the
   * versions they had), and a look at every subtree watched here (rollup subscribers get it if it changed).
   */
  private async catchUp(): Promise<void> {
    for (const root of this.feed.watched('subtree:'))
      this.feed.deliver({ unitId: root, ancestors: [root], status: null });
    const ids = this.feed.watched('unit:');
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of await this.units.findByIds(ids.slice(i, i + 500))) {
        if (!row.state) continue;
        this.feed.deliver({ unitId: row.id, ancestors: lineage(row.ancestors), status: toModel(row).status });
      }
    }
  }
}
