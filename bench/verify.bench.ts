/**
 * Verification speed (issue 5, "Speed"): builds a database of at least 1,000,000 events (BENCH_VERIFY_UNITS units ×
 * BENCH_VERIFY_EVENTS events, every history legal under rulebook v1 and hash-chained), then verifies every unit the
 * way `npm run audit -- verify` does (the same AuditService.verifyBatch: hash chain, replay through the statechart,
 * snapshot, checkpoint), and, side by side in the same run, a reference that only recomputes the hash chain.
 * Prints one JSON object: events/s of each, and the ratio to the 25,000 events/s target.
 */
import { RulebookStore } from '../src/rulebooks/rulebook-store.js';
import { builtInRulebook } from '../machines/index.js';
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { AuditService } from '../src/audit/audit.service.js';
import { foldEvent, genesisSnapshot } from '../src/history/fold.js';
import { SystemClock } from '../src/clock/clock.js';
import { uuidv7 } from '../src/common/ids.js';
import { loadConfig } from '../src/config/app-config.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db, Tx } from '../src/database/db.js';
import { ancestorsFor } from '../src/tree/unit-tree.js';
import { UnitsRepository, type UnitRow } from '../src/tree/units.repository.js';
import { EventStoreRepository, type EventRow } from '../src/history/event-store.repository.js';
import { eventHash, genesisHash } from '../src/history/hash-chain.js';
import { SNAPSHOT_EVERY } from '../src/history/history.service.js';

const UNITS = bounded('BENCH_VERIFY_UNITS', 10_000, 1, 200_000);
const EVENTS_PER_UNIT = bounded('BENCH_VERIFY_EVENTS', 100, 3, 10_000);
const TARGET = 25_000;
const BATCH = 200;

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

const T0 = Date.parse('2014-03-01T00:00:00Z');
const HOUR = 3_600_000;

/** One unit's legal history: plan, launch, then study sessions, opinions, lectures and films in turn. */
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
  const events: Omit<EventRow, 'prevHash' | 'hash' | 'seq'>[] = [
    {
      ...base,
      type: 'FILE_STUDY_PLAN',
      payload: { unitId, topics: ['群众路线', '焦裕禄精神'], plannedDays: 3 },
      at: T0,
      occurredAt: null,
      recordedAt: T0,
    },
    {
      ...base,
      type: 'LAUNCH',
      payload: { unitId, event: 'LAUNCH', parentLaunched: true },
      at: T0 + HOUR,
      occurredAt: null,
      recordedAt: T0 + HOUR,
    },
  ];
  for (let i = 2; i < EVENTS_PER_UNIT; i++) {
    const at = T0 + HOUR * (i + 1);
    const occurredAt = new Date(at - HOUR / 2).toISOString();
    const kind = i % 4;
    const payload =
      kind === 0
        ? {
            unitId,
            format: i % 8 === 0 ? 'CONCENTRATED' : 'GROUP_DISCUSSION',
            occurredAt,
            hours: 2,
            attendees: 15,
            topic: '学习讨论',
          }
        : kind === 1
          ? {
              targetUnitId: unitId,
              collectedByUnitId: unitId,
              channel: 'HOME_VISIT',
              category: 'FORMALISM',
              text: `意见 ${i}`,
              occurredAt,
              opinionId: `op-${unitId}-${i}`,
            }
          : kind === 2
            ? { unitId, lecturer: `讲师${i % 5}`, occurredAt, audienceUnitId: null }
            : { unitId, title: '焦裕禄', occurredAt };
    const type = ['STUDY_SESSION', 'OPINION_RECORDED', 'PARTY_LECTURE', 'FILM_SCREENING'][kind];
    events.push({ ...base, type, payload, at, occurredAt: Date.parse(occurredAt), recordedAt: at });
  }
  return events;
}

