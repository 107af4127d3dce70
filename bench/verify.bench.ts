/**
 * Verification speed (issue 5, "Speed"): builds a database of at least 1,000,000 events (BENCH_VERIFY_UNITS units ×
 * BENCH_VERIFY_EVENTS events, every history legal under rulebook v1 and hash-chained), then verifies every unit the
 * way `npm run audit -- verify` does (the same AuditService.verifyBatch: hash chain, replay through the statechart,
 * snapshot, checkpoint), and, side by side in the same run, a reference that only recomputes the hash chain.
 * Prints one JSON object: events/s of each, and the ratio to the 25,000 events/s target.
 */
import 'reflect-metadata';
import { RulebookStore } from '../src/rulebooks/rulebook-store.js';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { AuditService } from '../src/audit/audit.service.js';
import { SystemClock } from '../src/clock/clock.js';
import { EventStoreRepository } from '../src/history/event-store.repository.js';
import { eventHash, genesisHash } from '../src/history/hash-chain.js';
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

const UNITS = bounded('BENCH_VERIFY_UNITS', 10_000, 1, 200_000);
const EVENTS_PER_UNIT = bounded('BENCH_VERIFY_EVENTS', 100, 3, 10_000);
const TARGET = 25_000;
const BATCH = 200;

/** One unit's legal history: plan, launch, then study sessions, opinions, lectures and films in turn. */
function historyOf(unitId: string): BenchEvent[] {
  const base = officerEvent(unitId);
  const events: BenchEvent[] = [
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

async function main(): Promise<void> {
  const bench = await openBenchDatabase('verify');
  const { config, db } = bench;
  try {
    let started = Date.now();
    // a county (a leadership body with no history of its own) and its villages
    const { root, villages: units } = benchCounty(UNITS, 'LEADERSHIP_BODY');
    const events = await writeHistories(db, [root, ...units], (id) => (id === root.id ? [] : historyOf(id)), {
      unitsPerTransaction: 100,
    });
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
    await bench.close();
  }
}

await main();
