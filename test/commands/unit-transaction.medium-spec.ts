import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AcceptedChange, Refusal } from '../../src/commands/command-listeners.js';
import type { AcceptedCommand } from '../../src/commands/unit-transaction.js';
import { invalidInput } from '../../src/common/results/error-results.js';
import { RECORD_STUDY_SESSION } from '../../src/evidence/evidence.inputs.js';
import {
  ADMIN,
  campaignServices,
  createGrassroots,
  OFFICER,
  recordStory,
  type CampaignServices,
} from '../history/support/campaign-story.js';
import { auditServices } from '../history/support/audit-services.js';
import { footprintOf } from '../history/support/unit-footprint.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { rootUnitRow } from '../support/unit-rows.js';

const MINUTE = 60_000;
const answered = (a: AcceptedCommand) => ({ __typename: 'Answered' as const, seq: a.event.seq, at: a.at });

/**
 * The one transaction of a unit command on a real database: what the statechart refuses and how, what the listeners
 * are told, when the unit's phase is written, and a clock behind the unit's last event.
 */
describe('UnitTransaction', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let refusals: Refusal[];
  let changes: AcceptedChange[];
  let warnings: string[];

  beforeEach(() => {
    // a fresh transaction service each test: it remembers when it last warned of a clock behind
    services = campaignServices(medium.db);
    refusals = [];
    changes = [];
    services.listeners.register({
      refused: async (_tx, refusal) => void refusals.push(refusal),
      accepted: async (_tx, change) => void changes.push(change),
    });
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: { context?: string }, message: unknown) {
      warnings.push(`[${this.context}] ${String(message)}`);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const studySession = (unitId: string, occurredAt: Date) =>
    services.bus.submit(OFFICER, {
      operation: 'recordStudySession',
      type: 'STUDY_SESSION',
      unitId,
      input: { unitId, format: 'GROUP_DISCUSSION', occurredAt, hours: 2, attendees: 9 },
      shape: RECORD_STUDY_SESSION,
      accepted: answered,
    });
  const lastAttempt = async (unitId: string) =>
    (
      await medium.db.query<{ command: string; failure: string }>(
        'SELECT command, failure FROM command_attempts WHERE unit_id = ? ORDER BY id DESC LIMIT 1',
        [unitId],
      )
    )[0];
  const unitRow = async (unitId: string) =>
    (
      await medium.db.query<{ phase: string; updated_at: number | string }>(
        'SELECT phase, updated_at FROM units WHERE id = ?',
        [unitId],
      )
    ).map((r) => ({ phase: r.phase, updatedAt: Number(r.updated_at) }))[0];

  describe('the statechart’s refusals', () => {
    it('an event the state does not take: NotAllowedInState with the active states, an attempt, the listeners told', async () => {
      const id = await createGrassroots(services, '未启动');
      const answer = await services.stageEvents.send(OFFICER, { unitId: id, event: 'COMPLETE_STUDY' });
      expect(answer).toMatchObject({
        __typename: 'NotAllowedInState',
        errorCode: 'NOT_ALLOWED_IN_STATE',
        message: 'COMPLETE_STUDY is not allowed in registered.',
        activeStates: ['registered'],
      });
      expect(await lastAttempt(id)).toEqual({ command: 'COMPLETE_STUDY', failure: 'NOT_ALLOWED_IN_STATE' });
      expect(refusals).toEqual([
        {
          unit: expect.objectContaining({ id }),
          type: 'COMPLETE_STUDY',
          stage: true,
          errorCode: 'NOT_ALLOWED_IN_STATE',
          at: services.clock.now().getTime(),
        },
      ]);
    });

    it('an input the statechart refuses (evidence from the future): InvalidInput naming the field', async () => {
      const id = await createGrassroots(services, '未来');
      await recordStory(services, id, 2);
      const future = new Date(services.clock.now().getTime() + MINUTE);
      const answer = await studySession(id, future);
      expect(answer).toMatchObject({
        __typename: 'InvalidInput',
        field: 'occurredAt',
        message: `occurredAt (${future.toISOString()}) is after the time of recording: evidence cannot come from the future.`,
      });
      expect(await lastAttempt(id)).toEqual({ command: 'recordStudySession', failure: 'INVALID_INPUT' });
      expect(refusals.map((r) => [r.type, r.stage, r.errorCode])).toEqual([['STUDY_SESSION', false, 'INVALID_INPUT']]);
    });
  });

  describe('a feature’s checks and an admin’s override', () => {
    it('a failure the feature’s checks find is the answer: an attempt, no event', async () => {
      const id = await createGrassroots(services, '检查');
      await recordStory(services, id, 2);
      const before = await footprintOf(medium.db, id);
      const answer = await services.bus.submit(OFFICER, {
        operation: 'recordStudySession',
        type: 'STUDY_SESSION',
        unitId: id,
        input: { unitId: id, format: 'GROUP_DISCUSSION', occurredAt: services.clock.now(), hours: 2, attendees: 9 },
        shape: RECORD_STUDY_SESSION,
        prepare: async () => invalidInput('the room was booked twice.', 'attendees'),
        accepted: answered,
      });
      expect(answer).toMatchObject({ __typename: 'InvalidInput', field: 'attendees' });
      expect(await footprintOf(medium.db, id)).toEqual({ ...before, attempts: before.attempts + 1 });
      expect(await lastAttempt(id)).toEqual({ command: 'recordStudySession', failure: 'INVALID_INPUT' });
    });

    it('an override passes the gates that block the same event sent plainly, and is flagged on its event alone', async () => {
      const id = await createGrassroots(services, '越过');
      await recordStory(services, id, 2);
      expect(await services.stageEvents.send(OFFICER, { unitId: id, event: 'COMPLETE_STUDY' })).toMatchObject({
        __typename: 'TransitionBlocked',
      });
      expect(
        await services.stageEvents.send(ADMIN, { unitId: id, event: 'COMPLETE_STUDY', reason: '特批' }, true),
      ).toMatchObject({ eventSeq: 3 });
      const events = await services.store.events(id, 0, null);
      expect(events.map((e) => [e.seq, e.type, e.override])).toEqual([
        [1, 'FILE_STUDY_PLAN', false],
        [2, 'LAUNCH', false],
        [3, 'COMPLETE_STUDY', true],
      ]);
      // the events as hashed when appended are the events as stored
      const { audit } = auditServices(medium.db, services);
      expect(await audit.verify((await services.units.findById(id))!)).toMatchObject({ ok: true });
    });
  });

  describe('what a refusal tells the listeners: a stage event or not', () => {
    it('an override an admin sends is a stage event; a name that is no stage event is not', async () => {
      const id = await createGrassroots(services, '强制');
      expect(
        await services.stageEvents.send(ADMIN, { unitId: id, event: 'COMPLETE_STUDY', reason: '试' }, true),
      ).toMatchObject({ __typename: 'NotAllowedInState' });
      expect(await lastAttempt(id)).toEqual({ command: 'COMPLETE_STUDY', failure: 'NOT_ALLOWED_IN_STATE' });
      expect(await services.stageEvents.send(OFFICER, { unitId: id, event: 'DANCE' })).toMatchObject({
        __typename: 'InvalidInput',
        field: 'event',
      });
      // logged by the name sent, told as no stage event (it is sent as a LAUNCH that never runs)
      expect(await lastAttempt(id)).toEqual({ command: 'DANCE', failure: 'INVALID_INPUT' });
      expect(refusals.map((r) => [r.type, r.stage, r.errorCode])).toEqual([
        ['COMPLETE_STUDY', true, 'NOT_ALLOWED_IN_STATE'],
        ['LAUNCH', false, 'INVALID_INPUT'],
      ]);
    });
  });

  describe('what an accepted command writes besides its event', () => {
    it('the unit’s phase (and its time) only when the event moves it; the listeners told before and after', async () => {
      const id = await createGrassroots(services, '阶段');
      const created = await unitRow(id);
      await recordStory(services, id, 1); // the study plan: still registered
      expect(await unitRow(id)).toEqual(created);
      await recordStory(services, id, 1, 2); // LAUNCH
      const launched = services.clock.now().getTime();
      expect(await unitRow(id)).toEqual({ phase: 'stage1', updatedAt: launched });
      services.clock.advanceMs(MINUTE);
      expect(await studySession(id, new Date(launched))).toMatchObject({ seq: 3 });
      expect(await unitRow(id)).toEqual({ phase: 'stage1', updatedAt: launched });
      expect(changes.map((c) => [c.unit.id, c.before.version, c.after.version, c.event.seq, c.event.type])).toEqual([
        [id, 0, 1, 1, 'FILE_STUDY_PLAN'],
        [id, 1, 2, 2, 'LAUNCH'],
        [id, 2, 3, 3, 'STUDY_SESSION'],
      ]);
    });

    it('a unit row without a stored snapshot is a programming error, not an answer', async () => {
      const id = '01900000-0000-7000-8000-00000000abcd';
      const unit = rootUnitRow(id, '无快照', services.clock.now().getTime());
      await medium.db.transaction((tx) => services.units.insert(tx, unit));
      await expect(services.stageEvents.send(OFFICER, { unitId: id, event: 'LAUNCH' })).rejects.toThrow(
        `unit ${id} has no stored snapshot`,
      );
    });
  });

  describe('a clock behind the unit’s last event', () => {
    it('stamps the event at that event’s time, and says so at most once a minute', async () => {
      const id = await createGrassroots(services, '慢钟');
      const [, , last] = await recordStory(services, id, 3);
      const launchedAt = last.at - 30 * MINUTE;
      const behind = (ms: number) =>
        `[Commands] the clock is ${ms} ms behind unit ${id}'s last event: its events are stamped at that event's time`;

      services.clock.set(new Date(last.at - 5 * MINUTE));
      expect(await studySession(id, new Date(launchedAt))).toEqual({ __typename: 'Answered', seq: 4, at: last.at });
      expect(warnings).toEqual([behind(5 * MINUTE)]);
      expect((await footprintOf(medium.db, id)).state.updatedAt).toBe(last.at);

      services.clock.advanceMs(MINUTE); // a minute after the warning: not yet again
      expect(await studySession(id, new Date(launchedAt))).toEqual({ __typename: 'Answered', seq: 5, at: last.at });
      expect(warnings).toHaveLength(1);

      services.clock.advanceMs(1);
      expect(await studySession(id, new Date(launchedAt))).toEqual({ __typename: 'Answered', seq: 6, at: last.at });
      expect(warnings).toEqual([behind(5 * MINUTE), behind(4 * MINUTE - 1)]);
    });

    it('a clock exactly at the last event’s time is not behind', async () => {
      const id = await createGrassroots(services, '准钟');
      const [, , last] = await recordStory(services, id, 3);
      expect(services.clock.now().getTime()).toBe(last.at);
      expect(await studySession(id, new Date(last.at))).toEqual({ __typename: 'Answered', seq: 4, at: last.at });
      expect(warnings).toEqual([]);
    });
  });
});
