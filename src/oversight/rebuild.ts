import type { QueryRunner } from 'typeorm';
import { STAGE_EVENTS, type StoredSnapshot } from '../../machines/index.js';
import { idleSinceOf } from './activity.repository.js';
import { add, contributionOf, COUNTERS, zero, type Counters } from './counters.js';
import { campaignDay } from './rollup-maintainer.js';

type Raw = Record<string, unknown>;
const LEVELS = ['l0_id', 'l1_id', 'l2_id', 'l3_id', 'l4_id'];
const ALL_LEVELS = [...LEVELS, 'l5_id'];
const BATCH = 200;

/**
 * Fills the oversight tables of a database that has units but none of them (the migration that creates the tables):
 * every rollup from the stored snapshots, refusals from the attempts log, idleness from the snapshots' times.
 */
export async function rebuildOversight(queryRunner: QueryRunner): Promise<void> {
  const pg = queryRunner.connection.options.type === 'postgres';
  const run = (sql: string, params: unknown[] = []) => {
    let n = 0;
    return queryRunner.query(pg ? sql.replace(/\?/g, () => `$${++n}`) : sql, params) as Promise<Raw[]>;
  };
  const units = await run(
    `SELECT u.id, u.parent_id, u.kind, ${ALL_LEVELS.map((l) => `u.${l}`).join(', ')}, s.state_value, s.context, s.updated_at FROM units u JOIN unit_states s ON s.unit_id = u.id`,
  );
  if (units.length === 0) return;
  const sums = new Map<string, Counters>();
  const lineage = (u: Raw) => ALL_LEVELS.map((l) => u[l] as string | null).filter((id): id is string => id !== null);
  const launched = new Map<string, number | null>();
  for (const u of units) {
    const snapshot: StoredSnapshot = {
      value: JSON.parse(u.state_value as string),
      context: JSON.parse(u.context as string),
    };
    launched.set(u.id as string, snapshot.context.launchedAt);
    const own = contributionOf(snapshot);
    for (const id of lineage(u)) add(sums.get(id) ?? sums.set(id, zero()).get(id)!, own);
  }
  const stage = STAGE_EVENTS.map(() => '?').join(', ');
  const attempts = await run(`SELECT unit_id, at FROM command_attempts WHERE command IN (${stage})`, [...STAGE_EVENTS]);
  const byUnit = new Map(units.map((u) => [u.id as string, u]));
  const ownDays = new Map<string, number>();
  const subtreeDays = new Map<string, number>();
  for (const a of attempts) {
    const unit = byUnit.get(a.unit_id as string);
    if (!unit) continue;
    const day = campaignDay(Number(a.at));
    ownDays.set(`${unit.id}|${day}`, (ownDays.get(`${unit.id}|${day}`) ?? 0) + 1);
    for (const id of lineage(unit)) {
      sums.get(id)!.refused_stage_events++;
      subtreeDays.set(`${id}|${day}`, (subtreeDays.get(`${id}|${day}`) ?? 0) + 1);
    }
  }
  await insertRows(
    run,
    'rollups',
    ['unit_id', ...COUNTERS],
    [...sums].map(([id, c]) => [id, ...COUNTERS.map((k) => c[k])]),
  );
  await insertRows(
    run,
    'rollup_refusals',
    ['unit_id', 'day', 'refused'],
    [...subtreeDays].map(([key, n]) => [...splitKey(key), n]),
  );
  await insertRows(
    run,
    'unit_refusals',
    ['unit_id', 'day', 'refused', ...LEVELS],
    [...ownDays].map(([key, n]) => {
      const [id, day] = splitKey(key);
      return [id, day, n, ...LEVELS.map((l) => byUnit.get(id as string)![l] as string | null)];
    }),
  );
  await insertRows(
    run,
    'unit_activity',
    [
      'unit_id',
      'parent_id',
      ...LEVELS,
      'kind',
      'registered',
      'done',
      'launched_at',
      'parent_launched_at',
      'last_event_at',
      'idle_since',
    ],
    units.map((u) => {
      const snapshot = JSON.parse(u.state_value as string) as unknown;
      const registered = snapshot === 'registered';
      const lastEventAt = Number(u.updated_at);
      // the parent's launch once it came before the unit's last event (as the command path records it)
      const parentLaunch = u.parent_id ? (launched.get(u.parent_id as string) ?? null) : null;
      const parentLaunchedAt = parentLaunch !== null && parentLaunch <= lastEventAt ? parentLaunch : null;
      return [
        u.id,
        u.parent_id,
        ...LEVELS.map((l) => u[l]),
        u.kind,
        registered ? 1 : 0,
        snapshot === 'stage1Complete' ? 1 : 0,
        launched.get(u.id as string) ?? null,
        parentLaunchedAt,
        lastEventAt,
        idleSinceOf({ registered, parentLaunchedAt, lastEventAt }),
      ];
    }),
  );
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('|');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

async function insertRows(
  run: (sql: string, params: unknown[]) => Promise<unknown>,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${batch.map(() => row).join(', ')}`, batch.flat());
  }
}
