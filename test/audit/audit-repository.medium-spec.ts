import 'reflect-metadata';
import { AuditRepository } from '../../src/audit/audit.repository.js';
import type { Head } from '../../src/audit/checkpoint.js';
import {
  campaignServices,
  createGrassroots,
  recordStory,
  type CampaignServices,
} from '../history/support/campaign-story.js';
import { useMediumDatabase } from '../support/medium-database.js';

const byUnit = (a: { unitId: string }, b: { unitId: string }) =>
  a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0;

/** What auditors read, on a real database: whole histories, a batch of them, the chain heads, the checkpoints. */
describe('AuditRepository', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let sut: AuditRepository;
  let a: string;
  let b: string;
  let idle: string;

  beforeAll(async () => {
    services = campaignServices(medium.db);
    sut = new AuditRepository(medium.db);
    a = await createGrassroots(services, '甲村');
    b = await createGrassroots(services, '乙村');
    idle = await createGrassroots(services, '静村');
    // interleaved, so that rows of one unit are not stored together
    await recordStory(services, a, 2);
    await recordStory(services, b, 3);
    await recordStory(services, a, 2, 3);
  });

  it('eventsOf: a unit’s whole history in seq order, nobody else’s', async () => {
    const events = await sut.eventsOf(a);
    expect(events.map((e) => [e.unitId, e.seq])).toEqual([1, 2, 3, 4].map((seq) => [a, seq]));
    expect(events).toEqual(await services.store.events(a, 0, null));
    expect(await sut.eventsOf(idle)).toEqual([]);
  });

  it('eventsOfUnits: every unit asked for, each with its own history in seq order (none for a unit without events)', async () => {
    const batch = await sut.eventsOfUnits([b, idle, a, 'no-such-unit']);
    expect([...batch.keys()]).toEqual([b, idle, a, 'no-such-unit']);
    expect(batch.get(a)).toEqual(await services.store.events(a, 0, null));
    expect(batch.get(b)!.map((e) => [e.unitId, e.seq])).toEqual([1, 2, 3].map((seq) => [b, seq]));
    expect(batch.get(b)).toEqual(await services.store.events(b, 0, null));
    expect(batch.get(idle)).toEqual([]);
    expect(batch.get('no-such-unit')).toEqual([]);
  });

  it('eventsOfUnits and headsFor of no unit: empty, without a statement', async () => {
    const before = medium.db.statementCount;
    expect(await sut.eventsOfUnits([])).toEqual(new Map());
    expect(await sut.headsFor(1, [])).toEqual(new Map());
    expect(medium.db.statementCount).toBe(before);
  });

  it('heads: one per unit with events (its version and head hash), in unit id order', async () => {
    const states = await services.store.statesByIds([a, b, idle]);
    const heads = await medium.db.transaction((tx) => sut.heads(tx));
    expect(heads).toEqual(
      [a, b].map((id) => ({ unitId: id, seq: states.get(id)!.version, hash: states.get(id)!.headHash })).sort(byUnit),
    );
    expect(heads.map((h) => h.seq).sort()).toEqual([3, 4]);
  });

  describe('checkpoints', () => {
    /** 450 heads: more than two statements' worth (200 rows an INSERT). */
    const many: Head[] = Array.from({ length: 450 }, (_, i) => ({
      unitId: `unit-${String(i).padStart(3, '0')}`,
      seq: i + 1,
      hash: i.toString(16).padStart(64, '0'),
    }));
    const row = (n: number, heads: Head[]) => ({
      createdAt: 1_000 * n,
      unitCount: heads.length,
      digest: `digest-${n}`,
      prevSignature: `signature-${n - 1}`,
      signature: `signature-${n}`,
    });
    let empty: number;
    let first: number;
    let second: number;

    it('none yet: no latest checkpoint, inside a transaction or not', async () => {
      expect(await sut.latestCheckpoint()).toBeNull();
      expect(await medium.db.transaction((tx) => sut.latestCheckpoint(tx))).toBeNull();
      expect(await sut.checkpoints()).toEqual([]);
    });

    it('insertCheckpoint stores the row and every head, and answers the new row’s id (no head at all: a province without events)', async () => {
      const few = many.slice(0, 2);
      empty = await medium.db.transaction((tx) => sut.insertCheckpoint(tx, row(0, []), []));
      first = await medium.db.transaction((tx) => sut.insertCheckpoint(tx, row(1, few), few));
      second = await medium.db.transaction((tx) => sut.insertCheckpoint(tx, row(2, many), many));
      expect(new Set([empty, first, second]).size).toBe(3);
      expect(await sut.checkpoints()).toEqual([
        { id: empty, ...row(0, []) },
        { id: first, ...row(1, few) },
        { id: second, ...row(2, many) },
      ]);
      expect(await sut.headsOf(empty)).toEqual([]);
      expect((await sut.headsOf(first)).sort(byUnit)).toEqual(few);
      expect((await sut.headsOf(second)).sort(byUnit)).toEqual(many);
    });

    it('latestCheckpoint: the newest, inside a transaction or not', async () => {
      expect(await sut.latestCheckpoint()).toEqual({ id: second, ...row(2, many) });
      expect(await medium.db.transaction((tx) => sut.latestCheckpoint(tx))).toEqual({ id: second, ...row(2, many) });
    });

    it('headsFor and headOf: one checkpoint’s heads of the units asked for, none for a unit it does not hold', async () => {
      const asked = [many[0], many[201], many[449]];
      expect(await sut.headsFor(second, [...asked.map((h) => h.unitId), 'no-such-unit'])).toEqual(
        new Map(asked.map((h) => [h.unitId, { seq: h.seq, hash: h.hash }])),
      );
      expect(await sut.headsFor(first, [many[0].unitId, many[201].unitId])).toEqual(
        new Map([[many[0].unitId, { seq: many[0].seq, hash: many[0].hash }]]),
      );
      expect(await sut.headOf(second, many[300].unitId)).toEqual(many[300]);
      expect(await sut.headOf(first, many[1].unitId)).toEqual(many[1]);
      expect(await sut.headOf(first, many[300].unitId)).toBeNull();
      expect(await sut.headOf(second, 'no-such-unit')).toBeNull();
    });
  });
});
