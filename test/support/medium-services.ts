import { RulebookStore } from '../../src/rulebooks/rulebook-store.js';
import { Access } from '../../src/commands/access.js';
import { CommandBus } from '../../src/commands/command-bus.js';
import { CommandListeners } from '../../src/commands/command-listeners.js';
import { Idempotency } from '../../src/commands/idempotency/idempotency.js';
import { IdempotencyRepository } from '../../src/commands/idempotency/idempotency.repository.js';
import { SeparationOfDuties } from '../../src/commands/separation-of-duties.js';
import { UnitTransaction } from '../../src/commands/unit-transaction.js';
import type { Db } from '../../src/database/db.js';
import { EventStoreRepository } from '../../src/history/event-store.repository.js';
import { HistoryService } from '../../src/history/history.service.js';
import { UnitsRepository } from '../../src/tree/units.repository.js';
import { UnitsService } from '../../src/units/units.service.js';
import { ManualClock } from './test-app.js';

/**
 * The real services of the command path on a real (medium-test) database, wired by hand as Nest would: only what
 * lies outside is replaceable (the clock; a repository a test wants to watch or break). The subject is `sut` in specs.
 */
export function mediumServices(
  db: Db,
  overrides: { clock?: ManualClock; store?: EventStoreRepository; units?: UnitsRepository } = {},
) {
  const clock = overrides.clock ?? new ManualClock();
  const store = overrides.store ?? new EventStoreRepository(db);
  const units = overrides.units ?? new UnitsRepository(db);
  const rulebooks = RulebookStore.over(db);
  const history = new HistoryService(store, rulebooks);
  const access = new Access(units);
  const idempotency = new Idempotency(new IdempotencyRepository(db));
  const listeners = new CommandListeners();
  const transaction = new UnitTransaction(
    history,
    idempotency,
    units,
    listeners,
    new SeparationOfDuties(history),
    rulebooks,
  );
  const bus = new CommandBus(access, idempotency, transaction, db, clock, history);
  const unitsService = new UnitsService(units, bus, access, history, clock, listeners);
  return { clock, store, units, rulebooks, history, access, idempotency, listeners, bus, unitsService };
}
