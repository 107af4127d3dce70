/**
 * What the verification and migration benches share: a bounded number from the environment, a throw-away SQLite
 * database, a county of villages, and writing every unit with a legal, hash-chained v1 history (its genesis
 * snapshot, its events, the snapshots the service keeps every SNAPSHOT_EVERY events, its current snapshot) — the
 * history folded once through the statechart first, so that a bench never measures an illegal history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandListeners } from '../src/commands/command-listeners.js';
import { uuidv7 } from '../src/common/ids.js';
import { loadConfig, type AppConfig } from '../src/config/app-config.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db, type Tx } from '../src/database/db.js';
import { EventStoreRepository, type EventRow, type UnitState } from '../src/history/event-store.repository.js';
import { builtInRulebook } from '../machines/index.js';
import { foldEvent, genesisSnapshot } from '../src/history/fold.js';
import { eventHash, genesisHash } from '../src/history/hash-chain.js';
import { SNAPSHOT_EVERY } from '../src/history/history.service.js';
import { ancestorsFor } from '../src/tree/unit-tree.js';
import { UnitsRepository, type UnitRow } from '../src/tree/units.repository.js';

export const T0 = Date.parse('2014-03-01T00:00:00Z');
export const HOUR = 3_600_000;

/** An event of a bench history before the chain numbers and hashes it. */
export type BenchEvent = Omit<EventRow, 'prevHash' | 'hash' | 'seq'>;

/** A whole number from the environment, within bounds (a typo fails the bench instead of measuring something else). */
export function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** The fields every event of a bench history shares: an officer's, under rulebook v1. */
export const officerEvent = (unitId: string) => ({
  unitId,
  actor: 'bench-officer',
  role: 'OFFICER',
  reason: null,
  rulebookVersion: 1,
  override: false,
  idempotencyKey: null,
});

export interface BenchDatabase {
  config: AppConfig;
  db: Db;
  /** closes the database and deletes its directory */
  close(): Promise<void>;
}

/**
 * A fresh database with every migration run: SQLite (WAL, synchronous=FULL) in a temporary directory, or, when
 * BENCH_DATABASE_URL names a PostgreSQL server (`postgres://…`), a schema of its own there, dropped afterwards.
 */
export async function openBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const server = process.env.BENCH_DATABASE_URL;
  const dir = server ? null : mkdtempSync(join(tmpdir(), `lookback-${prefix}-bench-`));
  const schema = `bench_${prefix}_${process.pid}`;
  const url = server
    ? `${server}${server.includes('?') ? '&' : '?'}schema=${schema}`
    : `sqlite:${join(dir!, 'bench.db')}`;
  const config = loadConfig({ DATABASE_URL: url });
  const dataSource = await openDatabase(config.database);
  const db = new Db(dataSource);
  return {
    config,
    db,
    close: async () => {
      if (server) await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
      await dataSource.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A county (the root, of `rootKind`) and `villages` villages directly under it. */
export function benchCounty(villages: number, rootKind = 'GRASSROOTS'): { root: UnitRow; villages: UnitRow[] } {
  const rootId = uuidv7(T0);
  const root: UnitRow = {
    id: rootId,
    name: '基准县',
    kind: rootKind,
    parentId: null,
    depth: 0,
    ancestors: ancestorsFor(rootId, null),
    leaderCount: 0,
    phase: 'stage1',
    createdAt: T0 - 2 * HOUR,
    updatedAt: T0,
  };
  const rows: UnitRow[] = [];
  for (let i = 1; i <= villages; i++) {
    const id = uuidv7(T0);
    rows.push({
      id,
      name: `村${i}`,
      kind: 'GRASSROOTS',
      parentId: rootId,
      depth: 1,
      ancestors: ancestorsFor(id, { depth: 0, ancestors: root.ancestors }),
      leaderCount: 0,
      phase: 'stage1',
      createdAt: T0 - 2 * HOUR,
      updatedAt: T0,
    });
  }
  return { root, villages: rows };
}

/**
 * Writes `units` (parents first), each with the history `historyOf` gives it — every unit's history must fold to
 * the same snapshot (the unit id is not in the context): the first is folded and checked legal, the others reuse
 * its snapshots. A unit with no history stays `registered`. With `listeners`, each unit is announced as created
 * with its current snapshot (the oversight rows start exact, as if every event had gone through the command path).
 * Returns the number of events written.
 */
export async function writeHistories(
  db: Db,
  units: readonly UnitRow[],
  historyOf: (unitId: string) => BenchEvent[],
  options: { unitsPerTransaction?: number; listeners?: CommandListeners } = {},
): Promise<number> {
  const withHistory = units.find((u) => historyOf(u.id).length > 0);
  const genesis = genesisSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, 1, builtInRulebook);
  let snapshot = genesis;
  const kept = new Map<number, typeof snapshot>();
  for (const [i, event] of (withHistory ? historyOf(withHistory.id) : []).entries()) {
    const step = foldEvent(snapshot, { ...event, seq: i + 1, prevHash: '', hash: '' }, builtInRulebook);
    if (!step.ok) throw new Error(`bench history is not legal at event ${i + 1}: ${JSON.stringify(step)}`);
    snapshot = step.snapshot;
    if ((i + 1) % SNAPSHOT_EVERY === 0) kept.set(i + 1, snapshot);
  }
  const unitsRepository = new UnitsRepository(db);
  const store = new EventStoreRepository(db);
  let events = 0;
  const writeUnits = async (tx: Tx, chunk: readonly UnitRow[]) => {
    for (const unit of chunk) {
      if (unit.kind !== 'GRASSROOTS' && historyOf(unit.id).length > 0)
        throw new Error('bench histories are villages’ histories');
      await unitsRepository.insert(tx, unit);
      let prevHash = genesisHash({
        unitId: unit.id,
        kind: unit.kind,
        leaderCount: unit.leaderCount,
        rulebookVersion: 1,
      });
      const first = unit.kind === 'GRASSROOTS' ? genesis : genesisSnapshot(unit, 1, builtInRulebook);
      await store.insertSnapshot(tx, {
        unitId: unit.id,
        seq: 0,
        at: unit.createdAt,
        snapshot: first,
        rulebookVersion: 1,
      });
      const history = historyOf(unit.id);
      for (const [i, e] of history.entries()) {
        const fields = { ...e, seq: i + 1, prevHash };
        const row: EventRow = { ...fields, hash: eventHash(fields) };
        await store.appendEvent(tx, row);
        const after = kept.get(i + 1);
        if (after)
          await store.insertSnapshot(tx, {
            unitId: unit.id,
            seq: i + 1,
            at: e.at,
            snapshot: after,
            rulebookVersion: 1,
          });
        prevHash = row.hash;
        events++;
      }
      const state: UnitState = {
        unitId: unit.id,
        snapshot: history.length ? snapshot : first,
        version: history.length,
        rulebookVersion: 1,
        headHash: prevHash,
        updatedAt: history.at(-1)?.at ?? unit.createdAt,
      };
      await store.insertState(tx, state);
      await options.listeners?.created(tx, unit, state);
    }
  };
  const step = options.unitsPerTransaction ?? 500;
  for (let i = 0; i < units.length; i += step) await db.transaction((tx) => writeUnits(tx, units.slice(i, i + step)));
  return events;
}
