/**
 * The write part of the national bench: durable LAUNCHes with rollups maintained against the same writes without
 * them, interleaved in the same run, by 8 concurrent clients (on SQLite they share the one writer and its group
 * commit; on PostgreSQL each has its own connection).
 *
 * Three measures, the first two over units whose parent has launched (LAUNCH needs it) and that are still registered:
 * - `plan + LAUNCH`: a study plan (evidence) then the LAUNCH, both durable;
 * - `LAUNCH` alone (the plans filed beforehand, untimed): state-changing transitions per second, and deadlocks;
 * - evidence alone: study sessions on the units each side launched — the commonest command of a campaign, which
 *   changes no rollup but moves the unit's idleness.
 * Rounds alternate which side goes first, so that the machine's drift (other processes, caches warming) falls on
 * both; each side's rate is its launches over its own time summed across rounds. The side with rollups folds what it
 * left for the background (rollup deltas on PostgreSQL, pending idleness rows on SQLite) inside its own time.
 */
import type { Principal } from '../src/auth/principal.js';
import type { Db } from '../src/database/db.js';
import type { nationalServices } from './national-services.js';

type Services = ReturnType<typeof nationalServices>;
const ADMIN: Principal = { sub: 'bench', role: 'ADMIN', scopeUnitId: null };

interface Run {
  /** the commands timed (LAUNCHes, or study sessions) */
  launches: number;
  ms: number;
  deadlocks: number;
  failed: number;
}

const plan = (s: Services, unitId: string) =>
  s.evidence.fileStudyPlan(ADMIN, { unitId, topics: ['党章'], plannedDays: 5 } as never);

/** Evidence on a launched unit: a study session (changes no rollup; moves the unit's idleness). */
const session = (s: Services, unitId: string) =>
  s.evidence.recordStudySession(ADMIN, {
    unitId,
    format: 'CONCENTRATED',
    occurredAt: new Date(),
    hours: 2,
    attendees: 9,
    topic: '党章',
  } as never);

/**
 * `count` commands by `writers` concurrent clients, the i-th by `command(i)` (true: accepted). With rollups, the time
 * includes folding what the writes left for the background folder (its work is theirs).
 */
async function timed(
  s: Services,
  count: number,
  writers: number,
  command: (i: number) => Promise<boolean>,
): Promise<Run> {
  let next = 0;
  const run: Run = { launches: count, ms: 0, deadlocks: 0, failed: 0 };
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) {
        try {
          if (!(await command(next++))) run.failed++;
        } catch (error) {
          if ((error as { code?: string }).code === '40P01') run.deadlocks++;
          else run.failed++;
        }
      }
    }),
  );
  await s.foldAll();
  run.ms = Number(process.hrtime.bigint() - started) / 1e6;
  return run;
}

/** `count` study sessions on these launched units, round robin, by `writers` concurrent clients. */
const sessions = (s: Services, unitIds: string[], count: number, writers: number) =>
  timed(
    s,
    count,
    writers,
    async (i) => (await session(s, unitIds[i % unitIds.length])).__typename === 'EvidenceRecorded',
  );

/** `unitIds` LAUNCHed by `writers` concurrent clients (with their plan first when `withPlan`). */
const launches = (s: Services, unitIds: string[], writers: number, withPlan: boolean) =>
  timed(s, unitIds.length, writers, async (i) => {
    if (withPlan) await plan(s, unitIds[i]);
    return (
      (await s.stage.send(ADMIN, { unitId: unitIds[i], event: 'LAUNCH' } as never)).__typename === 'TransitionAccepted'
    );
  });

/**
 * Launches `unitId` and its ancestors, root first, each with its plan (LAUNCH needs the parent launched); those
 * already past registration are left as they are. Returns the ids it launched; a refused LAUNCH stops the bench.
 */
export async function launchChainTo(s: Services, unitId: string): Promise<string[]> {
  const launched: string[] = [];
  const unit = (await s.units.findById(unitId))!;
  for (const id of unit.ancestors.filter((a): a is string => a !== null)) {
    if ((await s.units.findById(id))!.phase !== 'registered') continue;
    const run = await launches(s, [id], 1, true);
    if (run.failed || run.deadlocks) throw new Error(`the bench could not launch ${id}, on the chain to ${unitId}`);
    launched.push(id);
  }
  return launched;
}

/**
 * Registered units under launched parents, at least `wanted` of them where the tree has them: the parents with the
 * most children first (the busiest county's first), each launched with its ancestors (with rollups maintained).
 */
