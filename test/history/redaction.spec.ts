import { redacted, toEventModel, unitIdsOf, UNIT_ID_FIELDS } from '../../src/history/history.models.js';
import type { EventRow } from '../../src/history/event-store.repository.js';

/** A reader sees an event's unit ids only for units in its scope (null otherwise); the stored payload is untouched. */
const PAYLOAD = {
  unitId: 'mine',
  targetUnitId: 'mine',
  collectedByUnitId: 'theirs',
  audienceUnitId: 'theirs',
  bulkRootId: 'root',
  text: 'theirs',
  count: 2,
};

describe('unit ids in a history a scoped reader sees', () => {
  it('are every field that names a unit', () => {
    expect([...UNIT_ID_FIELDS]).toEqual([
      'unitId',
      'targetUnitId',
      'collectedByUnitId',
      'audienceUnitId',
      'bulkRootId',
    ]);
    expect(unitIdsOf(PAYLOAD)).toEqual(['mine', 'mine', 'theirs', 'theirs', 'root']);
    expect(unitIdsOf({ unitId: 'u', audienceUnitId: null, text: 'x' })).toEqual(['u']);
  });

  it('are shown as null outside the visible set, other fields as they are; the stored payload is not changed', () => {
    const stored = { ...PAYLOAD };
    expect(redacted(stored, new Set(['mine']))).toEqual({
      ...PAYLOAD,
      collectedByUnitId: null,
      audienceUnitId: null,
      bulkRootId: null,
    });
    expect(stored).toEqual(PAYLOAD);
    expect(redacted(stored, new Set(['mine', 'theirs', 'root']))).toBe(stored);
    expect(redacted(stored, null)).toBe(stored);
    expect(redacted({ unitId: 'x', audienceUnitId: null }, new Set())).toEqual({ unitId: null, audienceUnitId: null });
  });

  it('are redacted in the event a reader is given, with every other field of the stored event', () => {
    const row: EventRow = {
      unitId: 'mine',
      seq: 4,
      type: 'OPINION_RECORDED',
      payload: PAYLOAD,
      actor: 'li',
      role: 'OFFICER',
      reason: 'r',
      at: Date.UTC(2014, 5, 1),
      occurredAt: Date.UTC(2014, 4, 31),
      recordedAt: Date.UTC(2014, 5, 1, 0, 0, 1),
      rulebookVersion: 1,
      override: true,
      idempotencyKey: 'k',
      prevHash: 'p'.repeat(64),
      hash: 'h'.repeat(64),
    };
    const model = toEventModel(row, new Set(['mine']));
    expect({ ...model }).toEqual({
      seq: 4,
      type: 'OPINION_RECORDED',
      payload: JSON.stringify({ ...PAYLOAD, collectedByUnitId: null, audienceUnitId: null, bulkRootId: null }),
      actor: 'li',
      role: 'OFFICER',
      reason: 'r',
      at: new Date(Date.UTC(2014, 5, 1)),
      occurredAt: new Date(Date.UTC(2014, 4, 31)),
      recordedAt: new Date(Date.UTC(2014, 5, 1, 0, 0, 1)),
      rulebookVersion: 1,
      override: true,
      prevHash: 'p'.repeat(64),
      hash: 'h'.repeat(64),
    });
    expect(toEventModel({ ...row, occurredAt: null }).occurredAt).toBeNull();
    expect(toEventModel(row).payload).toBe(JSON.stringify(PAYLOAD));
  });
});
