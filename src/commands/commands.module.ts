import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module.js';
import { TreeModule } from '../tree/tree.module.js';
import { Access } from './access.js';
import { CommandBus } from './command-bus.js';
import { CommandListeners } from './command-listeners.js';
import { Idempotency } from './idempotency/idempotency.js';
import { IdempotencyPruner } from './idempotency/idempotency-pruner.js';
import { IdempotencyRepository } from './idempotency/idempotency.repository.js';
import { SeparationOfDuties } from './separation-of-duties.js';
import { UnitMigration } from './unit-migration.js';
import { UnitMigrationRepository } from './unit-migration.repository.js';
import { UnitTransaction } from './unit-transaction.js';

/** The one command path (and the one access rule that reads use too). */
@Module({
  imports: [HistoryModule, TreeModule],
  providers: [
    Access,
    CommandListeners,
    SeparationOfDuties,
    Idempotency,
    IdempotencyRepository,
    IdempotencyPruner,
    UnitTransaction,
    UnitMigration,
    UnitMigrationRepository,
    CommandBus,
  ],
  exports: [Access, CommandBus, CommandListeners, UnitMigration, HistoryModule, TreeModule],
})
export class CommandsModule {}
