/**
 * Migration speed (rule 5, 查漏补缺): BENCH_MIGRATE_UNITS units (default 200,000: a county and its villages, each with
 * a legal v1 history of BENCH_MIGRATE_EVENTS events: plan, launch, study evidence, opinions, COMPLETE_STUDY) in
 * SQLite (or PostgreSQL: BENCH_DATABASE_URL=postgres://…), with the oversight rows (rollups, activity) and the live
 * updates wired as the server wires them; then `migrateUnits` to v2 as the service runs it (MigrationService: the
 * command path's unit migration, MIGRATION_BATCH units per transaction) — a dry run, then the real run — and, in the
 * same run, a reference that reads the same rows in the same batches and does nothing else. After the real run every
 * history is verified (AuditService.verifyBatch: chain, replay, snapshot) and every rollup recounted
 * (`audit verify-rollups`). Prints one JSON object: units/s of each run, ratios to the reference and to the target.
 * `npm run bench:migrate` starts it with the same young generation as `npm run rulebook` (`--max-semi-space-size=32`).
 */
import 'reflect-metadata';
import { RulebookStore } from '../src/rulebooks/rulebook-store.js';
import { loadavg } from 'node:os';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { AuditService } from '../src/audit/audit.service.js';
import type { Principal } from '../src/auth/principal.js';
import { SystemClock } from '../src/clock/clock.js';
import { Access } from '../src/commands/access.js';
import { CommandListeners } from '../src/commands/command-listeners.js';
import { UnitMigration } from '../src/commands/unit-migration.js';
import { UnitMigrationRepository } from '../src/commands/unit-migration.repository.js';
import { EventStoreRepository } from '../src/history/event-store.repository.js';
import { Readiness } from '../src/health/readiness.js';
import { ChangeFeed } from '../src/live/change-feed.js';
import { ChangeNotificationsRepository } from '../src/live/change-notifications.repository.js';
import { LiveUpdatesPublisher } from '../src/live/live-updates.publisher.js';
import { ActivityRepository } from '../src/oversight/activity.repository.js';
import { RollupMaintainer } from '../src/oversight/rollup-maintainer.js';
import { RollupVerifier } from '../src/oversight/rollup-verifier.js';
import { RollupsRepository } from '../src/oversight/rollups.repository.js';
import { MigrationRepository } from '../src/rulebooks/migration.repository.js';
import type { MigrationReportData } from '../src/rulebooks/migration-report.js';
import { MIGRATION_BATCH, MigrationService } from '../src/rulebooks/migration.service.js';
import { UnitsRepository } from '../src/tree/units.repository.js';
import {
  benchCounty,
  bounded,
  HOUR,
  officerEvent,
  openBenchDatabase,
  T0,
  writeHistories,
  type BenchEvent,
} from './bench-histories.js';

const UNITS = bounded('BENCH_MIGRATE_UNITS', 200_000, 100, 1_000_000);
const EVENTS_PER_UNIT = bounded('BENCH_MIGRATE_EVENTS', 10, 7, 60);
const TARGET = 5_000;
const ADMIN: Principal = { sub: 'bench-admin', role: 'ADMIN', scopeUnitId: null };

