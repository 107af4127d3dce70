/**
 * The reference of `npm run bench`: the least a server can do for the same durable work, with none of the service's
 * machinery (no Nest, no GraphQL, no statechart, no ORM). Fastify + better-sqlite3 with the service's pragmas
 * (WAL, synchronous=FULL, foreign keys on):
 *   POST /units/:id/events  BEGIN IMMEDIATE; read the unit's snapshot row; insert an event row;
 *                           compare-and-set the snapshot `WHERE version = ?`; COMMIT → JSON
 *   GET  /units/:id/status  one row by id → JSON
 * Run as a child process by service.bench.ts (it reports its URL over IPC and stops on 'stop').
 */
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { initialSnapshot, RULEBOOK_V1, step, type CampaignEvent } from '../machines/index.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS units (id TEXT PRIMARY KEY, name TEXT NOT NULL, phase TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unit_states (
  unit_id TEXT PRIMARY KEY REFERENCES units(id),
  state_value TEXT NOT NULL, context TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS unit_events (
  unit_id TEXT NOT NULL REFERENCES units(id), seq INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
  actor TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (unit_id, seq)
);`;

export interface ReferenceServer {
  url: string;
  close(): Promise<void>;
}

export async function startReference(path: string, unitIds: readonly string[]): Promise<ReferenceServer> {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.exec(SCHEMA);
  const reader = new BetterSqlite3(path, { readonly: true });

  // the snapshot of a launched village branch, as the service holds it when the load starts
  const launchedAt = Date.now() - 60_000;
  let seed = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
  for (const event of [
    {
      type: 'FILE_STUDY_PLAN',
      topics: ['党章党规', '焦裕禄精神'],
      plannedDays: 3,
      at: new Date(launchedAt - 1000).toISOString(),
    },
    { type: 'LAUNCH', parentLaunched: true, at: new Date(launchedAt).toISOString() },
  ] as const) {
    const result = step(seed, event as unknown as CampaignEvent, RULEBOOK_V1);
    if (!result.ok) throw new Error(`reference seed: ${JSON.stringify(result)}`);
    seed = result.snapshot;
  }
  const insertUnit = db.prepare('INSERT INTO units (id, name, phase) VALUES (?, ?, ?)');
  const insertState = db.prepare(
    'INSERT INTO unit_states (unit_id, state_value, context, version, updated_at) VALUES (?, ?, ?, 0, ?)',
  );
  db.transaction(() => {
    for (const id of unitIds) {
      insertUnit.run(id, `unit ${id}`, 'stage1');
      insertState.run(id, JSON.stringify(seed.value), JSON.stringify(seed.context), Date.now());
    }
  })();

  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const loadState = db.prepare('SELECT unit_id, state_value, context, version FROM unit_states WHERE unit_id = ?');
  const appendEvent = db.prepare(
    'INSERT INTO unit_events (unit_id, seq, type, payload, actor, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const compareAndSet = db.prepare(
    'UPDATE unit_states SET context = ?, version = ?, updated_at = ? WHERE unit_id = ? AND version = ?',
  );
  const readStatus = reader.prepare('SELECT state_value, version FROM unit_states WHERE unit_id = ?');

  const app = Fastify({ logger: false });
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/units/:id/events', async (request, reply) => {
    const unitId = request.params.id;
    const at = Date.now();
    begin.run();
    try {
      const row = loadState.get(unitId) as { context: string; version: number } | undefined;
      if (!row) {
        rollback.run();
        return reply.code(404).send({ error: 'not found' });
      }
      const context = JSON.parse(row.context) as Record<string, unknown>;
      const seq = row.version + 1;
      appendEvent.run(unitId, seq, 'STUDY_SESSION', JSON.stringify(request.body ?? {}), 'officer', at);
      const changed = compareAndSet.run(JSON.stringify(context), seq, at, unitId, row.version).changes;
      if (changed !== 1) {
        rollback.run();
        return reply.code(409).send({ error: 'version conflict' });
      }
      commit.run();
      return { accepted: true, unitId, seq, version: seq };
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw error;
    }
  });
  app.get<{ Params: { id: string } }>('/units/:id/status', async (request, reply) => {
    const row = readStatus.get(request.params.id) as { state_value: string; version: number } | undefined;
    if (!row) return reply.code(404).send({ error: 'not found' });
    const value = JSON.parse(row.state_value) as unknown;
    return {
      unitId: request.params.id,
      phase: typeof value === 'string' ? value : Object.keys(value as object)[0],
      value,
      version: row.version,
    };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      reader.close();
      db.close();
    },
  };
}