async function launchablePool(db: Db, s: Services, wanted: number): Promise<string[]> {
  const parents = await db.query<{ parent_id: string; n: number }>(
    'SELECT parent_id, COUNT(*) AS n FROM units WHERE parent_id IS NOT NULL GROUP BY parent_id ORDER BY COUNT(*) DESC, parent_id LIMIT 200',
  );
  const pool = new Set<string>();
  for (const { parent_id } of parents) {
    if (pool.size >= wanted) break;
    for (const id of await launchChainTo(s, parent_id)) pool.delete(id);
    const children = await db.query<{ id: string }>(
      "SELECT id FROM units WHERE parent_id = ? AND phase = 'registered' ORDER BY id",
      [parent_id],
    );
    for (const { id } of children) pool.add(id);
  }
  return [...pool];
}

export interface WriteFigures {
  /** plan + LAUNCH per second, with rollups maintained / without, and their ratio */
  launchesPerSecondWithRollups: number;
  launchesPerSecondWithout: number;
  withOverWithout: number;
  /** LAUNCH alone (plans filed beforehand): state-changing transitions per second */
  transitionsPerSecondWithRollups: number;
  transitionsPerSecondWithout: number;
  transitionsWithOverWithout: number;
  /** evidence alone (study sessions on launched units, the commonest command of a campaign): per second */
  evidencePerSecondWithRollups: number;
  evidencePerSecondWithout: number;
  evidenceWithOverWithout: number;
  writers: number;
  deadlocks: number;
  failed: number;
  launchesPerSide: number;
  rounds: number;
}

export async function measureWrites(
  db: Db,
  withRollups: Services,
  without: Services,
  writers: number,
  perSide: number,
  rounds: number,
): Promise<WriteFigures> {
  const pool = await launchablePool(db, withRollups, 4 * perSide);
  const per = Math.floor(Math.min(pool.length, 4 * perSide) / (4 * rounds));
  const take = () => pool.splice(0, per);
  const totals = {
    planWith: [0, 0],
    planWithout: [0, 0],
    launchWith: [0, 0],
    launchWithout: [0, 0],
    evidenceWith: [0, 0],
    evidenceWithout: [0, 0],
  };
  // the units each side launched: its study sessions go to them
  const launchedBy = new Map<Services, string[]>([
    [withRollups, []],
    [without, []],
  ]);
  let deadlocks = 0;
  let failed = 0;
  const add = (into: number[], run: Run) => {
    into[0] += run.launches;
    into[1] += run.ms;
    deadlocks += run.deadlocks;
    failed += run.failed;
  };
  for (let r = 0; r < rounds; r++) {
    const sides = [
      [without, totals.planWithout, totals.launchWithout],
      [withRollups, totals.planWith, totals.launchWith],
    ] as const;
    for (const [s, planned, launched] of r % 2 === 0 ? sides : [...sides].reverse()) {
      const plannedIds = take();
      add(planned, await launches(s, plannedIds, writers, true));
      // LAUNCH alone: the plans are filed first, one client, untimed
      const ids = take();
      for (const id of ids) await plan(s, id);
      add(launched, await launches(s, ids, writers, false));
      launchedBy.get(s)!.push(...plannedIds, ...ids);
    }
  }
  // evidence alone, on each side's launched units: as many sessions per round as LAUNCHes per side and measure
  for (let r = 0; r < rounds; r++) {
    const sides = [
      [without, totals.evidenceWithout],
      [withRollups, totals.evidenceWith],
    ] as const;
    for (const [s, into] of r % 2 === 0 ? sides : [...sides].reverse())
      add(into, await sessions(s, launchedBy.get(s)!, 2 * per, writers));
  }
  const rate = ([n, ms]: number[]) => (ms > 0 ? n / (ms / 1000) : 0);
  const ratio = (a: number[], b: number[]) => Number((rate(a) / rate(b)).toFixed(2));
  return {
    launchesPerSecondWithRollups: Math.round(rate(totals.planWith)),
    launchesPerSecondWithout: Math.round(rate(totals.planWithout)),
    withOverWithout: ratio(totals.planWith, totals.planWithout),
    transitionsPerSecondWithRollups: Math.round(rate(totals.launchWith)),
    transitionsPerSecondWithout: Math.round(rate(totals.launchWithout)),
    transitionsWithOverWithout: ratio(totals.launchWith, totals.launchWithout),
    evidencePerSecondWithRollups: Math.round(rate(totals.evidenceWith)),
    evidencePerSecondWithout: Math.round(rate(totals.evidenceWithout)),
    evidenceWithOverWithout: ratio(totals.evidenceWith, totals.evidenceWithout),
    writers,
    deadlocks,
    failed,
    launchesPerSide: per * rounds,
    rounds,
  };
}
