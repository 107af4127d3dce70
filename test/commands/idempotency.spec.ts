import { createHash } from 'node:crypto';
import { Idempotency, type OwnedKey } from '../../src/commands/idempotency/idempotency.js';
import type {
  IdempotencyRepository,
  StoredIdempotentResult,
} from '../../src/commands/idempotency/idempotency.repository.js';
import type { Principal } from '../../src/auth/principal.js';
import type { Tx } from '../../src/database/db.js';
import { LostRace } from '../../src/history/history.service.js';

/**
 * Idempotency keys: a key belongs to (sub, role, scope); a retry with the same key and request answers the first
 * result, another request under the same key is IdempotencyKeyReused; a lost compare-and-set is a VersionConflict,
 * and two first uses of one key at once are retried once.
 */
class FakeKeys {
  readonly rows = new Map<string, StoredIdempotentResult>();
  async find(_tx: Tx, owner: string, key: string) {
    return this.rows.get(`${owner}/${key}`) ?? null;
  }
  async store(_tx: Tx, owner: string, key: string, result: StoredIdempotentResult) {
    this.rows.set(`${owner}/${key}`, result);
  }
}

const tx = {} as Tx;
const li: Principal = { sub: 'li', role: 'OFFICER', scopeUnitId: 'county' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function idempotency() {
  const keys = new FakeKeys();
  return { sut: new Idempotency(keys as unknown as IdempotencyRepository), keys };
}

describe('idempotency keys', () => {
  it('belong to sub, role and scope together', () => {
    const { sut } = idempotency();
    const owner = (p: Principal) => sut.keyOf(p, 'k')!.owner;
    expect(owner(li)).toBe(sha256('{"role":"OFFICER","scope":"county","sub":"li"}'));
    expect(
      new Set([
        owner(li),
        owner({ ...li, sub: 'wang' }),
        owner({ ...li, role: 'ADMIN' }),
        owner({ ...li, scopeUnitId: null }),
        owner({ ...li, scopeUnitId: 'other' }),
      ]).size,
    ).toBe(5);
    expect(sut.keyOf(li, 'k')).toEqual({ owner: owner(li), key: 'k' });
    expect(sut.keyOf(li, null)).toBeNull();
  });

  it('hash the request only when there is a key', () => {
    const { sut } = idempotency();
    const key = sut.keyOf(li, 'k');
    expect(sut.requestHash(null, { a: 1 })).toBe('');
    expect(sut.requestHash(key, { b: 2, a: 1 })).toBe(sha256('{"a":1,"b":2}'));
    expect(sut.requestHash(key, { a: 1, reason: 'x' })).not.toBe(sut.requestHash(key, { a: 1, reason: 'y' }));
  });

  it('answer a retry of the same request with the first result, another request under the key with IdempotencyKeyReused', async () => {
    const { sut } = idempotency();
    const key = sut.keyOf(li, 'k-1') as OwnedKey;
    expect(await sut.prior(tx, key, 'h1')).toEqual({ response: null, reused: null });
    await sut.remember(tx, key, 'h1', 'unit-1', { eventSeq: 3 }, 0);
    expect(await sut.prior(tx, key, 'h1')).toEqual({ response: { eventSeq: 3 }, reused: null });
    const other = await sut.prior(tx, key, 'h2');
    expect(other.response).toBeNull();
    expect(other.reused).toMatchObject({
      __typename: 'IdempotencyKeyReused',
      message: 'idempotencyKey "k-1" was already used by you with a different input.',
    });
    // another owner's key of the same name is another key
    expect(await sut.prior(tx, sut.keyOf({ ...li, role: 'ADMIN' }, 'k-1'), 'h2')).toEqual({
      response: null,
      reused: null,
    });
  });

  it('remember nothing, and find nothing, without a key', async () => {
    const { sut, keys } = idempotency();
    await sut.remember(tx, null, '', 'unit-1', { eventSeq: 3 }, 0);
    expect(keys.rows.size).toBe(0);
    expect(await sut.prior(tx, null, '')).toEqual({ response: null, reused: null });
  });

  describe('retryingFirstUse', () => {
    it('answers what the transaction answered', async () => {
      expect(await idempotency().sut.retryingFirstUse(async () => 'done', null)).toBe('done');
    });

    it('turns a lost compare-and-set into a VersionConflict, told to the caller to log', async () => {
      const { sut } = idempotency();
      const told: unknown[] = [];
      const conflict = await sut.retryingFirstUse(
        async () => {
          throw new LostRace(5);
        },
        3,
        async (c) => void told.push(c),
      );
      expect(conflict).toMatchObject({
        __typename: 'VersionConflict',
        currentVersion: 5,
        message: 'expectedVersion 3 is stale: the unit is at version 5. Reload and retry.',
      });
      expect(told).toEqual([conflict]);
      // without an expected version, the version the command had read (one before the current one)
      expect(await sut.retryingFirstUse(async () => Promise.reject(new LostRace(5)), null)).toMatchObject({
        message: 'expectedVersion 4 is stale: the unit is at version 5. Reload and retry.',
      });
    });

    it("retries once when another first use of the key won the insert (SQLite's and PostgreSQL's errors)", async () => {
      const { sut } = idempotency();
      const collisions = [
        Object.assign(new Error('UNIQUE constraint failed: idempotency_keys.principal, idempotency_keys.key'), {
          code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
        }),
        Object.assign(new Error('duplicate key value violates unique constraint'), {
          code: '23505',
          table: 'idempotency_keys',
        }),
        Object.assign(new Error('duplicate key value violates unique constraint "idempotency_keys_pkey"'), {
          code: '23505',
        }),
      ];
      for (const collision of collisions) {
        let calls = 0;
        const answer = await sut.retryingFirstUse(async () => {
          if (calls++ === 0) throw collision;
          return 'second';
        }, null);
        expect([answer, calls]).toEqual(['second', 2]);
      }
    });

    it('retries a collision only once, and never another error', async () => {
      const { sut } = idempotency();
      const collision = Object.assign(new Error('UNIQUE constraint failed: idempotency_keys.key'), {
        code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
      });
      let calls = 0;
      await expect(
        sut.retryingFirstUse(async () => {
          calls++;
          throw collision;
        }, null),
      ).rejects.toBe(collision);
      expect(calls).toBe(2);
      const others = [
        Object.assign(new Error('UNIQUE constraint failed: events.unit_id, events.seq'), {
          code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
        }),
        Object.assign(new Error('duplicate key value violates unique constraint "events_pkey"'), {
          code: '23505',
          table: 'events',
        }),
        Object.assign(new Error('duplicate key'), { code: '23505' }),
        Object.assign(new Error('idempotency_keys is locked'), { code: 'SQLITE_BUSY' }),
        Object.assign(new Error('idempotency_keys'), { code: 42 }),
        new Error('idempotency_keys'),
        null,
      ];
      for (const other of others) {
        let tries = 0;
        await expect(
          sut.retryingFirstUse(async () => {
            tries++;
            throw other;
          }, null),
        ).rejects.toBe(other);
        expect(tries).toBe(1);
      }
    });
  });
});
