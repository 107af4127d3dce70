import 'reflect-metadata';
import { statusOf } from '../../machines/index.js';
import { GENESIS_SIGNATURE, headsDigest, signCheckpoint } from '../../src/audit/checkpoint.js';
import type { EventRow } from '../../src/history/event-store.repository.js';
import { eventHash, genesisHash } from '../../src/history/hash-chain.js';
import type { UnitRow } from '../../src/tree/units.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { auditServices } from '../history/support/audit-services.js';
import {
  campaignServices,
  createGrassroots,
  recordStory,
  type CampaignServices,
  type StoryStep,
} from '../history/support/campaign-story.js';

const KEY = 'medium-audit-key';

/** The audit service on the real command path's database: verify, read as of a moment, replay, checkpoints. */
describe('AuditService', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let sut: ReturnType<typeof auditServices>['audit'];
  let repository: ReturnType<typeof auditServices>['repository'];
  let story: { unit: UnitRow; createdAt: number; steps: StoryStep[] };

  const unitRow = async (id: string) => (await services.units.findById(id))!;

  /** Appends, with a valid hash and the snapshot's version and head moved to it, an event the rules refuse in stage1. */
  async function forgeIllegalEvent(unitId: string): Promise<number> {
    const [state] = [...(await services.store.statesByIds([unitId])).values()];
    const at = services.clock.now().getTime();
    const fields: Omit<EventRow, 'hash'> = {
      unitId,
      seq: state.version + 1,
      type: 'CONCLUDE_LOOKBACK',
      payload: { unitId, event: 'CONCLUDE_LOOKBACK' },
      actor: 'intruder',
      role: 'SUPERVISOR',
      reason: null,
      at,
      occurredAt: null,
      recordedAt: at,
      rulebookVersion: 1,
      override: false,
      idempotencyKey: null,
      prevHash: state.headHash,
    };
    const hash = eventHash(fields);
    await medium.db.transaction(async (tx) => {
      await services.store.appendEvent(tx, { ...fields, hash });
      expect(
        await services.store.compareAndSetState(tx, { ...state, version: fields.seq, headHash: hash }, state.version),
      ).toBe(1);
    });
    return fields.seq;
  }

  beforeAll(async () => {
    services = campaignServices(medium.db);
    ({ audit: sut, repository } = auditServices(medium.db, services, KEY));
    const createdAt = services.clock.now().getTime();
    const id = await createGrassroots(services, '审计');
    const steps = await recordStory(services, id, 10);
    story = { unit: await unitRow(id), createdAt, steps };
  });

  describe('verify', () => {
    it('an untouched history: ok, every event checked', async () => {
      expect(await sut.verify(story.unit)).toEqual({
        ok: true,
        checkedEvents: 10,
        firstBrokenSeq: null,
        problem: null,
        detail: null,
      });
    });

    it('a unit with no event yet: ok, nothing to check', async () => {
      expect(await sut.verify(await unitRow(await createGrassroots(services, '空')))).toEqual({
        ok: true,
        checkedEvents: 0,
        firstBrokenSeq: null,
        problem: null,
        detail: null,
      });
    });

    it('a well-chained event the rules refuse: REPLAY_DIVERGES at it, the events before it checked', async () => {
      const id = await createGrassroots(services, '伪造');
      await recordStory(services, id, 4);
      const seq = await forgeIllegalEvent(id);
      expect(await sut.verify(await unitRow(id))).toMatchObject({
        ok: false,
        problem: 'REPLAY_DIVERGES',
        firstBrokenSeq: seq,
        checkedEvents: 4,
        detail: expect.stringMatching(/CONCLUDE_LOOKBACK would have been refused/),
      });
    });

    it('a snapshot ahead of its events: SEQ_GAP after the last stored event', async () => {
      const id = await createGrassroots(services, '超前');
      await recordStory(services, id, 3);
      const [state] = [...(await services.store.statesByIds([id])).values()];
      await medium.db.transaction((tx) => services.store.compareAndSetState(tx, { ...state, version: 5 }, 3));
      expect(await sut.verify(await unitRow(id))).toMatchObject({
        ok: false,
        problem: 'SEQ_GAP',
        firstBrokenSeq: 4,
        checkedEvents: 3,
      });
    });
  });

  describe('asOf', () => {
    it('null before the unit existed, its first snapshot at creation, then the state after each event', async () => {
      expect(await sut.asOf(story.unit, new Date(story.createdAt - 1))).toBeNull();
      const created = await sut.asOf(story.unit, new Date(story.createdAt));
      expect(created).toMatchObject({ version: 0, rulebookVersion: 1 });
      expect(statusOf(created!.snapshot).phase).toBe('registered');
      for (const step of story.steps) {
        const asOf = (await sut.asOf(story.unit, new Date(step.at)))!;
        expect({
          version: asOf.version,
          phase: statusOf(asOf.snapshot).phase,
          activeStates: statusOf(asOf.snapshot).activeStates,
        }).toEqual({
          version: step.seq,
          phase: step.status.phase,
          activeStates: step.status.activeStates,
        });
      }
    });
  });

  describe('replay', () => {
    it('every step with the state before and after it and the gates then; the end is the unit now', async () => {
      const replay = await sut.replay(story.unit, null, 0, 100);
      expect(replay).toMatchObject({ unitId: story.unit.id, hasMore: false, diverged: false, final: { version: 10 } });
      expect(replay.steps.map((s) => s.seq)).toEqual(story.steps.map((s) => s.seq));
      expect(replay.steps[0].stateBefore).toEqual(['registered']);
      for (const [i, s] of replay.steps.entries()) {
        expect(s.stateAfter).toEqual(story.steps[i].status.activeStates);
        if (i > 0) expect(s.stateBefore).toEqual(replay.steps[i - 1].stateAfter);
        expect(s.refusal).toBeNull();
      }
      // before the plan was filed, LAUNCH was blocked by its absence; right before LAUNCH it was allowed
      expect(replay.steps[0].gates.find((g) => g.event === 'LAUNCH')!.blockers.map((b) => b.code)).toContain(
        'STUDY_PLAN_MISSING',
      );
      expect(replay.steps[1].gates.find((g) => g.event === 'LAUNCH')).toMatchObject({ allowed: true, blockers: [] });
      expect(statusOf(replay.final.snapshot).activeStates).toEqual(story.steps[9].status.activeStates);
    });

    it('stops at a step the rules refuse: diverged, the refusal given, no more pages', async () => {
      const id = await createGrassroots(services, '回放伪造');
      await recordStory(services, id, 3);
      const seq = await forgeIllegalEvent(id);
      // the command path folds on from the stored snapshot: two more events land after the forged one
      await recordStory(services, id, 2, seq + 1);
      // a page that ends at the forged step, with stored events after it: still no next page
      const replay = await sut.replay(await unitRow(id), null, 0, seq);
      expect(replay).toMatchObject({ diverged: true, hasMore: false });
      expect(replay.steps.map((s) => s.seq)).toEqual([1, 2, 3, seq]);
      const last = replay.steps[replay.steps.length - 1];
      expect(last).toMatchObject({ seq, type: 'CONCLUDE_LOOKBACK', refusal: expect.any(String) });
      expect(last.stateAfter).toEqual(last.stateBefore);
    });
  });

  describe('checkpoints', () => {
    const heads = async () =>
      (
        await medium.db.query<{ unit_id: string; version: number; head_hash: string }>(
          'SELECT unit_id, version, head_hash FROM unit_states WHERE version > 0',
        )
      ).map((r) => ({
        unitId: r.unit_id,
        seq: Number(r.version),
        hash: r.head_hash,
      }));

    it('signs a digest over the head of every unit with events, chained to the previous checkpoint', async () => {
      const expectedHeads = await heads();
      const first = await sut.createCheckpoint();
      expect(first).toMatchObject({
        unitCount: expectedHeads.length,
        digest: headsDigest(expectedHeads),
        prevSignature: GENESIS_SIGNATURE,
        createdAt: services.clock.now().getTime(),
      });
      expect(first.signature).toBe(signCheckpoint(first, KEY));

      await recordStory(services, story.unit.id, 1, 11);
      services.clock.advanceMs(1000);
      const second = await sut.createCheckpoint();
      expect(second).toMatchObject({ prevSignature: first.signature, digest: headsDigest(await heads()) });
      expect(second.signature).toBe(signCheckpoint(second, KEY));
      expect(second.digest).not.toBe(first.digest);

      expect(await sut.verifyCheckpoints()).toEqual({
        ok: true,
        checked: 2,
        firstBrokenCheckpointId: null,
        problem: null,
      });
    });

    it('a unit still verifies against the newest checkpoint, and after later events', async () => {
      expect(await sut.verify(story.unit)).toMatchObject({ ok: true, checkedEvents: 11 });
      await recordStory(services, story.unit.id, 1, 12);
      expect(await sut.verify(story.unit)).toMatchObject({ ok: true, checkedEvents: 12 });
    });

    it('verifyBatch (the CLI’s): every unit as verify() finds it; the newest checkpoint’s heads checked as valid or not', async () => {
      const ids = (await medium.db.query<{ id: string }>('SELECT id FROM units ORDER BY id')).map((r) => r.id);
      const units = await services.units.findByIds(ids);
      const latest = (await repository.latestCheckpoint())!;
      expect(sut.checkpointValid(latest)).toBe(true);
      const batch = await sut.verifyBatch(units, latest, true);
      expect([...batch.keys()]).toEqual(units.map((u) => u.id));
      for (const unit of units) expect(batch.get(unit.id)).toEqual(await sut.verify(unit));
      // the units here: a whole history, one without events, two with a forged step, a snapshot ahead of its events
      expect([...batch.values()].map((r) => String(r.problem)).sort()).toEqual([
        'REPLAY_DIVERGES',
        'REPLAY_DIVERGES',
        'SEQ_GAP',
        'null',
        'null',
      ]);
      expect(Math.max(...[...batch.values()].map((r) => r.checkedEvents))).toBe(12);

      // the checkpoint told invalid: a unit with a head in it and a sound history is a CHECKPOINT_MISMATCH, a unit
      // without one (no event when it was signed) is not
      const held = new Set((await repository.headsOf(latest.id)).map((h) => h.unitId));
      const invalid = await sut.verifyBatch(units, latest, false);
      const mismatched = units.filter((u) => invalid.get(u.id)!.problem === 'CHECKPOINT_MISMATCH').map((u) => u.id);
      expect(mismatched.sort()).toEqual(
        units
          .filter((u) => held.has(u.id) && batch.get(u.id)!.ok)
          .map((u) => u.id)
          .sort(),
      );
      expect(mismatched).toContain(story.unit.id);
      expect(units.some((u) => !held.has(u.id) && invalid.get(u.id)!.ok)).toBe(true);
      // without a checkpoint, none is checked
      expect(await sut.verifyBatch(units, null, false)).toEqual(batch);
    });

    it('genesisOf: what a unit’s chain starts from, the hash its first event links to', async () => {
      const genesis = await sut.genesisOf(story.unit);
      expect(genesis).toEqual({
        unitId: story.unit.id,
        kind: 'GRASSROOTS',
        leaderCount: story.unit.leaderCount,
        rulebookVersion: 1,
      });
      expect((await sut.events(story.unit.id))[0].prevHash).toBe(genesisHash(genesis));
      const ghost = { ...story.unit, id: 'no-such-unit' };
      await expect(sut.genesisOf(ghost)).rejects.toThrow('unit no-such-unit has no first snapshot');
    });

    it('checked with another key, every signature fails: the checkpoints and the unit are reported', async () => {
      const other = auditServices(medium.db, services, 'another-key').audit;
      const [first] = await medium.db.query<{ id: number }>('SELECT id FROM audit_checkpoints ORDER BY id LIMIT 1');
      expect(await other.verifyCheckpoints()).toEqual({
        ok: false,
        checked: 0,
        firstBrokenCheckpointId: Number(first.id),
        problem: 'the signature does not match',
      });
      expect(await other.verify(story.unit)).toMatchObject({
        ok: false,
        problem: 'CHECKPOINT_MISMATCH',
        firstBrokenSeq: null,
      });
    });

    it('without a key, checkpoints can be neither signed nor checked', async () => {
      const keyless = auditServices(medium.db, services, null).audit;
      await expect(keyless.createCheckpoint()).rejects.toThrow('LOOKBACK_AUDIT_KEY is not set');
      await expect(keyless.verifyCheckpoints()).rejects.toThrow('LOOKBACK_AUDIT_KEY is not set');
    });
  });
});
