import 'reflect-metadata';
import type { Tx } from '../../src/database/db.js';
import { EventStoreRepository, type UnitState } from '../../src/history/event-store.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { auditServices } from './support/audit-services.js';
import { campaignServices, createGrassroots, OFFICER, recordStory } from './support/campaign-story.js';
import { footprintOf } from './support/unit-footprint.js';

/**
 * A store whose next `loadStateForUpdate` is followed, in the same transaction, by another writer moving the
 * snapshot's version: what a concurrent command would have done between this command's read and its compare-and-set.
 */
class StoreWithARival extends EventStoreRepository {
  private rivalFor: string | null = null;

  rivalNextRead(unitId: string): void {
    this.rivalFor = unitId;
  }

  override async loadStateForUpdate(tx: Tx, unitId: string): Promise<UnitState | null> {
    const state = await super.loadStateForUpdate(tx, unitId);
    if (this.rivalFor === unitId) {
      this.rivalFor = null;
      await tx.run('UPDATE unit_states SET version = version + 1 WHERE unit_id = ?', [unitId]);
    }
    return state;
  }
}

describe('the snapshot moves only by compare-and-set on its version', () => {
  const medium = useMediumDatabase();

  describe('EventStoreRepository.compareAndSetState', () => {
    it('changes no row and returns 0 with a stale expected version, one row and 1 with the current one', async () => {
      const services = campaignServices(medium.db);
      const unitId = await createGrassroots(services, '比较并交换');
      await recordStory(services, unitId, 3);
      const sut = new EventStoreRepository(medium.db);
      const before = await footprintOf(medium.db, unitId);
      const read = (await sut.statesByIds([unitId])).get(unitId)!;
      expect(read.version).toBe(3);
      const moved: UnitState = {
        ...read,
        snapshot: { ...read.snapshot, value: 'moved' as never },
        version: 4,
        headHash: 'f'.repeat(64),
        updatedAt: read.updatedAt + 1,
      };

      for (const stale of [2, 4, 0]) {
        expect(await medium.db.transaction((tx) => sut.compareAndSetState(tx, moved, stale))).toBe(0);
        expect(await footprintOf(medium.db, unitId)).toEqual(before);
      }

      expect(await medium.db.transaction((tx) => sut.compareAndSetState(tx, moved, 3))).toBe(1);
      const after = await footprintOf(medium.db, unitId);
      expect(after.state).toEqual({
        version: 4,
        headHash: 'f'.repeat(64),
        stateValue: '"moved"',
        context: before.state.context,
        updatedAt: read.updatedAt + 1,
      });
      // the same expected version a second time is now stale
      expect(await medium.db.transaction((tx) => sut.compareAndSetState(tx, { ...moved, version: 5 }, 3))).toBe(0);
      expect(await footprintOf(medium.db, unitId)).toEqual(after);
    });

    it('touches only the unit it names', async () => {
      const services = campaignServices(medium.db);
      const [one, other] = [await createGrassroots(services, '甲'), await createGrassroots(services, '乙')];
      const sut = new EventStoreRepository(medium.db);
      const otherBefore = await footprintOf(medium.db, other);
      const state = (await sut.statesByIds([one])).get(one)!;
      expect(await medium.db.transaction((tx) => sut.compareAndSetState(tx, { ...state, version: 1 }, 0))).toBe(1);
      expect(await footprintOf(medium.db, other)).toEqual(otherBefore);
    });
  });

  describe('in the command path', () => {
    it('answers VersionConflict with the current version when another writer moved the snapshot after the read, and writes nothing', async () => {
      const store = new StoreWithARival(medium.db);
      const services = campaignServices(medium.db, { store });
      const unitId = await createGrassroots(services, '抢先');
      await recordStory(services, unitId, 3);
      const before = await footprintOf(medium.db, unitId);
      services.clock.advanceMs(60_000);

      store.rivalNextRead(unitId);
      const sut = services.evidence;
      const answer = await sut.recordOpinion(OFFICER, {
        targetUnitId: unitId,
        collectedByUnitId: unitId,
        channel: 'HOME_VISIT',
        category: 'FORMALISM',
        text: '会多',
        occurredAt: services.clock.now(),
        idempotencyKey: 'raced-opinion',
      });

      expect(answer).toMatchObject({ __typename: 'VersionConflict', errorCode: 'VERSION_CONFLICT', currentVersion: 4 });
      // the whole transaction rolled back: no event, no opinion, no remembered key, the snapshot (and the rival's move)
      // undone — and the refusal, like every refusal on an existing unit, is one attempt
      expect(await footprintOf(medium.db, unitId)).toEqual({ ...before, attempts: before.attempts + 1 });
      const [attempt] = await medium.db.query<{ failure: string; command: string }>(
        'SELECT failure, command FROM command_attempts WHERE unit_id = ? ORDER BY id DESC LIMIT 1',
        [unitId],
      );
      expect(attempt).toEqual({ failure: 'VERSION_CONFLICT', command: 'recordOpinion' });
    });

    it('leaves the unit usable: the same command afterwards is accepted at the next seq and the history verifies', async () => {
      const store = new StoreWithARival(medium.db);
      const services = campaignServices(medium.db, { store });
      const unitId = await createGrassroots(services, '再试');
      await recordStory(services, unitId, 2);
      const input = {
        unitId,
        format: 'GROUP_DISCUSSION',
        occurredAt: services.clock.now(),
        hours: 1,
        attendees: 5,
        idempotencyKey: 'retry-me',
      };

      store.rivalNextRead(unitId);
      expect(await services.evidence.recordStudySession(OFFICER, input)).toMatchObject({
        __typename: 'VersionConflict',
        currentVersion: 3,
      });
      const retried = await services.evidence.recordStudySession(OFFICER, input);
      expect(retried).toMatchObject({ eventSeq: 3, status: { version: 3 } });

      const { audit } = auditServices(medium.db, services);
      const unit = (await services.units.findById(unitId))!;
      expect(await audit.verify(unit)).toEqual({
        ok: true,
        checkedEvents: 3,
        firstBrokenSeq: null,
        problem: null,
        detail: null,
      });
    });
  });
});
