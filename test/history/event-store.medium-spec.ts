import 'reflect-metadata';
import type { Principal } from '../../src/auth/principal.js';
import { RECORD_STUDY_SESSION } from '../../src/evidence/evidence.inputs.js';
import { EventStoreRepository } from '../../src/history/event-store.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { campaignServices, createGrassroots, OFFICER, recordStory } from './support/campaign-story.js';

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
});
