import 'reflect-metadata';
import { statusOf } from '../../machines/index.js';
import { GENESIS_SIGNATURE, headsDigest, signCheckpoint } from '../../src/audit/checkpoint.js';
import type { EventRow } from '../../src/history/event-store.repository.js';
import { eventHash, genesisHash } from '../../src/history/hash-chain.js';
import type { UnitRow } from '../../src/tree/units.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { CommandListeners } from '../../src/commands/command-listeners.js';
import { UnitMigration } from '../../src/commands/unit-migration.js';
import { UnitMigrationRepository } from '../../src/commands/unit-migration.repository.js';
import type { SqlParam } from '../../src/database/db.js';
import { unitWithDirectHistory } from '../history/support/direct-history.js';
import { auditServices } from '../history/support/audit-services.js';
import {
  ADMIN,
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
  async function forgeIllegalEvent(unitId: string, type = 'CONCLUDE_LOOKBACK'): Promise<number> {
    const [state] = [...(await services.store.statesByIds([unitId])).values()];
    const at = services.clock.now().getTime();
    const fields: Omit<EventRow, 'hash'> = {
      unitId,
      seq: state.version + 1,
      type,
      payload: { unitId, event: type },
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

    it('verifyCheckpoints finds a checkpoint whose chain, signature or heads were changed, after the sound ones before it', async () => {
      const [, second] = await repository.checkpoints();
      const [head] = await repository.headsOf(second.id);
      /** Runs `change`, checks the checkpoints, and puts the rows back as they were. */
      const checkedWith = async (change: string, params: SqlParam[], undo: string, undoParams: SqlParam[]) => {
        await medium.db.transaction((tx) => tx.run(change, params));
        try {
          return await sut.verifyCheckpoints();
        } finally {
          await medium.db.transaction((tx) => tx.run(undo, undoParams));
        }
      };
      const broken = (problem: string) => ({ ok: false, checked: 1, firstBrokenCheckpointId: second.id, problem });
      expect(
        await checkedWith(
          'UPDATE audit_checkpoints SET prev_signature = ? WHERE id = ?',
          ['f'.repeat(64), second.id],
          'UPDATE audit_checkpoints SET prev_signature = ? WHERE id = ?',
          [second.prevSignature, second.id],
        ),
      ).toEqual(broken('the chain to the previous checkpoint is broken'));
      expect(
        await checkedWith(
          'UPDATE audit_checkpoints SET digest = ? WHERE id = ?',
          ['e'.repeat(64), second.id],
          'UPDATE audit_checkpoints SET digest = ? WHERE id = ?',
          [second.digest, second.id],
        ),
      ).toEqual(broken('the signature does not match'));
      expect(
        await checkedWith(
          'UPDATE audit_checkpoint_heads SET hash = ? WHERE checkpoint_id = ? AND unit_id = ?',
          ['d'.repeat(64), second.id, head.unitId],
          'UPDATE audit_checkpoint_heads SET hash = ? WHERE checkpoint_id = ? AND unit_id = ?',
          [head.hash, second.id, head.unitId],
        ),
      ).toEqual(broken('the heads do not match the signed digest'));
      expect(
        await checkedWith(
          'DELETE FROM audit_checkpoint_heads WHERE checkpoint_id = ? AND unit_id = ?',
          [second.id, head.unitId],
          'INSERT INTO audit_checkpoint_heads (checkpoint_id, unit_id, seq, hash) VALUES (?, ?, ?, ?)',
          [second.id, head.unitId, head.seq, head.hash],
        ),
      ).toEqual(broken('the heads do not match the signed digest'));
      expect(await sut.verifyCheckpoints()).toEqual({
        ok: true,
        checked: 2,
        firstBrokenCheckpointId: null,
        problem: null,
      });
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
      // a unit the newest checkpoint holds cannot be vouched for by it: the checkpoint is not trusted
      expect(await keyless.verify(story.unit)).toMatchObject({
        ok: false,
        problem: 'CHECKPOINT_MISMATCH',
        firstBrokenSeq: null,
      });
    });
  });

  // these units come after the checkpoints: the tests above count the units there were
  describe('replay, what an auditor reads at each step', () => {
    it('a refused stored step names the blockers of a gate that blocked it, or the message of any other refusal', async () => {
      const blocked = await createGrassroots(services, '门禁');
      await recordStory(services, blocked, 2);
      const seq = await forgeIllegalEvent(blocked, 'COMPLETE_STUDY');
      const [step] = (await sut.replay(await unitRow(blocked), null, seq - 1, 10)).steps;
      expect(step).toMatchObject({ seq, type: 'COMPLETE_STUDY' });
      expect(step.refusal).toBe(
        step.gates
          .find((g) => g.event === 'COMPLETE_STUDY')!
          .blockers.map((b) => b.code)
          .join(', '),
      );
      expect(step.refusal!.split(', ').sort()).toEqual([
        'FILM_MISSING',
        'GROUP_DISCUSSION_MISSING',
        'PARTY_LECTURE_MISSING',
        'STUDY_DWELL',
      ]);

      const notInState = await createGrassroots(services, '不在此态');
      await recordStory(services, notInState, 2);
      const other = await forgeIllegalEvent(notInState);
      const [refused] = (await sut.replay(await unitRow(notInState), null, other - 1, 10)).steps;
      expect(refused.refusal).toBe(
        'CONCLUDE_LOOKBACK is not allowed in stage1.correcting.active, stage1.listening.active, stage1.study.active.',
      );
    });

    it('an admin’s LAUNCH before the parent launched shows, at that step, the LAUNCH gate blocked by the parent', async () => {
      const parent = await services.unitsService.create(ADMIN, { name: '未启动县', kind: 'DIRECT_UNIT' } as never);
      if (!('unit' in parent)) throw new Error(JSON.stringify(parent));
      const child = await services.unitsService.create(ADMIN, {
        name: '先行村',
        kind: 'GRASSROOTS',
        parentId: parent.unit.id,
      } as never);
      if (!('unit' in child)) throw new Error(JSON.stringify(child));
      const id = child.unit.id;
      await recordStory(services, id, 1); // the study plan
      expect(
        await services.stageEvents.send(ADMIN, { unitId: id, event: 'LAUNCH', reason: '特批' }, true),
      ).toMatchObject({ eventSeq: 2 });
      await recordStory(services, id, 1, 3);
      const replay = await sut.replay(await unitRow(id), null, 0, 10);
      expect(replay.steps.map((s) => [s.seq, s.type, s.refusal])).toEqual([
        [1, 'FILE_STUDY_PLAN', null],
        [2, 'LAUNCH', null],
        [3, expect.any(String), null],
      ]);
      const launchGate = (i: number) => replay.steps[i].gates.find((g) => g.event === 'LAUNCH')!;
      expect(launchGate(1)).toMatchObject({ allowed: false });
      expect(launchGate(1).blockers.map((b) => b.code)).toEqual(['PARENT_NOT_LAUNCHED']);
      // before the plan, only the plan was missing: at any other step the parent is not asked about
      expect(launchGate(0).blockers.map((b) => b.code)).toEqual(['STUDY_PLAN_MISSING']);
    });

    it('a rulebook migration is replayed from the unit’s events before it, and the unit read as of any moment across it', async () => {
      const id = await createGrassroots(services, '迁移回放');
      const before = await recordStory(services, id, 4);
      const migration = new UnitMigration(
        services.store,
        new UnitMigrationRepository(),
        new CommandListeners(),
        services.rulebooks,
      );
      services.clock.advanceMs(60_000);
      const migratedAt = services.clock.now().getTime();
      await medium.db.transaction(async (tx) =>
        migration.migrate(tx, ADMIN, (await unitRow(id))!, 2, false, '补课', migratedAt),
      );
      // evidence recorded after the migration is no part of it: the migration's gaps are those of the events before
      const after = await recordStory(services, id, 3, 6);
      const replay = await sut.replay(await unitRow(id), null, 0, 10);
      expect(replay.steps.map((s) => [s.seq, s.type, s.refusal])).toEqual([
        ...before.map((s) => [s.seq, expect.any(String), null]),
        [5, 'RULEBOOK_MIGRATED', null],
        ...after.map((s) => [s.seq, expect.any(String), null]),
      ]);
      expect(replay).toMatchObject({ diverged: false, final: { version: 8, rulebookVersion: 2 } });
      expect(await sut.asOf(await unitRow(id), new Date(migratedAt - 1))).toMatchObject({
        version: 4,
        rulebookVersion: 1,
      });
      expect(await sut.asOf(await unitRow(id), new Date(migratedAt))).toMatchObject({
        version: 5,
        rulebookVersion: 2,
      });
      expect(await sut.verify(await unitRow(id))).toMatchObject({ ok: true, checkedEvents: 8 });
    });
  });

  describe('a history longer than one read', () => {
    it('verify reads it a page of 500 at a time, to the end: exactly two pages of 1,000 events, all checked', async () => {
      const unit = await unitWithDirectHistory(medium.db, 1_000);
      expect(await sut.verify(unit)).toEqual({
        ok: true,
        checkedEvents: 1_000,
        firstBrokenSeq: null,
        problem: null,
        detail: null,
      });
    });
  });
});
