/**
 * Migration speed (rule 5, 查漏补缺): BENCH_MIGRATE_UNITS units (default 200,000 villages under one county, each with
 * a legal v1 history of BENCH_MIGRATE_EVENTS events: plan, launch, study evidence, opinions, COMPLETE_STUDY) in
 * SQLite; then `migrateUnits` to v2 as the service runs it (MigrationService: the command path's unit migration,
 * 200 units per transaction) — a dry run, then the real run — and, in the same run, a reference that reads the same
 * rows in the same batches (each unit's snapshot and events) and does nothing else. Every history is verified after
 * the real run. Prints one JSON object: units/s of each run, ratios to the reference and to the 5,000 units/s target.
 */
import { RulebookStore } from '../src/rulebooks/rulebook-store.js';
import { builtInRulebook } from '../machines/index.js';
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { AuditService } from '../src/audit/audit.service.js';
import type { Principal } from '../src/auth/principal.js';
import { SystemClock } from '../src/clock/clock.js';
import { Access } from '../src/commands/access.js';
import { CommandListeners } from '../src/commands/command-listeners.js';
import { UnitMigration } from '../src/commands/unit-migration.js';
import { uuidv7 } from '../src/common/ids.js';
import { loadConfig } from '../src/config/app-config.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db, type Tx } from '../src/database/db.js';
import { EventStoreRepository, type EventRow } from '../src/history/event-store.repository.js';
import { foldEvent, genesisSnapshot } from '../src/history/fold.js';
import { eventHash, genesisHash } from '../src/history/hash-chain.js';
import { HistoryService, SNAPSHOT_EVERY } from '../src/history/history.service.js';
import { MIGRATION_BATCH, MigrationService } from '../src/rulebooks/migration.service.js';
import { ancestorsFor } from '../src/tree/unit-tree.js';
import { UnitsRepository, type UnitRow } from '../src/tree/units.repository.js';

const UNITS = bounded('BENCH_MIGRATE_UNITS', 200_000, 100, 1_000_000);
const EVENTS_PER_UNIT = bounded('BENCH_MIGRATE_EVENTS', 10, 7, 60);
const TARGET = 5_000;
const ADMIN: Principal = { sub: 'bench-admin', role: 'ADMIN', scopeUnitId: null };

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

const T0 = Date.parse('2014-03-01T00:00:00Z');
const HOUR = 3_600_000;