async function build(db: Db): Promise<{ units: UnitRow[]; events: number }> {
  const rootId = uuidv7(T0);
  const root: UnitRow = {
    id: rootId,
    name: '基准县',
    kind: 'LEADERSHIP_BODY',
    parentId: null,
    depth: 0,
    ancestors: ancestorsFor(rootId, null),
    leaderCount: 0,
    phase: 'stage1',
    createdAt: T0 - HOUR,
    updatedAt: T0,
  };
  const units: UnitRow[] = [];
  for (let i = 0; i < UNITS; i++) {
    const id = uuidv7(T0);
    units.push({
      id,
      name: `村${i}`,
      kind: 'GRASSROOTS',
      parentId: rootId,
      depth: 1,
      ancestors: ancestorsFor(id, { depth: 0, ancestors: root.ancestors }),
      leaderCount: 0,
      phase: 'stage1',
      createdAt: T0 - HOUR,
      updatedAt: T0,
    });
  }
  // every unit's history folds to the same snapshot (the unit id is not in the context): fold one, check it is legal
  const genesis = genesisSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, 1, builtInRulebook);
  let snapshot = genesis;
  const kept = new Map<number, typeof snapshot>(); // the snapshots the service stores every SNAPSHOT_EVERY events
  for (const [i, event] of historyOf(units[0].id).entries()) {
    const step = foldEvent(snapshot, { ...event, seq: i + 1, prevHash: '', hash: '' }, builtInRulebook);
    if (!step.ok) throw new Error(`bench history is not legal at event ${i + 1}: ${JSON.stringify(step)}`);
    snapshot = step.snapshot;
    if ((i + 1) % SNAPSHOT_EVERY === 0) kept.set(i + 1, snapshot);
  }
  const unitsRepository = new UnitsRepository(db);
  const store = new EventStoreRepository(db);
  let events = 0;
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
      for (const [i, e] of historyOf(unit.id).entries()) {
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
      await store.insertState(tx, {
        unitId: unit.id,
        snapshot,
        version: EVENTS_PER_UNIT,
        rulebookVersion: 1,
        headHash: prevHash,
        updatedAt: T0,
      });
    }
  };
  await db.transaction(async (tx) => unitsRepository.insert(tx, root));
  for (let i = 0; i < units.length; i += 100) await db.transaction((tx) => writeUnits(tx, units.slice(i, i + 100)));
  return { units, events };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-verify-bench-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}` });
  const dataSource = await openDatabase(config.database);
  const db = new Db(dataSource);
  try {
    let started = Date.now();
    const { units, events } = await build(db);
    const buildSeconds = (Date.now() - started) / 1000;
    const audit = new AuditService(
      new AuditRepository(db),
      new EventStoreRepository(db),
      new SystemClock(),
      config,
      RulebookStore.over(db),
    );
    const auditRepository = new AuditRepository(db);

    // reference: read the same rows in the same batches and recompute only the hash chain
    started = Date.now();
    let chained = 0;
    for (let i = 0; i < units.length; i += BATCH) {
      const batch = await auditRepository.eventsOfUnits(units.slice(i, i + BATCH).map((u) => u.id));
      for (const [unitId, history] of batch) {
        let prev = genesisHash({ unitId, kind: 'GRASSROOTS', leaderCount: 0, rulebookVersion: 1 });
        for (const event of history) {
          const { hash, ...fields } = event;
          if (fields.prevHash !== prev || eventHash(fields) !== hash) throw new Error('reference: broken chain');
          prev = hash;
          chained++;
        }
      }
    }
    const referenceSeconds = (Date.now() - started) / 1000;

    started = Date.now();
    let verified = 0;
    let broken = 0;
    for (let i = 0; i < units.length; i += BATCH) {
      const results = await audit.verifyBatch(units.slice(i, i + BATCH), null, true);
      for (const result of results.values()) {
        verified += result.checkedEvents;
        if (!result.ok) broken++;
      }
    }
    const verifySeconds = (Date.now() - started) / 1000;
    if (broken > 0 || verified !== events)
      throw new Error(`verification found ${broken} broken units, ${verified}/${events} events`);
    const eventsPerSecond = Math.round(verified / verifySeconds);
    console.log(
      JSON.stringify(
        {
          bench: 'verification',
          database: 'sqlite (WAL, synchronous=FULL)',
          units: units.length,
          events,
          buildSeconds: Number(buildSeconds.toFixed(1)),
          service: {
            seconds: Number(verifySeconds.toFixed(2)),
            eventsPerSecond,
            checks: 'hash chain + replay through the statechart + snapshot',
          },
          reference: {
            seconds: Number(referenceSeconds.toFixed(2)),
            eventsPerSecond: Math.round(chained / referenceSeconds),
            checks: 'hash chain only',
          },
          ratioToReference: Number((eventsPerSecond / (chained / referenceSeconds)).toFixed(2)),
          target: TARGET,
          ratioToTarget: Number((eventsPerSecond / TARGET).toFixed(2)),
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
