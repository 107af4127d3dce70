import type { Db } from '../../src/database/db.js';

/**
 * Runs SQL "behind the service's back", as an intruder with database access would: with the append-only
 * triggers out of the way for the duration.
 */
export async function behindTheServicesBack(
  db: Db,
  statements: { sql: string; params?: (string | number | null)[] }[],
): Promise<void> {
  await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') {
      await tx.run('ALTER TABLE unit_events DISABLE TRIGGER USER');
    } else {
      await tx.run('DROP TRIGGER unit_events_no_update');
      await tx.run('DROP TRIGGER unit_events_no_delete');
    }
    for (const s of statements) await tx.run(s.sql, s.params ?? []);
    if (tx.dialect === 'postgres') {
      await tx.run('ALTER TABLE unit_events ENABLE TRIGGER USER');
    } else {
      await tx.run(
        "CREATE TRIGGER unit_events_no_update BEFORE UPDATE ON unit_events BEGIN SELECT RAISE(ABORT, 'unit_events is append-only: UPDATE refused'); END",
      );
      await tx.run(
        "CREATE TRIGGER unit_events_no_delete BEFORE DELETE ON unit_events BEGIN SELECT RAISE(ABORT, 'unit_events is append-only: DELETE refused'); END",
      );
    }
  });
}
