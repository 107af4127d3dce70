import 'reflect-metadata';
import type { Principal } from '../../src/auth/principal.js';
import { RECORD_STUDY_SESSION } from '../../src/evidence/evidence.inputs.js';
import type { Tx } from '../../src/database/db.js';
import { EventStoreRepository } from '../../src/history/event-store.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { ADMIN, campaignServices, createGrassroots, OFFICER, recordStory } from './support/campaign-story.js';

const OTHER_OFFICER: Principal = { sub: 'other officer', role: 'OFFICER', scopeUnitId: null };

/** The event store's reads that the command path asks inside its transaction, on a real database. */
describe('EventStoreRepository', () => {
  const medium = useMediumDatabase();

  it('lastActorOf: who sent the newest event of a type, null for a type never sent', async () => {
    const services = campaignServices(medium.db);
    const sut = new EventStoreRepository(medium.db);
    const id = await createGrassroots(services, '谁最后');
    const other = await createGrassroots(services, '别处');
    await recordStory(services, id, 2);
    const session = (principal: Principal, unitId: string) =>
      services.bus.submit(principal, {
        operation: 'recordStudySession',
        type: 'STUDY_SESSION',
        unitId,
        input: { unitId, format: 'SELF_STUDY', occurredAt: services.clock.now(), hours: 1, attendees: 3 },
        shape: RECORD_STUDY_SESSION,
        accepted: (a) => ({ __typename: 'Answered' as const, seq: a.event.seq }),
      });
    expect(await session(OFFICER, id)).toMatchObject({ seq: 3 });
    expect(await session(OTHER_OFFICER, id)).toMatchObject({ seq: 4 });
    await recordStory(services, other, 2);
    expect(await session(OFFICER, other)).toMatchObject({ seq: 3 });
    const asked = await medium.db.transaction(async (tx) => [
      await sut.lastActorOf(tx, id, 'STUDY_SESSION'),
      await sut.lastActorOf(tx, id, 'LAUNCH'),
      await sut.lastActorOf(tx, id, 'REQUEST_LOOKBACK'),
      await sut.versionOf(tx, id),
      await sut.versionOf(tx, 'no such unit'),
    ]);
    expect(asked).toEqual(['other officer', 'officer', null, 4, null]);
  });

  it('an event is read back as it was written: its reason, idempotency key, override flag and times', async () => {
    const services = campaignServices(medium.db);
    const sut = new EventStoreRepository(medium.db);
    const id = await createGrassroots(services, '读回');
    await recordStory(services, id, 2);
    services.clock.advanceMs(120_000);
    const occurredAt = new Date(services.clock.now().getTime() - 60_000);
    const wallBefore = Date.now();
    const answer = await services.bus.submit(OFFICER, {
      operation: 'recordStudySession',
      type: 'STUDY_SESSION',
      unitId: id,
      input: {
        unitId: id,
        format: 'SELF_STUDY',
        occurredAt,
        hours: 1,
        attendees: 3,
        idempotencyKey: 'key-3',
      },
      shape: RECORD_STUDY_SESSION,
      accepted: (a) => ({ __typename: 'Answered' as const, seq: a.event.seq }),
    });
    expect(answer).toMatchObject({ seq: 3 });
    const wallAfter = Date.now();
    const at = services.clock.now().getTime();
    const [plan, launch, session] = await sut.events(id, 0, null);
    expect(session).toMatchObject({
      unitId: id,
      seq: 3,
      type: 'STUDY_SESSION',
      actor: 'officer',
      role: 'OFFICER',
      reason: null,
      idempotencyKey: 'key-3',
      override: false,
      at,
      occurredAt: occurredAt.getTime(),
      rulebookVersion: 1,
      prevHash: launch.hash,
    });
    // recorded at the wall clock's time, whatever the service clock says
    expect(session.recordedAt).toBeGreaterThanOrEqual(wallBefore);
    expect(session.recordedAt).toBeLessThanOrEqual(wallAfter);
    expect(session.payload).toMatchObject({ unitId: id, format: 'SELF_STUDY', hours: 1, attendees: 3 });
    expect(plan).toMatchObject({ seq: 1, reason: null, idempotencyKey: null, occurredAt: null, override: false });
    // the same rows through every read of events
    expect(await sut.eventsBetween(id, 0, 3)).toEqual([plan, launch, session]);
    expect(await sut.eventsBetween(id, 1, 2)).toEqual([launch]);
    expect(await sut.events(id, 1, 1)).toEqual([launch]);
    // an admin's override is flagged on its event
    expect(
      await services.stageEvents.send(ADMIN, { unitId: id, event: 'COMPLETE_STUDY', reason: '特批' }, true),
    ).toMatchObject({ eventSeq: 4 });
    expect(await sut.eventsBetween(id, 3, 4)).toEqual([
      expect.objectContaining({ seq: 4, override: true, reason: '特批', actor: 'admin', role: 'ADMIN' }),
    ]);
  });

  it('the reads of many units asked for none answer empty without asking the database', async () => {
    const sut = new EventStoreRepository(medium.db);
    const statementsOf = async (read: () => Promise<unknown>) => {
      const before = medium.db.statementCount;
      expect(await read()).toEqual(new Map());
      return medium.db.statementCount - before;
    };
    expect(await statementsOf(() => sut.statesByIds([]))).toBe(0);
    expect(await statementsOf(() => sut.snapshotsOf([]))).toBe(0);
    // inside a transaction: no more statements than the transaction's own
    const emptyTransaction = await statementsOf(() => medium.db.transaction(async () => new Map()));
    expect(await statementsOf(() => medium.db.transaction((tx) => sut.loadStatesForUpdate(tx, [])))).toBe(
      emptyTransaction,
    );
  });

  it('a unit read for update stays locked until its transaction ends: a second reader for update waits for the commit', async () => {
    const services = campaignServices(medium.db);
    const sut = new EventStoreRepository(medium.db);
    const id = await createGrassroots(services, '排队');
    const other = await createGrassroots(services, '排队二');
    for (const secondRead of [
      (tx: Tx) => sut.loadStateForUpdate(tx, id),
      (tx: Tx) => sut.loadStatesForUpdate(tx, [other, id]),
    ]) {
      const order: string[] = [];
      let second: Promise<unknown> = Promise.resolve();
      await medium.db.transaction(async (tx) => {
        expect(await sut.loadStateForUpdate(tx, id)).toMatchObject({ unitId: id, version: 0 });
        second = medium.db.transaction(async (tx2) => {
          await secondRead(tx2);
          order.push('second read');
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        order.push('first done');
      });
      await second;
      expect(order).toEqual(['first done', 'second read']);
    }
  });
});
