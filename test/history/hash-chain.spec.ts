import { createHash } from 'node:crypto';
import { eventHash, genesisHash, hashedEvent, type HashedEventFields } from '../../src/history/hash-chain.js';

/**
 * The hashes an outside verifier recomputes (docs/audit-trail.md): hex SHA-256 of the canonical JSON (keys sorted) of
 * exactly the documented fields — so every field is covered, and nothing unstorable is ever hashed.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const EVENT: HashedEventFields = {
  unitId: 'u-1',
  seq: 2,
  type: 'STUDY_SESSION',
  payload: { unitId: 'u-1', hours: 2 },
  actor: 'li',
  role: 'OFFICER',
  reason: null,
  at: 1_400_000_000_000,
  occurredAt: 1_399_999_000_000,
  recordedAt: 1_400_000_000_001,
  rulebookVersion: 1,
  override: false,
  idempotencyKey: 'k-1',
  prevHash: 'a'.repeat(64),
};

describe('the hash chain', () => {
  it('hashes the genesis as documented: the canonical JSON of unit, kind, leader count and starting rulebook', () => {
    const text = '{"kind":"GRASSROOTS","leaderCount":3,"rulebookVersion":1,"unitId":"u-1"}';
    expect(genesisHash({ unitId: 'u-1', kind: 'GRASSROOTS', leaderCount: 3, rulebookVersion: 1 })).toBe(sha256(text));
    // only those four fields count
    expect(
      genesisHash({ unitId: 'u-1', kind: 'GRASSROOTS', leaderCount: 3, rulebookVersion: 1, extra: 1 } as never),
    ).toBe(sha256(text));
  });

  it('hashes an event as documented: the canonical JSON of its fields, its own hash excluded', () => {
    const text =
      '{"actor":"li","at":1400000000000,"idempotencyKey":"k-1","occurredAt":1399999000000,"override":false,"payload":{"hours":2,"unitId":"u-1"},' +
      `"prevHash":"${'a'.repeat(64)}","reason":null,"recordedAt":1400000000001,"role":"OFFICER","rulebookVersion":1,"seq":2,"type":"STUDY_SESSION","unitId":"u-1"}`;
    expect(eventHash(EVENT)).toBe(sha256(text));
    expect(eventHash({ ...EVENT, hash: 'ignored' } as never)).toBe(sha256(text));
    // a payload member left undefined is not stored (JSON has no undefined): it is hashed as the absent member it
    // will be when the event is read back and verified
    expect(eventHash({ ...EVENT, payload: { unitId: 'u-1', hours: 2, note: undefined, list: [1] } })).toBe(
      eventHash({ ...EVENT, payload: { unitId: 'u-1', hours: 2, list: [1] } }),
    );
  });

  it('gives the payload as stored: its canonical JSON, encoded once for the hash and the row', () => {
    const payload = { unitId: 'u-1', topics: ['群众路线', 'b'], nested: { z: 1, a: null }, note: undefined };
    const { hash, payloadJson } = hashedEvent({ ...EVENT, payload });
    expect(payloadJson).toBe('{"nested":{"a":null,"z":1},"topics":["群众路线","b"],"unitId":"u-1"}');
    // what a verifier reads back from the row hashes to the same
    expect(hash).toBe(eventHash({ ...EVENT, payload: JSON.parse(payloadJson) as Record<string, unknown> }));
    expect(hash).toBe(eventHash({ ...EVENT, payload }));
    expect(() => hashedEvent({ ...EVENT, payload: { a: 'x\ud800' } })).toThrow(/well-formed/);
  });

  it('changes with every field an event has', () => {
    const changes: Partial<HashedEventFields>[] = [
      { unitId: 'u-2' },
      { seq: 3 },
      { type: 'FILM_SCREENING' },
      { payload: { unitId: 'u-1', hours: 3 } },
      { actor: 'wang' },
      { role: 'ADMIN' },
      { reason: 'why' },
      { at: EVENT.at + 1 },
      { occurredAt: null },
      { recordedAt: EVENT.recordedAt + 1 },
      { rulebookVersion: 2 },
      { override: true },
      { idempotencyKey: null },
      { prevHash: 'b'.repeat(64) },
    ];
    const hashes = new Set([eventHash(EVENT), ...changes.map((change) => eventHash({ ...EVENT, ...change }))]);
    expect(hashes.size).toBe(changes.length + 1);
    for (const change of [{ unitId: 'u-2' }, { kind: 'X' }, { leaderCount: 4 }, { rulebookVersion: 2 }]) {
      expect(
        genesisHash({ unitId: 'u-1', kind: 'GRASSROOTS', leaderCount: 3, rulebookVersion: 1, ...change }),
      ).not.toBe(genesisHash({ unitId: 'u-1', kind: 'GRASSROOTS', leaderCount: 3, rulebookVersion: 1 }));
    }
  });

  it('refuses to hash a lone surrogate anywhere: a field, a payload value deep down, or a payload key', () => {
    const refusal = 'refusing to hash a string that is not well-formed Unicode';
    expect(() => eventHash({ ...EVENT, reason: 'r\ud800' })).toThrow(refusal);
    expect(() => eventHash({ ...EVENT, payload: { a: [{ b: 'x\udc00' }] } })).toThrow(refusal);
    expect(() => eventHash({ ...EVENT, payload: { ['k\ud800']: 1 } })).toThrow(refusal);
    expect(() => genesisHash({ unitId: 'u\ud800', kind: 'GRASSROOTS', leaderCount: 0, rulebookVersion: 1 })).toThrow(
      refusal,
    );
    expect(eventHash({ ...EVENT, payload: { a: ['😀', null, 1, true] } })).toMatch(/^[0-9a-f]{64}$/);
  });
});