/** A village's legal v1 history: plan, launch, a discussion, the film, a lecture, opinions, then COMPLETE_STUDY. */
function historyOf(unitId: string): Omit<EventRow, 'prevHash' | 'hash' | 'seq'>[] {
  const base = {
    unitId,
    actor: 'bench-officer',
    role: 'OFFICER',
    reason: null,
    rulebookVersion: 1,
    override: false,
    idempotencyKey: null,
  };
  const at = (i: number) => T0 + HOUR * (i + 1);
  const occurred = (i: number) => new Date(at(i) - HOUR / 2).toISOString();
  const events: Omit<EventRow, 'prevHash' | 'hash' | 'seq'>[] = [
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

async function build(db: Db): Promise<{ root: UnitRow; units: UnitRow[] }> {
  const rootId = uuidv7(T0);
  const root: UnitRow = {
    id: rootId,
    name: '基准县',
    kind: 'GRASSROOTS',
    parentId: null,
    depth: 0,
    ancestors: ancestorsFor(rootId, null),
    leaderCount: 0,
    phase: 'stage1',
    createdAt: T0 - 2 * HOUR,
    updatedAt: T0,
  };
  const units: UnitRow[] = [root];
  for (let i = 1; i < UNITS; i++) {
    const id = uuidv7(T0);
    units.push({
      ...root,
      id,
      name: `村${i}`,
      parentId: rootId,
      depth: 1,
      ancestors: ancestorsFor(id, { depth: 0, ancestors: root.ancestors }),
    });
  }
  // every unit's history folds to the same snapshot (the unit id is not in the context): fold one, check it is legal
  const genesis = genesisSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, 1, builtInRulebook);
  let snapshot = genesis;
  const kept = new Map<number, typeof snapshot>();
  for (const [i, event] of historyOf(root.id).entries()) {
    const step = foldEvent(snapshot, { ...event, seq: i + 1, prevHash: '', hash: '' }, builtInRulebook);
    if (!step.ok) throw new Error(`bench history is not legal at event ${i + 1}: ${JSON.stringify(step)}`);
    snapshot = step.snapshot;
    if ((i + 1) % SNAPSHOT_EVERY === 0) kept.set(i + 1, snapshot);
  }
  const unitsRepository = new UnitsRepository(db);
  const store = new EventStoreRepository(db);
  const writeUnits = async (tx: Tx, chunk: UnitRow[]) => {
    for (const unit of chunk) {
      await unitsRepository.insert(tx, unit);
      let prevHash = genesisHash({
        unitId: unit.id,
        kind: unit.kind,
        leaderCount: unit.leaderCount,
        rulebookVersion: 1,
      });
      await store.insertSnapshot(tx, {
        unitId: unit.id,
        seq: 0,
        at: unit.createdAt,
        snapshot: genesis,
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
      }
      await store.insertState(tx, {
        unitId: unit.id,
        snapshot,
        version: history.length,
        rulebookVersion: 1,
        headHash: prevHash,
        updatedAt: history.at(-1)!.at,
      });
    }
  };
  for (let i = 0; i < units.length; i += 500) await db.transaction((tx) => writeUnits(tx, units.slice(i, i + 500)));
  return { root, units };
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
/** CPU seconds of this process since `since` (steadier than wall-clock on a shared machine). */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-migrate-bench-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}` });
  const dataSource = await openDatabase(config.database);
  const db = new Db(dataSource);
  try {
    let started = process.hrtime.bigint();
    const { root, units } = await build(db);
    const buildSeconds = seconds(started);
    const unitsRepository = new UnitsRepository(db);
    const store = new EventStoreRepository(db);
    const rulebooks = RulebookStore.over(db);
    const history = new HistoryService(store, rulebooks);
    const migration = new MigrationService(
      new Access(unitsRepository),
      unitsRepository,
      new UnitMigration(history, store, new CommandListeners(), rulebooks),
      db,
      new SystemClock(),
    );

    let cpu = process.cpuUsage();
    // reference: the same walk of the subtree, the same batches, each unit's snapshot locked and its events read
    started = process.hrtime.bigint();
    let batch: string[] = [];
    let read = 0;
    const flush = async () => {
      const ids = batch;
      await db.transaction(async (tx) => {
        await store.loadStatesForUpdate(tx, ids);
        for (const events of (await store.eventsOfUnits(tx, ids)).values()) read += events.length;
      });
      batch = [];
    };
    for await (const unit of unitsRepository.subtreeInTreeOrder(root.id, root.depth)) {
      batch.push(unit.id);
      if (batch.length >= MIGRATION_BATCH) await flush();
    }
    await flush();
    const referenceSeconds = seconds(started);
    const referenceCpu = cpuSeconds(cpu);

    started = process.hrtime.bigint();
    cpu = process.cpuUsage();
    const dry = await migration.migrate(ADMIN, { rootId: root.id, toVersion: 2, dryRun: true });
    const drySeconds = seconds(started);
    const dryCpu = cpuSeconds(cpu);
    started = process.hrtime.bigint();
    cpu = process.cpuUsage();
    const real = await migration.migrate(ADMIN, { rootId: root.id, toVersion: 2, dryRun: false });
    const realSeconds = seconds(started);
    const realCpu = cpuSeconds(cpu);
    if (real.migrated !== units.length || dry.migrated !== units.length)
      throw new Error(`migrated ${real.migrated}, dry ${dry.migrated} of ${units.length}`);
    if (JSON.stringify(real.totals) !== JSON.stringify(dry.totals))
      throw new Error('the dry run and the real run disagree');

    started = process.hrtime.bigint();
    const audit = new AuditService(new AuditRepository(db), store, new SystemClock(), config, RulebookStore.over(db));
    let broken = 0;
    for (let i = 0; i < units.length; i += 200) {
      for (const result of (await audit.verifyBatch(units.slice(i, i + 200), null, true)).values())
        if (!result.ok) broken++;
    }
    const verifySeconds = seconds(started);
    if (broken > 0) throw new Error(`${broken} histories do not verify after the migration`);

    const rate = (s: number) => Math.round(units.length / s);
    console.log(
      JSON.stringify(
        {
          bench: 'migration v1 → v2',
          database: 'sqlite (WAL, synchronous=FULL)',
          units: units.length,
          eventsPerUnit: EVENTS_PER_UNIT,
          buildSeconds: Number(buildSeconds.toFixed(1)),
          loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(1))),
          reference: {
            seconds: Number(referenceSeconds.toFixed(2)),
            unitsPerSecond: rate(referenceSeconds),
            unitsPerCpuSecond: rate(referenceCpu),
            work: 'lock the snapshots and read the events, same batches and statements',
          },
          dryRun: {
            seconds: Number(drySeconds.toFixed(2)),
            unitsPerSecond: rate(drySeconds),
            unitsPerCpuSecond: rate(dryCpu),
            ratioToReference: Number((referenceSeconds / drySeconds).toFixed(2)),
            ratioToTarget: Number((rate(drySeconds) / TARGET).toFixed(2)),
            cpuRatioToTarget: Number((rate(dryCpu) / TARGET).toFixed(2)),
          },
          realRun: {
            seconds: Number(realSeconds.toFixed(2)),
            unitsPerSecond: rate(realSeconds),
            unitsPerCpuSecond: rate(realCpu),
            ratioToReference: Number((referenceSeconds / realSeconds).toFixed(2)),
            ratioToTarget: Number((rate(realSeconds) / TARGET).toFixed(2)),
            cpuRatioToTarget: Number((rate(realCpu) / TARGET).toFixed(2)),
          },
          gaps: real.totals,
          verified: { units: units.length, broken, seconds: Number(verifySeconds.toFixed(1)) },
          eventsRead: read,
          target: TARGET,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
