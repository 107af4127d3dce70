import 'reflect-metadata';
import { MAX_KEPT_STRING, MAX_RECORD_CHARS } from '../../src/commands/attempt-record.js';
import type { AcceptedCommand } from '../../src/commands/unit-transaction.js';
import { RECORD_STUDY_SESSION } from '../../src/evidence/evidence.inputs.js';
import { eventHash } from '../../src/history/hash-chain.js';
import { SNAPSHOT_EVERY } from '../../src/history/history.service.js';
import { STAGE_EVENT } from '../../src/stage-events/stage-event.inputs.js';
import { useMediumDatabase } from '../support/medium-database.js';
import {
  campaignServices,
  createGrassroots,
  OFFICER,
  recordStory,
  type CampaignServices,
} from './support/campaign-story.js';
import { footprintOf, type UnitFootprint } from './support/unit-footprint.js';

const answered = (a: AcceptedCommand) => ({ __typename: 'Answered' as const, seq: a.event.seq, status: a.status });

/** The real command path on a real database: a refused command is one bounded attempt and nothing else; an accepted one is one event. */
describe('CommandBus.submit', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let sut: CampaignServices['bus'];

  beforeAll(() => {
    services = campaignServices(medium.db);
    sut = services.bus;
  });

  const studySession = (unitId: string, input: Record<string, unknown> = {}) =>
    sut.submit(OFFICER, {
      operation: 'recordStudySession',
      type: 'STUDY_SESSION',
      unitId,
      input: { unitId, format: 'GROUP_DISCUSSION', occurredAt: services.clock.now(), hours: 2, attendees: 9, ...input },
      shape: RECORD_STUDY_SESSION,
      accepted: answered,
    });

  const completeStudy = (unitId: string, input: Record<string, unknown> = {}) =>
    sut.submit(OFFICER, {
      operation: 'sendEvent:COMPLETE_STUDY',
      type: 'COMPLETE_STUDY',
      unitId,
      input: { unitId, event: 'COMPLETE_STUDY', ...input },
      shape: STAGE_EVENT,
      accepted: answered,
    });

  const attemptsOf = (unitId: string) =>
    medium.db.query<{
      command: string;
      payload: string;
      actor: string;
      role: string;
      at: number | string;
      failure: string;
      detail: string;
    }>(
      'SELECT command, payload, actor, role, at, failure, detail FROM command_attempts WHERE unit_id = ? ORDER BY id',
      [unitId],
    );

  /** A refusal leaves everything as it was but the attempts log, one row longer. */
  const onlyOneMoreAttempt = (before: UnitFootprint): UnitFootprint => ({ ...before, attempts: before.attempts + 1 });

  /** A launched GRASSROOTS unit (plan and LAUNCH through the command path): version 2. */
  async function launchedUnit(name: string): Promise<string> {
    const id = await createGrassroots(services, name);
    await recordStory(services, id, 2);
    return id;
  }

  describe('a refusal writes one bounded attempt and no event', () => {
    it('a blocked stage event: TransitionBlocked with every blocker, logged with who, when and why', async () => {
      const id = await launchedUnit('拦住');
      const before = await footprintOf(medium.db, id);
      const answer = await completeStudy(id);
      expect(answer).toMatchObject({ __typename: 'TransitionBlocked', event: 'COMPLETE_STUDY' });
      const codes = (answer as { blockers: { code: string }[] }).blockers.map((b) => b.code).sort();
      expect(codes).toEqual(['FILM_MISSING', 'GROUP_DISCUSSION_MISSING', 'PARTY_LECTURE_MISSING', 'STUDY_DWELL']);

      expect(await footprintOf(medium.db, id)).toEqual(onlyOneMoreAttempt(before));
      const [attempt] = (await attemptsOf(id)).slice(-1);
      expect(attempt).toMatchObject({
        command: 'COMPLETE_STUDY',
        actor: 'officer',
        role: 'OFFICER',
        failure: 'TRANSITION_BLOCKED',
      });
      expect(Number(attempt.at)).toBe(services.clock.now().getTime());
      expect(
        JSON.parse(attempt.detail)
          .blockers.map((b: { code: string }) => b.code)
          .sort(),
      ).toEqual(codes);
    });

    it('an input far over its limit: InvalidInput naming the field, and the log keeps a bounded summary, not the input', async () => {
      const id = await launchedUnit('超长');
      const before = await footprintOf(medium.db, id);
      const topic = '学'.repeat(100_000);
      expect(await studySession(id, { topic })).toMatchObject({ __typename: 'InvalidInput', field: 'topic' });

      expect(await footprintOf(medium.db, id)).toEqual(onlyOneMoreAttempt(before));
      const [attempt] = (await attemptsOf(id)).slice(-1);
      expect(attempt.failure).toBe('INVALID_INPUT');
      expect(attempt.payload.length).toBeLessThanOrEqual(MAX_RECORD_CHARS);
      const kept = JSON.parse(attempt.payload).topic as string;
      expect(kept.startsWith('学'.repeat(MAX_KEPT_STRING))).toBe(true);
      expect(kept.length).toBeLessThan(MAX_KEPT_STRING + 20);
      expect(attempt.detail.length).toBeLessThanOrEqual(MAX_RECORD_CHARS);
    });

    it('the summary of a cut string says how much of the input was cut', async () => {
      const id = await launchedUnit('截断计数');
      expect(await studySession(id, { topic: '学'.repeat(100_000) })).toMatchObject({
        __typename: 'InvalidInput',
        field: 'topic',
      });
      const [attempt] = (await attemptsOf(id)).slice(-1);
      expect(JSON.parse(attempt.payload).topic).toBe(`${'学'.repeat(MAX_KEPT_STRING)}…(+${100_000 - MAX_KEPT_STRING})`);
    });

    it('a stale expectedVersion: VersionConflict with the current version, logged', async () => {
      const id = await launchedUnit('过期');
      const before = await footprintOf(medium.db, id);
      expect(await studySession(id, { expectedVersion: 1 })).toMatchObject({
        __typename: 'VersionConflict',
        currentVersion: 2,
      });
      expect(await footprintOf(medium.db, id)).toEqual(onlyOneMoreAttempt(before));
      expect(JSON.parse((await attemptsOf(id)).slice(-1)[0].detail)).toMatchObject({
        errorCode: 'VERSION_CONFLICT',
        currentVersion: 2,
      });
    });

    it('the current expectedVersion: accepted, as without one', async () => {
      const id = await launchedUnit('当前');
      expect(await studySession(id, { expectedVersion: 2 })).toMatchObject({ seq: 3 });
    });

    it('does not consume the idempotency key: the same key then carries an accepted command', async () => {
      const id = await launchedUnit('键');
      expect(await completeStudy(id, { idempotencyKey: 'k-refused-first' })).toMatchObject({
        __typename: 'TransitionBlocked',
      });
      expect((await footprintOf(medium.db, id)).idempotencyKeys).toBe(0);
      expect(await studySession(id, { idempotencyKey: 'k-refused-first' })).toMatchObject({ seq: 3 });
    });
  });

  describe('an accepted command writes one event, moves the snapshot, remembers the key', () => {
    it('one event chained to the old head, the snapshot at its hash and version, the key, no attempt', async () => {
      const id = await launchedUnit('接受');
      const before = await footprintOf(medium.db, id);
      services.clock.advanceMs(60_000);
      const answer = await studySession(id, { topic: '  党章  ', idempotencyKey: 'k-accepted' });
      expect(answer).toMatchObject({ __typename: 'Answered', seq: 3, status: { phase: 'stage1', version: 3 } });

      const after = await footprintOf(medium.db, id);
      expect(after).toMatchObject({
        events: before.events + 1,
        attempts: before.attempts,
        snapshots: before.snapshots,
        idempotencyKeys: 1,
        phase: 'stage1',
      });
      const [event] = await services.store.events(id, 2, null);
      const { hash, ...fields } = event;
      expect(fields).toMatchObject({
        seq: 3,
        type: 'STUDY_SESSION',
        actor: 'officer',
        role: 'OFFICER',
        at: services.clock.now().getTime(),
        idempotencyKey: 'k-accepted',
        prevHash: before.state.headHash,
      });
      expect(fields.payload).toMatchObject({ unitId: id, format: 'GROUP_DISCUSSION', topic: '党章' });
      expect(hash).toBe(eventHash(fields));
      expect(after.state).toMatchObject({ version: 3, headHash: hash, updatedAt: services.clock.now().getTime() });
      expect(JSON.parse(after.state.context).study.sessionsByFormat.GROUP_DISCUSSION).toBe(
        JSON.parse(before.state.context).study.sessionsByFormat.GROUP_DISCUSSION + 1,
      );
    });

    it('a retry with the key answers the first answer and writes nothing; another input under the key is refused', async () => {
      const id = await launchedUnit('重试');
      const input = { topic: '重试', idempotencyKey: 'k-retry' };
      const first = await studySession(id, input);
      const once = await footprintOf(medium.db, id);
      expect(await studySession(id, input)).toEqual(first);
      expect(await footprintOf(medium.db, id)).toEqual(once);

      expect(await studySession(id, { ...input, attendees: 10 })).toMatchObject({ __typename: 'IdempotencyKeyReused' });
      expect(await footprintOf(medium.db, id)).toEqual(onlyOneMoreAttempt(once));
    });

    it("a stage event moves the unit's phase with its snapshot", async () => {
      const id = await createGrassroots(services, '启动');
      await recordStory(services, id, 1);
      const answer = await sut.submit(OFFICER, {
        operation: 'sendEvent:LAUNCH',
        type: 'LAUNCH',
        unitId: id,
        input: { unitId: id, event: 'LAUNCH' },
        shape: STAGE_EVENT,
        prepare: async () => ({ parentLaunched: true }),
        accepted: answered,
      });
      expect(answer).toMatchObject({ seq: 2, status: { phase: 'stage1' } });
      const after = await footprintOf(medium.db, id);
      expect(after.phase).toBe('stage1');
      expect(JSON.parse(after.state.stateValue)).toHaveProperty('stage1');
    });

    it(`the ${SNAPSHOT_EVERY}th event also stores the snapshot it moved to`, async () => {
      const id = await createGrassroots(services, '第64');
      await recordStory(services, id, SNAPSHOT_EVERY - 1);
      const before = await footprintOf(medium.db, id);
      expect(before.snapshots).toBe(1);
      expect(await studySession(id)).toMatchObject({ seq: SNAPSHOT_EVERY });
      const after = await footprintOf(medium.db, id);
      expect(after.snapshots).toBe(2);
      const [kept] = await medium.db.query<{ state_value: string; context: string; at: number | string }>(
        'SELECT state_value, context, at FROM unit_snapshots WHERE unit_id = ? AND seq = ?',
        [id, SNAPSHOT_EVERY],
      );
      expect({ stateValue: kept.state_value, context: kept.context, at: Number(kept.at) }).toEqual({
        stateValue: after.state.stateValue,
        context: after.state.context,
        at: after.state.updatedAt,
      });
    });
  });
});
