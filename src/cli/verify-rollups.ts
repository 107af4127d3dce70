import type { Db } from '../database/db.js';
import { EventStoreRepository } from '../history/event-store.repository.js';
import { ActivityRepository } from '../oversight/activity.repository.js';
import { RollupVerifier } from '../oversight/rollup-verifier.js';
import { RollupsRepository } from '../oversight/rollups.repository.js';
import { UnitsRepository } from '../tree/units.repository.js';

interface Io {
  out(text: string): void;
  err(text: string): void;
  tty: boolean;
}

/** Shown at most: a broken rollup near the root differs in every counter, and so do all its ancestors. */
const MAX_SHOWN = 100;

/** `audit verify-rollups [--root ID]`: recounts every rollup from the units; exit 1 on any difference. */
export async function verifyRollups(io: Io, db: Db, rootId: string | null): Promise<number> {
  const units = new UnitsRepository(db);
  if (rootId !== null && !(await units.findById(rootId))) {
    io.err(`audit: --root ${rootId}: no such unit\n`);
    return 2;
  }
  const verifier = new RollupVerifier(
    units,
    new EventStoreRepository(db),
    new RollupsRepository(db),
    new ActivityRepository(db),
  );
  const startedAt = Date.now();
  const result = await verifier.verify(rootId, (done) => {
    if (io.tty) io.err(`\r${done} rollups compared`);
  });
  if (io.tty) io.err('\n');
  for (const d of result.differences.slice(0, MAX_SHOWN)) {
    io.out(`DIFFERS ${d.unitId} ${JSON.stringify(d.name)} ${d.field}: stored ${d.stored}, recounted ${d.recounted}\n`);
  }
  if (result.differences.length > MAX_SHOWN) io.out(`… ${result.differences.length - MAX_SHOWN} more differences\n`);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const ok = result.differences.length === 0;
  io.out(
    `${ok ? 'OK' : 'DIFFERS'}: ${result.units} rollups recounted from the units in ${seconds} s, ${result.differences.length} differences\n`,
  );
  return ok ? 0 : 1;
}
