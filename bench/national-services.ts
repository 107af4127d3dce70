/** The real command path and oversight services on a database, wired by hand for the national bench (no HTTP). */
import { RulebookStore } from '../src/rulebooks/rulebook-store.js';
import { Access } from '../src/commands/access.js';
import { CommandBus } from '../src/commands/command-bus.js';
import { CommandListeners } from '../src/commands/command-listeners.js';
import { Idempotency } from '../src/commands/idempotency/idempotency.js';
import { IdempotencyRepository } from '../src/commands/idempotency/idempotency.repository.js';
import { SeparationOfDuties } from '../src/commands/separation-of-duties.js';
import { UnitTransaction } from '../src/commands/unit-transaction.js';
import { SystemClock } from '../src/clock/clock.js';
import type { Db } from '../src/database/db.js';
import { EvidenceRepository } from '../src/evidence/evidence.repository.js';
import { EvidenceService } from '../src/evidence/evidence.service.js';
import { EventStoreRepository } from '../src/history/event-store.repository.js';
import { HistoryService } from '../src/history/history.service.js';
import { ActivityRepository } from '../src/oversight/activity.repository.js';
import { OversightService } from '../src/oversight/oversight.service.js';
import { RollupMaintainer } from '../src/oversight/rollup-maintainer.js';
import { RollupsRepository } from '../src/oversight/rollups.repository.js';
import { StageEventsService } from '../src/stage-events/stage-events.service.js';
import { UnitsRepository } from '../src/tree/units.repository.js';

/** `rollups: false` leaves the rollups out of the command path (the reference the bench compares with). */
export function nationalServices(db: Db, rollups: boolean) {
  const clock = new SystemClock();
  const units = new UnitsRepository(db);
  const rulebooks = RulebookStore.over(db);
  const history = new HistoryService(new EventStoreRepository(db), rulebooks);
  const access = new Access(units);
  const idempotency = new Idempotency(new IdempotencyRepository(db));
  const listeners = new CommandListeners();
  const rollupsRepository = new RollupsRepository(db);
  const activity = new ActivityRepository(db);
  if (rollups) new RollupMaintainer(listeners, rollupsRepository, activity).onModuleInit();
  const transaction = new UnitTransaction(
    history,
    idempotency,
    units,
    listeners,
    new SeparationOfDuties(history),
    rulebooks,
  );
  const bus = new CommandBus(access, idempotency, transaction, db, clock, history);
  return {
    units,
    rollups: rollupsRepository,
    activity,
    /** what the background folder would do after these writes: rollup deltas (PostgreSQL), pending idleness (SQLite) */
    async foldAll(): Promise<void> {
      while ((await rollupsRepository.fold(20_000)) === 20_000);
      while ((await activity.fold(20_000)) === 20_000);
    },
    stage: new StageEventsService(bus, access, units),
    evidence: new EvidenceService(bus, new EvidenceRepository(db)),
    oversight: new OversightService(rollupsRepository, activity, units, access, clock),
  };
}
