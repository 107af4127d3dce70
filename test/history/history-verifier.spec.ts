import { builtInRulebook, type StoredSnapshot } from '../../machines/index.js';
import type { EventRow, SnapshotRow } from '../../src/history/event-store.repository.js';
import { foldEvent, genesisSnapshot, migrationOf } from '../../src/history/fold.js';
import { eventHash, genesisHash } from '../../src/history/hash-chain.js';
import { verifyUnitHistory, type UnitHistory, type VerificationResult } from '../../src/history/history-verifier.js';

/**
 * The verifier judges one unit's history as stored, without a database: an honest history passes, and every kind of
 * tampering is found at its first broken event, with the problem named and how many events were checked before it.
 */

const UNIT = 'unit-1';
const T0 = Date.parse('2014-03-01T00:00:00Z');
const HOUR = 3_600_000;
const PROFILE = { kind: 'GRASSROOTS', leaderCount: 0 };

type Fields = Omit<EventRow, 'prevHash' | 'hash'>;

/** Event `seq` of a legal GRASSROOTS history: plan, launch, then study sessions and films, an hour apart. */
function fieldsOf(seq: number): Fields {
  const at = T0 + HOUR * seq;
  const base = {
    unitId: UNIT,
    seq,
    actor: 'officer',
    role: 'OFFICER',
    reason: null,
    at,
    recordedAt: at,
    rulebookVersion: 1,
    override: false,
    idempotencyKey: null,
    occurredAt: null,
  };
  if (seq === 1)
    return { ...base, type: 'FILE_STUDY_PLAN', payload: { unitId: UNIT, topics: ['群众路线'], plannedDays: 3 } };
  if (seq === 2) return { ...base, type: 'LAUNCH', payload: { unitId: UNIT, event: 'LAUNCH', parentLaunched: true } };
  const occurredAt = new Date(at - HOUR / 2).toISOString();
  const payload =
    seq % 2 === 0
      ? { unitId: UNIT, format: 'GROUP_DISCUSSION', occurredAt, hours: 2, attendees: 15, topic: '学习讨论' }
      : { unitId: UNIT, title: '焦裕禄', occurredAt };
  return {
    ...base,
    type: seq % 2 === 0 ? 'STUDY_SESSION' : 'FILM_SCREENING',
    payload,
    occurredAt: Date.parse(occurredAt),
  };
}

/** Chains events as the service would (each hash over its fields and the previous hash). */
function chained(fields: Fields[], profile = PROFILE): EventRow[] {
  let prevHash = genesisHash({ unitId: UNIT, ...profile, rulebookVersion: 1 });
  return fields.map((f) => {
    const row = { ...f, prevHash };
    const hashed = { ...row, hash: eventHash(row) };
    prevHash = hashed.hash;
    return hashed;
  });
}

/** The snapshots the service stores: its start (seq 0), after event 3, and the head. */
function honest(count = 6): UnitHistory {
  return historyOf(Array.from({ length: count }, (_, i) => fieldsOf(i + 1)));
}

function historyOf(fields: Fields[]): UnitHistory {
  const events = chained(fields);
  const count = events.length;
  let snapshot: StoredSnapshot = genesisSnapshot(PROFILE, 1, builtInRulebook);
  const snapshots: SnapshotRow[] = [{ unitId: UNIT, seq: 0, at: T0, snapshot, rulebookVersion: 1 }];
  for (const [i, event] of events.entries()) {
    const result = foldEvent(snapshot, event, builtInRulebook, events.slice(0, i));
    if (!result.ok) throw new Error(`not legal at ${event.seq}`);
    snapshot = result.snapshot;
    if (event.seq === 3) snapshots.push({ unitId: UNIT, seq: 3, at: event.at, snapshot, rulebookVersion: 1 });
  }
  return {
    unitId: UNIT,
    profile: PROFILE,
    events,
    snapshots,
    state: {
      snapshot,
      version: count,
      headHash: events.at(-1)?.hash ?? genesisHash({ unitId: UNIT, ...PROFILE, rulebookVersion: 1 }),
    },
    checkpoint: null,
  };
}

const verdict = (result: VerificationResult) => [result.problem, result.firstBrokenSeq, result.checkedEvents];

