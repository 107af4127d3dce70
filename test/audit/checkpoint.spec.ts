import { createHash, createHmac } from 'node:crypto';
import { GENESIS_SIGNATURE, headsDigest, signatureValid, signCheckpoint } from '../../src/audit/checkpoint.js';
import { HeavyWork } from '../../src/audit/heavy-work.js';

/**
 * A checkpoint as an outside verifier recomputes it (docs/audit-trail.md): the digest over every unit's chain head in
 * unit-id order, and its HMAC signature under LOOKBACK_AUDIT_KEY — which accepts only the exact signature.
 */
const KEY = 'k'.repeat(32);
const FIELDS = { createdAt: 1_400_000_000_000, unitCount: 2, digest: 'd'.repeat(64), prevSignature: GENESIS_SIGNATURE };

describe('audit checkpoints', () => {
  it('chains the first checkpoint to sixty-four zeros', () => {
    expect(GENESIS_SIGNATURE).toBe('0'.repeat(64));
  });

  it('digests one line "unitId:seq:hash" per unit, in unit-id order whatever order the heads came in', () => {
    const heads = [
      { unitId: 'b', seq: 2, hash: 'h2' },
      { unitId: 'a', seq: 7, hash: 'h1' },
      { unitId: 'c', seq: 1, hash: 'h3' },
    ];
    const expected = createHash('sha256').update('a:7:h1\nb:2:h2\nc:1:h3\n').digest('hex');
    expect(headsDigest(heads)).toBe(expected);
    expect(headsDigest([heads[2], heads[0], heads[1]])).toBe(expected);
    expect(heads.map((h) => h.unitId)).toEqual(['b', 'a', 'c']); // the caller's list is left as it was
    expect(headsDigest([])).toBe(createHash('sha256').digest('hex'));
  });

  it('orders unit ids by code unit, not by locale', () => {
    const heads = [
      { unitId: 'a', seq: 1, hash: 'x' },
      { unitId: 'B', seq: 1, hash: 'y' },
      { unitId: 'a', seq: 1, hash: 'x' },
    ];
    expect(headsDigest(heads)).toBe(createHash('sha256').update('B:1:y\na:1:x\na:1:x\n').digest('hex'));
  });

  it('signs the canonical JSON of createdAt, unitCount, digest and prevSignature with HMAC-SHA256', () => {
    const text = `{"createdAt":1400000000000,"digest":"${'d'.repeat(64)}","prevSignature":"${'0'.repeat(64)}","unitCount":2}`;
    expect(signCheckpoint(FIELDS, KEY)).toBe(createHmac('sha256', KEY).update(text).digest('hex'));
    expect(signCheckpoint({ ...FIELDS, id: 9 } as never, KEY)).toBe(signCheckpoint(FIELDS, KEY));
    for (const change of [
      { createdAt: 1 },
      { unitCount: 3 },
      { digest: 'e'.repeat(64) },
      { prevSignature: '1'.repeat(64) },
    ]) {
      expect(signCheckpoint({ ...FIELDS, ...change }, KEY)).not.toBe(signCheckpoint(FIELDS, KEY));
    }
    expect(signCheckpoint(FIELDS, 'another key')).not.toBe(signCheckpoint(FIELDS, KEY));
  });

  it('accepts exactly the signature it would make, under the same key', () => {
    const signature = signCheckpoint(FIELDS, KEY);
    expect(signatureValid({ ...FIELDS, signature }, KEY)).toBe(true);
    expect(signatureValid({ ...FIELDS, signature }, 'another key')).toBe(false);
    expect(signatureValid({ ...FIELDS, unitCount: 3, signature }, KEY)).toBe(false);
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    expect(signatureValid({ ...FIELDS, signature: flipped }, KEY)).toBe(false);
    // a truncated or extended signature is refused, not compared
    expect(signatureValid({ ...FIELDS, signature: signature.slice(0, 62) }, KEY)).toBe(false);
    expect(signatureValid({ ...FIELDS, signature: `${signature}00` }, KEY)).toBe(false);
    expect(signatureValid({ ...FIELDS, signature: '' }, KEY)).toBe(false);
  });

  it('accepts only the exact text of the signature: no junk after it, no other case', () => {
    const signature = signCheckpoint(FIELDS, KEY);
    for (const forged of [`${signature}zz`, `${signature}0`, `${signature} `, signature.toUpperCase()]) {
      expect(signatureValid({ ...FIELDS, signature: forged }, KEY)).toBe(false);
    }
  });
});

describe('heavy work', () => {
  it('runs at most `limit` pieces at once; the others wait their turn, in order, and every result comes back', async () => {
    const heavy = new HeavyWork(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const piece = (i: number) =>
      heavy.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i * 10;
      });
    const results = [1, 2, 3, 4].map(piece);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2, 3]);
    while (releases.length > 0 || started.length < 4) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it('frees the place of a piece that failed', async () => {
    const heavy = new HeavyWork(1);
    await expect(heavy.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await heavy.run(async () => 'next')).toBe('next');
  });
});
