import { builtInRulebook, RULEBOOK_MIGRATED } from '../../machines/index.js';
import type { EventRow } from '../../src/history/event-store.repository.js';
import { foldEvent, genesisSnapshot, versionsIn } from '../../src/history/fold.js';

/**
 * One stored event through the statechart as the server ran it. A rulebook migration is folded from the unit's
 * events before it and must say where it came from and what gaps it found; the versions a fold may need are known
 * before it starts (the audit loads those rulebooks only).
 */
const T0 = Date.parse('2014-03-01T00:00:00Z');
const registered = genesisSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, 1, builtInRulebook);

const migration = (payload: Record<string, unknown>, seq = 1): EventRow =>
  ({
    unitId: 'unit-1',
    seq,
    type: RULEBOOK_MIGRATED,
    payload,
    actor: 'admin',
    role: 'ADMIN',
    reason: null,
    at: T0,
    recordedAt: T0,
    rulebookVersion: 1,
    override: false,
    idempotencyKey: null,
    occurredAt: null,
    prevHash: '',
    hash: '',
  }) as EventRow;

describe('foldEvent: a rulebook migration', () => {
  it('moves a unit to the new rulebook with the gaps its rules find (none for a unit that has started nothing)', () => {
    const result = foldEvent(registered, migration({ fromVersion: 1, toVersion: 2, gaps: [] }), builtInRulebook, []);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.snapshot.context.rulebookVersion).toBe(2);
    expect(result.snapshot.value).toEqual(registered.value);
    expect(result.status.phase).toBe('registered');
  });

  it('is refused when it says it left another version than the unit was on', () => {
    expect(
      foldEvent(registered, migration({ fromVersion: 2, toVersion: 3, gaps: [] }), builtInRulebook, []),
    ).toStrictEqual({
      ok: false,
      failure: 'INVALID_INPUT',
      message: 'the migration says it left v2, the unit was on v1',
      field: 'fromVersion',
    });
  });

  it('is refused when the gaps it recorded are not what its rules find', () => {
    const gaps = [{ code: 'PARTY_LECTURE_MISSING', region: 'study', required: '1', actual: '0', message: 'm' }];
    expect(foldEvent(registered, migration({ fromVersion: 1, toVersion: 2, gaps }), builtInRulebook, [])).toStrictEqual(
      {
        ok: false,
        failure: 'INVALID_INPUT',
        message: 'the gaps recorded by the migration are not what its rules find in the history',
        field: 'gaps',
      },
    );
  });

  it('cannot be folded without the events before it (a programming error, not a verdict)', () => {
    expect(() =>
      foldEvent(registered, migration({ fromVersion: 1, toVersion: 2, gaps: [] }, 7), builtInRulebook),
    ).toThrow(new Error("folding the migration at seq 7 needs the unit's events before it"));
  });
});

describe('versionsIn: the rulebooks a fold may ask for', () => {
  it("the start's, every event's, and every migration's target", () => {
    expect([...versionsIn(1, [])]).toEqual([1]);
    expect(
      versionsIn(1, [
        { type: 'LAUNCH', payload: { toVersion: 9 }, rulebookVersion: 1 },
        { type: RULEBOOK_MIGRATED, payload: { fromVersion: 1, toVersion: 3 }, rulebookVersion: 1 },
        { type: 'STUDY_SESSION', payload: {}, rulebookVersion: 4 },
      ]),
    ).toEqual(new Set([1, 3, 4]));
  });
});