describe('verifying a unit history', () => {
  it('finds an honest history ok, every event checked', async () => {
    expect(await verifyUnitHistory(honest(), builtInRulebook)).toEqual({
      ok: true,
      checkedEvents: 6,
      firstBrokenSeq: null,
      problem: null,
      detail: null,
    });
    const empty = honest(0);
    expect(await verifyUnitHistory(empty, builtInRulebook)).toMatchObject({ ok: true, checkedEvents: 0 });
  });

  it('gives the event loop a chance at every event', async () => {
    let pauses = 0;
    await verifyUnitHistory(honest(), builtInRulebook, { pause: async () => void pauses++ } as never);
    expect(pauses).toBe(6);
  });

  describe('the start of the chain', () => {
    it('needs the first snapshot (seq 0): it says which rulebook the unit started on', async () => {
      const history = honest();
      expect(
        verdict(await verifyUnitHistory({ ...history, snapshots: history.snapshots.slice(1) }, builtInRulebook)),
      ).toEqual(['SNAPSHOT_MISMATCH', null, 0]);
      const none = await verifyUnitHistory({ ...history, snapshots: [] }, builtInRulebook);
      expect(verdict(none)).toEqual(['SNAPSHOT_MISMATCH', null, 0]);
      expect(none.detail).toBe('the unit has no first snapshot (seq 0): its starting rulebook is unknown');
    });

    it('calls a missing first event a gap, not a broken link to the genesis', async () => {
      const history = honest();
      const result = await verifyUnitHistory({ ...history, events: history.events.slice(1) }, builtInRulebook);
      expect(verdict(result)).toEqual(['SEQ_GAP', 1, 0]);
      expect(result.detail).toBe('event 1 is missing (next stored is 2)');
    });

    it("blames an edited unit (kind or leader count) on the first event's link to the genesis", async () => {
      for (const profile of [
        { kind: 'COUNTY_LEADERSHIP', leaderCount: 0 },
        { kind: 'GRASSROOTS', leaderCount: 3 },
      ]) {
        const result = await verifyUnitHistory({ ...honest(), profile }, builtInRulebook);
        expect(verdict(result)).toEqual(['HASH_MISMATCH', 1, 0]);
        expect(result.detail).toBe(
          "prevHash does not match the unit's genesis (its kind, leader count and starting rulebook)",
        );
      }
    });

    it('refuses a first snapshot other than the one the unit starts from', async () => {
      const history = honest();
      const [genesis, ...rest] = history.snapshots;
      const edited = { ...genesis, snapshot: { ...genesis.snapshot, value: 'stage1Complete' as never } };
      const result = await verifyUnitHistory({ ...history, snapshots: [edited, ...rest] }, builtInRulebook);
      expect(verdict(result)).toEqual(['SNAPSHOT_MISMATCH', 0, 0]);
      expect(result.detail).toBe('the stored first snapshot is not the one the unit starts from');
    });

    it('cannot build a start under an unknown rulebook', async () => {
      const history = honest(0);
      const genesis = { ...history.snapshots[0], rulebookVersion: 99 };
      const result = await verifyUnitHistory({ ...history, snapshots: [genesis] }, builtInRulebook);
      expect(verdict(result)).toEqual(['SNAPSHOT_MISMATCH', 0, 0]);
      expect(result.detail).toMatch(/^the unit's first snapshot cannot be built: /);
    });
  });

  describe('the events', () => {
    it('finds a missing event', async () => {
      const history = honest();
      const result = await verifyUnitHistory(
        { ...history, events: history.events.filter((e) => e.seq !== 3) },
        builtInRulebook,
      );
      expect(verdict(result)).toEqual(['SEQ_GAP', 3, 2]);
      expect(result.detail).toBe('event 3 is missing (next stored is 4)');
    });

    it('finds an edited event whose hash was not recomputed', async () => {
      const history = honest();
      history.events[3] = { ...history.events[3], actor: 'someone else' };
      const result = await verifyUnitHistory(history, builtInRulebook);
      expect(verdict(result)).toEqual(['HASH_MISMATCH', 4, 3]);
      expect(result.detail).toBe("the stored hash does not match the event's fields");
    });

    it('finds a re-hashed middle event by the next link', async () => {
      const history = honest();
      const fields = { ...history.events[2], actor: 'forger' };
      delete (fields as Partial<EventRow>).hash;
      history.events[2] = { ...fields, hash: eventHash(fields) };
      const result = await verifyUnitHistory(history, builtInRulebook);
      expect(verdict(result)).toEqual(['HASH_MISMATCH', 4, 3]);
      expect(result.detail).toBe('prevHash does not match the hash of event 3');
    });

    it('finds an event stamped before the one it follows, or before the unit was created', async () => {
      const back = Array.from({ length: 6 }, (_, i) => fieldsOf(i + 1));
      back[3] = { ...back[3], at: back[2].at - 1 };
      const result = await verifyUnitHistory({ ...honest(), events: chained(back) }, builtInRulebook);
      expect(verdict(result)).toEqual(['TIME_WENT_BACK', 4, 3]);
      expect(result.detail).toBe(
        `event 4 is stamped ${new Date(back[3].at).toISOString()}, before event 3 (${new Date(back[2].at).toISOString()})`,
      );

      const early = Array.from({ length: 6 }, (_, i) => fieldsOf(i + 1));
      early[0] = { ...early[0], at: T0 - 1 };
      const first = await verifyUnitHistory({ ...honest(), events: chained(early) }, builtInRulebook);
      expect(verdict(first)).toEqual(['TIME_WENT_BACK', 1, 0]);
      expect(first.detail).toContain("before the unit's creation");
    });

    it('takes an event stamped at the same moment as the one before it', async () => {
      const same = Array.from({ length: 6 }, (_, i) => fieldsOf(i + 1));
      same[0] = { ...same[0], at: T0 };
      expect(verdict(await verifyUnitHistory(historyOf(same), builtInRulebook))).toEqual([null, null, 6]);
    });

    it('finds an event that claims another rulebook than the unit was on', async () => {
      const other = Array.from({ length: 6 }, (_, i) => fieldsOf(i + 1));
      other[1] = { ...other[1], rulebookVersion: 2 };
      const result = await verifyUnitHistory({ ...honest(), events: chained(other) }, builtInRulebook);
      expect(verdict(result)).toEqual(['REPLAY_DIVERGES', 2, 1]);
      expect(result.detail).toBe('event says rulebook v2, the unit was on v1');
    });

    it('finds a step the rules would have refused, saying why', async () => {
      const rushed = [fieldsOf(2), fieldsOf(1)].map((f, i) => ({ ...f, seq: i + 1, at: T0 + HOUR * (i + 1) }));
      const result = await verifyUnitHistory({ ...honest(2), events: chained(rushed) }, builtInRulebook);
      expect(verdict(result)).toEqual(['REPLAY_DIVERGES', 1, 0]);
      expect(result.detail).toBe('LAUNCH would have been refused: STUDY_PLAN_MISSING');
      // every gate that blocked it, by code
      const early = [fieldsOf(1), fieldsOf(2), { ...fieldsOf(3), type: 'COMPLETE_STUDY', payload: { unitId: UNIT } }];
      const complete = await verifyUnitHistory({ ...honest(3), events: chained(early) }, builtInRulebook);
      expect(verdict(complete)).toEqual(['REPLAY_DIVERGES', 3, 2]);
      expect(complete.detail).toBe(
        'COMPLETE_STUDY would have been refused: GROUP_DISCUSSION_MISSING, FILM_MISSING, PARTY_LECTURE_MISSING, STUDY_DWELL',
      );
    });

    it('replays an admin override as the server ran it: past the gates that would block it otherwise', async () => {
      const overridden = [{ ...fieldsOf(2), seq: 1, at: T0 + HOUR, override: true }];
      expect(verdict(await verifyUnitHistory(historyOf(overridden), builtInRulebook))).toEqual([null, null, 1]);
      const claimed = await verifyUnitHistory(
        { ...historyOf(overridden), events: chained([{ ...overridden[0], override: false }]) },
        builtInRulebook,
      );
      expect(verdict(claimed)).toEqual(['REPLAY_DIVERGES', 1, 0]);
    });

    it('calls a payload the rules cannot read a history that cannot be replayed, at the event that broke', async () => {
      const bad = Array.from({ length: 6 }, (_, i) => fieldsOf(i + 1));
      bad[4] = { ...bad[4], payload: { unitId: UNIT, title: '焦裕禄', occurredAt: 'not a date' } };
      const result = await verifyUnitHistory({ ...honest(), events: chained(bad) }, builtInRulebook);
      expect(result.ok).toBe(false);
      expect(result.problem).toBe('REPLAY_DIVERGES');
      expect(result.firstBrokenSeq).toBe(5);
      expect(result.detail).toBe(
        'FILM_SCREENING would have been refused: occurredAt must be an ISO-8601 instant with a zone, e.g. 2014-03-01T09:00:00Z; got "not a date".',
      );
    });

    it('calls a history the rules cannot even run (a migration to an unknown rulebook) one that cannot be replayed', async () => {
      const migration = {
        ...fieldsOf(1),
        type: 'RULEBOOK_MIGRATED',
        payload: { fromVersion: 1, toVersion: 99, gaps: [] },
      };
      const result = await verifyUnitHistory({ ...honest(0), events: chained([migration]) }, builtInRulebook);
      expect(result).toEqual({
        ok: false,
        checkedEvents: 0,
        firstBrokenSeq: 1,
        problem: 'REPLAY_DIVERGES',
        detail: 'the history cannot be replayed: No built-in rulebook v99 (built in: v1, v2).',
      });
    });
  });

  describe('the stored snapshots and the unit state', () => {
    it('finds a stored snapshot on the way that differs from the fold, or is dated otherwise', async () => {
      const history = honest();
      const edited = { ...history.snapshots[1], snapshot: genesisSnapshot(PROFILE, 1, builtInRulebook) };
      const result = await verifyUnitHistory(
        { ...history, snapshots: [history.snapshots[0], edited] },
        builtInRulebook,
      );
      expect(verdict(result)).toEqual(['SNAPSHOT_MISMATCH', 3, 3]);
      expect(result.detail).toBe('the stored snapshot after event 3 differs from the fold of the events');
      const redated = { ...history.snapshots[1], at: history.snapshots[1].at + 1 };
      expect(
        verdict(await verifyUnitHistory({ ...history, snapshots: [history.snapshots[0], redated] }, builtInRulebook)),
      ).toEqual(['SNAPSHOT_MISMATCH', 3, 3]);
    });

    it('finds a snapshot stored beyond the last event (newest events deleted)', async () => {
      const history = honest();
      const result = await verifyUnitHistory({ ...history, events: history.events.slice(0, 2) }, builtInRulebook);
      expect(verdict(result)).toEqual(['SEQ_GAP', 3, 2]);
      expect(result.detail).toBe('a snapshot after event 3 is stored but only 2 events are');
    });

    it('finds a unit state ahead of the stored events', async () => {
      const history = honest();
      const result = await verifyUnitHistory({ ...history, state: { ...history.state!, version: 7 } }, builtInRulebook);
      expect(verdict(result)).toEqual(['SEQ_GAP', 7, 6]);
      expect(result.detail).toBe('the unit is at version 7 but only 6 events are stored');
    });

    it('finds a unit state behind the events, with another head hash, or another snapshot, or none', async () => {
      const history = honest();
      const state = history.state!;
      // a version behind with the right head, or the right version with another head: either is refused
      expect(
        verdict(await verifyUnitHistory({ ...history, state: { ...state, version: 5 } }, builtInRulebook)),
      ).toEqual(['SNAPSHOT_MISMATCH', null, 6]);
      const behind = await verifyUnitHistory(
        { ...history, state: { ...state, version: 5, headHash: history.events[4].hash } },
        builtInRulebook,
      );
      expect(verdict(behind)).toEqual(['SNAPSHOT_MISMATCH', null, 6]);
      expect(behind.detail).toBe(
        `the snapshot says version 5 / head ${history.events[4].hash.slice(0, 12)}…, the history 6 / ${history.events[5].hash.slice(0, 12)}…`,
      );
      expect(
        verdict(
          await verifyUnitHistory({ ...history, state: { ...state, headHash: 'f'.repeat(64) } }, builtInRulebook),
        ),
      ).toEqual(['SNAPSHOT_MISMATCH', null, 6]);
      const other = await verifyUnitHistory(
        { ...history, state: { ...state, snapshot: genesisSnapshot(PROFILE, 1, builtInRulebook) } },
        builtInRulebook,
      );
      expect(verdict(other)).toEqual(['SNAPSHOT_MISMATCH', null, 6]);
      expect(other.detail).toBe('the stored snapshot differs from the fold of the events');
      const none = await verifyUnitHistory({ ...history, state: null }, builtInRulebook);
      expect(verdict(none)).toEqual(['SNAPSHOT_MISMATCH', null, 6]);
      expect(none.detail).toBe('the unit has no stored snapshot');
    });
  });

  describe('a rulebook migration in the history', () => {
    /** Plan, launch, a film under v1; the move to v2 with the gaps its rules found then; a party lecture under v2. */
    function migrated(gaps: unknown = undefined, fromVersion = 1): Fields[] {
      const before = [fieldsOf(1), fieldsOf(2), fieldsOf(3)];
      const at = T0 + HOUR * 4;
      const found = migrationOf(historyOf(before).state!.snapshot, chained(before), 2, at, builtInRulebook).gaps;
      const migration = {
        ...fieldsOf(4),
        type: 'RULEBOOK_MIGRATED',
        payload: { fromVersion, toVersion: 2, gaps: gaps ?? found },
        occurredAt: null,
      };
      const lecture = {
        ...fieldsOf(5),
        rulebookVersion: 2,
        type: 'PARTY_LECTURE',
        payload: { unitId: UNIT, lecturer: '王书记', occurredAt: new Date(T0 + HOUR * 4.5).toISOString() },
        occurredAt: T0 + HOUR * 4.5,
      };
      return [...before, migration, lecture];
    }

    it('replays the migration from the events before it, and the events after it under the new rulebook', async () => {
      const fields = migrated();
      // the lecture after the migration is no part of its gaps: they are what the events before it lacked
      expect((fields[3].payload.gaps as { code: string }[]).map((g) => g.code)).toContain('PARTY_LECTURE_MISSING');
      const history = historyOf(fields);
      expect(history.state!.snapshot.context.rulebookVersion).toBe(2);
      expect(verdict(await verifyUnitHistory(history, builtInRulebook))).toEqual([null, null, 5]);
    });

    it('finds a migration whose recorded gaps are not what its rules find, or that left another version', async () => {
      const history = historyOf(migrated());
      const gaps = await verifyUnitHistory({ ...history, events: chained(migrated([])) }, builtInRulebook);
      expect(verdict(gaps)).toEqual(['REPLAY_DIVERGES', 4, 3]);
      expect(gaps.detail).toBe(
        'RULEBOOK_MIGRATED would have been refused: the gaps recorded by the migration are not what its rules find in the history',
      );
      const from = await verifyUnitHistory({ ...history, events: chained(migrated(undefined, 0)) }, builtInRulebook);
      expect(verdict(from)).toEqual(['REPLAY_DIVERGES', 4, 3]);
      expect(from.detail).toBe(
        'RULEBOOK_MIGRATED would have been refused: the migration says it left v0, the unit was on v1',
      );
    });
  });

  describe('the newest checkpoint', () => {
    it("passes when the checkpoint's head for the unit is still in the chain", async () => {
      const history = honest();
      for (const seq of [1, 6]) {
        const checkpoint = { checkpointId: 1, seq, hash: history.events[seq - 1].hash, valid: true };
        expect((await verifyUnitHistory({ ...history, checkpoint }, builtInRulebook)).ok).toBe(true);
      }
    });

    it('fails when the checkpoint itself is forged', async () => {
      const history = honest();
      const checkpoint = { checkpointId: 4, seq: 6, hash: history.events[5].hash, valid: false };
      const result = await verifyUnitHistory({ ...history, checkpoint }, builtInRulebook);
      expect(verdict(result)).toEqual(['CHECKPOINT_MISMATCH', null, 6]);
      expect(result.detail).toBe('checkpoint 4 fails its signature or chain');
    });

    it('fails when the event it recorded has another hash now, or is gone', async () => {
      const history = honest();
      const other = await verifyUnitHistory(
        {
          ...history,
          checkpoint: { checkpointId: 2, seq: 5, hash: history.events[5].hash, valid: true },
        },
        builtInRulebook,
      );
      expect(verdict(other)).toEqual(['CHECKPOINT_MISMATCH', 5, 6]);
      expect(other.detail).toBe('checkpoint 2 recorded event 5 with another hash, or it is gone');
      expect(
        verdict(
          await verifyUnitHistory(
            {
              ...history,
              checkpoint: { checkpointId: 2, seq: 7, hash: 'a'.repeat(64), valid: true },
            },
            builtInRulebook,
          ),
        ),
      ).toEqual(['CHECKPOINT_MISMATCH', 7, 6]);
    });
  });
});
