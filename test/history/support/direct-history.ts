import { builtInRulebook } from '../../../machines/index.js';
import type { Db } from '../../../src/database/db.js';
import { uuidv7 } from '../../../src/common/ids.js';
import { EventStoreRepository, type EventRow } from '../../../src/history/event-store.repository.js';
import { foldEvent, genesisSnapshot } from '../../../src/history/fold.js';
import { eventHash, genesisHash } from '../../../src/history/hash-chain.js';
import { SNAPSHOT_EVERY } from '../../../src/history/history.service.js';
import { UnitsRepository, type UnitRow } from '../../../src/tree/units.repository.js';
import { rootUnitRow } from '../../support/unit-rows.js';

const T0 = Date.parse('2014-03-01T00:00:00Z');
const HOUR = 3_600_000;
const TYPES = ['STUDY_SESSION', 'OPINION_RECORDED', 'PARTY_LECTURE', 'FILM_SCREENING'] as const;

/** Event `seq` of a legal GRASSROOTS history: plan, launch, then sessions, opinions, lectures and films in turn, an hour apart. */
function eventAt(unitId: string, seq: number): Omit<EventRow, 'prevHash' | 'hash'> {
  const at = T0 + HOUR * seq;
  const base = {
    unitId,
    seq,
    actor: 'officer',
    role: 'OFFICER',
    reason: null,
    at,
    recordedAt: at,
    rulebookVersion: 1,
    override: false,
    idempotencyKey: null,
  };
  if (seq === 1)
    return {
      ...base,
      type: 'FILE_STUDY_PLAN',
      payload: { unitId, topics: ['群众路线'], plannedDays: 3 },
      occurredAt: null,
    };
  if (seq === 2)
    return { ...base, type: 'LAUNCH', payload: { unitId, event: 'LAUNCH', parentLaunched: true }, occurredAt: null };
  const occurredAt = new Date(at - HOUR / 2).toISOString();
  const kind = seq % 4;
  const payload =
    kind === 0
      ? { unitId, format: 'GROUP_DISCUSSION', occurredAt, hours: 2, attendees: 15, topic: '学习讨论' }
      : kind === 1
        ? {
            targetUnitId: unitId,
            collectedByUnitId: unitId,
            channel: 'HOME_VISIT',
            category: 'FORMALISM',
            text: `意见 ${seq}`,
            occurredAt,
            opinionId: `op-${seq}`,
          }
        : kind === 2
          ? { unitId, lecturer: `讲师${seq % 5}`, occurredAt, audienceUnitId: null }
          : { unitId, title: '焦裕禄', occurredAt };
  return { ...base, type: TYPES[kind], payload, occurredAt: Date.parse(occurredAt) };
}

/**
 * A GRASSROOTS root unit with `count` hash-chained events written straight through the repositories, with the
 * snapshots the service would have stored (seq 0, every SNAPSHOT_EVERY events, the head): far faster than commands.
 */
export async function unitWithDirectHistory(db: Db, count: number): Promise<UnitRow> {
  const id = uuidv7(T0);
  const unit = rootUnitRow(id, `直写${count}`, T0, 'stage1');
  const units = new UnitsRepository(db);
  const store = new EventStoreRepository(db);
  await db.transaction(async (tx) => {
    await units.insert(tx, unit);
    let snapshot = genesisSnapshot(unit, 1, builtInRulebook);
    await store.insertSnapshot(tx, { unitId: id, seq: 0, at: T0, snapshot, rulebookVersion: 1 });
    let prevHash = genesisHash({ unitId: id, kind: unit.kind, leaderCount: unit.leaderCount, rulebookVersion: 1 });
    for (let seq = 1; seq <= count; seq++) {
      const fields = { ...eventAt(id, seq), prevHash };
      const row: EventRow = { ...fields, hash: eventHash(fields) };
      const step = foldEvent(snapshot, row, builtInRulebook);
      if (!step.ok) throw new Error(`direct history is not legal at event ${seq}: ${JSON.stringify(step)}`);
      snapshot = step.snapshot;
      await store.appendEvent(tx, row);
      if (seq % SNAPSHOT_EVERY === 0)
        await store.insertSnapshot(tx, { unitId: id, seq, at: row.at, snapshot, rulebookVersion: 1 });
      prevHash = row.hash;
    }
    await store.insertState(tx, {
      unitId: id,
      snapshot,
      version: count,
      rulebookVersion: 1,
      headHash: prevHash,
      updatedAt: T0 + HOUR * count,
    });
  });
  return (await units.findById(id))!;
}