/** A village's legal v1 history: plan, launch, a discussion, the film, a lecture, opinions, then COMPLETE_STUDY. */
function historyOf(unitId: string): BenchEvent[] {
  const base = officerEvent(unitId);
  const at = (i: number) => T0 + HOUR * (i + 1);
  const occurred = (i: number) => new Date(at(i) - HOUR / 2).toISOString();
  const events: BenchEvent[] = [
    {
      ...base,
      type: 'FILE_STUDY_PLAN',
      payload: { unitId, topics: ['群众路线'], plannedDays: 3 },
      at: at(-1),
      occurredAt: null,
      recordedAt: at(-1),
    },
    {
      ...base,
      type: 'LAUNCH',
      payload: { unitId, event: 'LAUNCH', parentLaunched: true },
      at: at(0),
      occurredAt: null,
      recordedAt: at(0),
    },
    {
      ...base,
      type: 'STUDY_SESSION',
      payload: {
        unitId,
        format: 'GROUP_DISCUSSION',
        occurredAt: occurred(1),
        hours: 2,
        attendees: 15,
        topic: '学习讨论',
      },
      at: at(1),
      occurredAt: Date.parse(occurred(1)),
      recordedAt: at(1),
    },
    {
      ...base,
      type: 'FILM_SCREENING',
      payload: { unitId, title: '焦裕禄', occurredAt: occurred(2) },
      at: at(2),
      occurredAt: Date.parse(occurred(2)),
      recordedAt: at(2),
    },
    {
      ...base,
      type: 'PARTY_LECTURE',
      payload: { unitId, lecturer: '李书记', occurredAt: occurred(3), audienceUnitId: null },
      at: at(3),
      occurredAt: Date.parse(occurred(3)),
      recordedAt: at(3),
    },
  ];
  for (let i = 4; i < EVENTS_PER_UNIT - 2; i++) {
    const payload = {
      targetUnitId: unitId,
      collectedByUnitId: unitId,
      channel: 'HOME_VISIT',
      category: 'FORMALISM',
      text: `意见 ${i}`,
      occurredAt: occurred(i),
      opinionId: `op-${unitId}-${i}`,
    };
    events.push({
      ...base,
      type: 'OPINION_RECORDED',
      payload,
      at: at(i),
      occurredAt: Date.parse(occurred(i)),
      recordedAt: at(i),
    });
  }
  const complete = at(30);
  events.push({
    ...base,
    type: 'COMPLETE_STUDY',
    payload: { unitId, event: 'COMPLETE_STUDY' },
    at: complete,
    occurredAt: null,
    recordedAt: complete,
  });
  return events;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
/** CPU seconds of this process since `since` (steadier than wall-clock on a shared machine). */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function main(): Promise<void> {
  const bench = await openBenchDatabase('migrate');
  const { config, db } = bench;
  try {
    const unitsRepository = new UnitsRepository(db);
    const store = new EventStoreRepository(db);
    const rollups = new RollupsRepository(db);
    const activity = new ActivityRepository(db);
    // the listeners the server registers: the oversight rows kept exact, live updates after the commit
    const listeners = new CommandListeners();
    new RollupMaintainer(listeners, rollups, activity).onModuleInit();
    const feed = new ChangeFeed();
    new LiveUpdatesPublisher(
      config,
      listeners,
      feed,
      new Readiness(),
      unitsRepository,
      new ChangeNotificationsRepository(),
    ).onModuleInit();

    let started = process.hrtime.bigint();
    const { root, villages } = benchCounty(UNITS - 1);
    const units = [root, ...villages];
    const events = await writeHistories(db, units, historyOf, { listeners });
    const buildSeconds = seconds(started);
    const migration = new MigrationService(
      new Access(unitsRepository),
      unitsRepository,
      new MigrationRepository(db),
      new UnitMigration(store, new UnitMigrationRepository(), listeners, RulebookStore.over(db)),
      db,
      new SystemClock(),
    );

    let cpu = process.cpuUsage();
    // reference: the same walk of the subtree and the same batches: each unit read, its snapshot locked, its events
    // read — the same statements as the migration, and nothing else
    started = process.hrtime.bigint();
    const reads = new UnitMigrationRepository();
    const ids = await new MigrationRepository(db).subtreeIdsInTreeOrder(root.id, root.depth);
    let read = 0;
    for (let i = 0; i < ids.length; i += MIGRATION_BATCH) {
      const batch = ids.slice(i, i + MIGRATION_BATCH);
      await db.transaction(async (tx) => {
        await unitsRepository.findByIds(batch, tx);
        await store.loadStatesForUpdate(tx, batch);
        for (const events of (await reads.eventsOfUnits(tx, batch)).values()) read += events.length;
      });
    }
    const referenceSeconds = seconds(started);
    const referenceCpu = cpuSeconds(cpu);

    started = process.hrtime.bigint();
    cpu = process.cpuUsage();
    let dry: MigrationReportData | null = await migration.migrate(ADMIN, {
      rootId: root.id,
      toVersion: 2,
      dryRun: true,
    });
    const drySeconds = seconds(started);
    const dryCpu = cpuSeconds(cpu);
    // kept as one string for the comparison below, not as 200,000 rows of objects: the real run would otherwise pay
    // for marking them at every full collection, which a server running only the real run does not
    const withoutOutcome = (report: MigrationReportData) =>
      JSON.stringify({ ...report, dryRun: null, rows: report.rows.map((r) => ({ ...r, outcome: null })) });
    const dryMigrated = dry.migrated;
    const dryReport = withoutOutcome(dry);
    dry = null;
    const deliveredBefore = feed.delivered;
    started = process.hrtime.bigint();
    cpu = process.cpuUsage();
    const real = await migration.migrate(ADMIN, { rootId: root.id, toVersion: 2, dryRun: false });
    const realSeconds = seconds(started);
    const realCpu = cpuSeconds(cpu);
    if (real.migrated !== units.length || dryMigrated !== units.length)
      throw new Error(`migrated ${real.migrated}, dry ${dryMigrated} of ${units.length}`);
    if (withoutOutcome(real) !== dryReport) throw new Error('the dry run and the real run disagree');
    const liveUpdates = feed.delivered - deliveredBefore;

    started = process.hrtime.bigint();
    const audit = new AuditService(new AuditRepository(db), store, new SystemClock(), config, RulebookStore.over(db));
    let broken = 0;
    for (let i = 0; i < units.length; i += 200) {
      for (const result of (await audit.verifyBatch(units.slice(i, i + 200), null, true)).values())
        if (!result.ok) broken++;
    }
    const verifySeconds = seconds(started);
    if (broken > 0) throw new Error(`${broken} histories do not verify after the migration`);
    started = process.hrtime.bigint();
    const recount = await new RollupVerifier(unitsRepository, store, rollups, activity).verify(null);
    const rollupSeconds = seconds(started);
    if (recount.differences.length > 0)
      throw new Error(
        `${recount.differences.length} rollup counters differ: ${JSON.stringify(recount.differences[0])}`,
      );

    const rate = (s: number) => Math.round(units.length / s);
    const run = (s: number, cpuS: number) => ({
      seconds: Number(s.toFixed(2)),
      unitsPerSecond: rate(s),
      unitsPerCpuSecond: rate(cpuS),
      ratioToReference: Number((referenceSeconds / s).toFixed(2)),
      ratioToTarget: Number((rate(s) / TARGET).toFixed(2)),
      cpuRatioToTarget: Number((rate(cpuS) / TARGET).toFixed(2)),
    });
    console.log(
      JSON.stringify(
        {
          bench: 'migration v1 → v2',
          database: db.dialect === 'sqlite' ? 'sqlite (WAL, synchronous=FULL)' : 'postgresql',
          units: units.length,
          eventsPerUnit: EVENTS_PER_UNIT,
          events,
          unitsPerTransaction: MIGRATION_BATCH,
          buildSeconds: Number(buildSeconds.toFixed(1)),
          loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
          // `npm run bench:migrate` runs it as `npm run rulebook` runs a migration: with a 32 MiB young generation
          nodeFlags: process.execArgv,
          reference: {
            seconds: Number(referenceSeconds.toFixed(2)),
            unitsPerSecond: rate(referenceSeconds),
            unitsPerCpuSecond: rate(referenceCpu),
            work: 'lock the snapshots and read the events, the same batches and statements as the migration',
          },
          dryRun: run(drySeconds, dryCpu),
          realRun: { ...run(realSeconds, realCpu), liveUpdates },
          gaps: real.totals,
          verified: { units: units.length, broken, seconds: Number(verifySeconds.toFixed(1)) },
          rollups: { recounted: recount.units, differences: 0, seconds: Number(rollupSeconds.toFixed(1)) },
          eventsRead: read,
          target: TARGET,
        },
        null,
        2,
      ),
    );
  } finally {
    await bench.close();
  }
}

await main();
