import type { Db } from '../../../src/database/db.js';

/** Everything a command on a unit may write, read straight from the tables: two footprints equal ⇔ nothing was written. */
export interface UnitFootprint {
  state: { version: number; headHash: string; stateValue: string; context: string; updatedAt: number };
  phase: string;
  events: number;
  snapshots: number;
  attempts: number;
  opinions: number;
  idempotencyKeys: number;
}

const count = async (db: Db, sql: string, unitId: string): Promise<number> =>
  Number((await db.query<{ n: number | string }>(sql, [unitId]))[0].n);

export async function footprintOf(db: Db, unitId: string): Promise<UnitFootprint> {
  const [state] = await db.query<Record<string, unknown>>(
    'SELECT version, head_hash, state_value, context, updated_at FROM unit_states WHERE unit_id = ?',
    [unitId],
  );
  const [unit] = await db.query<{ phase: string }>('SELECT phase FROM units WHERE id = ?', [unitId]);
  return {
    state: {
      version: Number(state.version),
      headHash: state.head_hash as string,
      stateValue: state.state_value as string,
      context: state.context as string,
      updatedAt: Number(state.updated_at),
    },
    phase: unit.phase,
    events: await count(db, 'SELECT COUNT(*) AS n FROM unit_events WHERE unit_id = ?', unitId),
    snapshots: await count(db, 'SELECT COUNT(*) AS n FROM unit_snapshots WHERE unit_id = ?', unitId),
    attempts: await count(db, 'SELECT COUNT(*) AS n FROM command_attempts WHERE unit_id = ?', unitId),
    opinions: await count(db, 'SELECT COUNT(*) AS n FROM opinions WHERE target_unit_id = ?', unitId),
    idempotencyKeys: await count(db, 'SELECT COUNT(*) AS n FROM idempotency_keys WHERE unit_id = ?', unitId),
  };
}
