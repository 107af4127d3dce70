import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { CommandListeners, type AcceptedChange } from '../commands/command-listeners.js';
import type { Tx } from '../database/db.js';
import { Readiness } from '../health/readiness.js';
import { toStatus } from '../history/unit-status.js';
import { UnitsRepository } from '../tree/units.repository.js';
import { toModel } from '../units/units.service.js';
import { ChangeFeed, type UnitChange } from './change-feed.js';
import { liveChannel, PgChangeListener } from './pg-change-listener.js';

/**
 * Turns every accepted command into a change for live updates, delivered only once its transaction has committed:
 * on PostgreSQL a NOTIFY sent inside the transaction (PostgreSQL holds it until the commit and drops it on a
 * rollback) that every instance's LISTEN connection hears, this one included; on SQLite (one process) the commit
 * callback of the transaction. Refused commands change nothing and publish nothing.
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
  ) {}

  onModuleInit(): void {
    this.listeners.register({ accepted: (tx, change) => this.publish(tx, change) });
    const database = this.config.database;
    if (database.type !== 'postgres') return;
    this.channel = liveChannel(database.schema);
    this.listener = new PgChangeListener(database.url, this.channel, (change) => this.feed.deliver(change), () => this.catchUp());
    const listener = this.listener;
    this.readiness.register({ name: 'liveUpdates', check: () => listener.readiness() });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  private async publish(tx: Tx, accepted: AcceptedChange): Promise<void> {
    const change: UnitChange = {
      unitId: accepted.unit.id,
      ancestors: accepted.unit.ancestors.filter((a): a is string => a !== null),
      status: toStatus(accepted.after),
    };
    if (tx.dialect === 'postgres' && this.channel) await tx.query('SELECT pg_notify(?, ?)', [this.channel, JSON.stringify(change)]);
    else tx.afterCommit(() => this.feed.deliver(change));
  }

  /** After the LISTEN connection came back: the current status of every unit watched here (subscribers skip what they had). */
  private async catchUp(): Promise<void> {
    const ids = this.feed.watchedUnits();
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of await this.units.findByIds(ids.slice(i, i + 500))) {
        if (!row.state) continue;
        this.feed.deliver({ unitId: row.id, ancestors: row.ancestors.filter((a): a is string => a !== null), status: toModel(row).status });
      }
    }
  }
}
