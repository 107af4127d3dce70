import { readMeta } from '../../src/commands/command-meta.js';

/**
 * The meta fields every command takes besides its own (idempotencyKey, expectedVersion, reason): checked like any
 * other input, refused as InvalidInput naming the field, and split from the payload (`reason` stays in it, normalised).
 */
const refusal = (input: Record<string, unknown>) => {
  const { invalid } = readMeta(input).meta;
  return invalid && { field: invalid.field, message: invalid.message };
};

describe('the meta fields of a command', () => {
  it('splits them from the payload; none given, all null', () => {
    expect(readMeta({ unitId: 'u', topics: ['a'] })).toEqual({
      meta: { idempotencyKey: null, expectedVersion: null, reason: null, invalid: null },
      payload: { unitId: 'u', topics: ['a'] },
    });
    expect(readMeta({ unitId: 'u', idempotencyKey: null, expectedVersion: null }).payload).toEqual({ unitId: 'u' });
  });

  it('takes a meta field sent as null (GraphQL sends an optional field that way) as not given, not as refused', () => {
    expect(readMeta({ unitId: 'u', idempotencyKey: null, expectedVersion: null, reason: null })).toEqual({
      meta: { idempotencyKey: null, expectedVersion: null, reason: null, invalid: null },
      payload: { unitId: 'u', reason: null },
    });
  });

  describe('idempotencyKey', () => {
    it('takes 1 to 200 characters as sent', () => {
      expect(readMeta({ idempotencyKey: 'k' }).meta.idempotencyKey).toBe('k');
      expect(readMeta({ idempotencyKey: ` ${'k'.repeat(198)} ` }).meta.idempotencyKey).toBe(` ${'k'.repeat(198)} `);
      expect(readMeta({ unitId: 'u', idempotencyKey: 'k' }).payload).toEqual({ unitId: 'u' });
    });

    it('refuses an empty key, a 201-character key, or one that is not a string', () => {
      for (const key of ['', 'k'.repeat(201), 7]) {
        expect(refusal({ idempotencyKey: key })).toEqual({
          field: 'idempotencyKey',
          message: 'idempotencyKey must be 1–200 characters.',
        });
        expect(readMeta({ idempotencyKey: key }).meta.idempotencyKey).toBeNull();
      }
    });

    it('refuses a lone surrogate', () => {
      expect(refusal({ idempotencyKey: 'k\ud800' })).toEqual({
        field: 'idempotencyKey',
        message: 'idempotencyKey is not well-formed Unicode (a lone surrogate).',
      });
      expect(readMeta({ idempotencyKey: 'k\ud800' }).meta.idempotencyKey).toBeNull();
    });
  });

  describe('expectedVersion', () => {
    it('takes a whole number from 0', () => {
      expect(readMeta({ expectedVersion: 0 }).meta.expectedVersion).toBe(0);
      expect(readMeta({ expectedVersion: 12 }).meta).toMatchObject({ expectedVersion: 12, invalid: null });
    });

    it('refuses a negative, a fraction or a number as text', () => {
      for (const expectedVersion of [-1, 1.5, '3']) {
        expect(refusal({ expectedVersion })).toEqual({
          field: 'expectedVersion',
          message: 'expectedVersion must be a whole number ≥ 0.',
        });
        expect(readMeta({ expectedVersion }).meta.expectedVersion).toBeNull();
      }
    });
  });

  describe('reason', () => {
    it('is NFC and trimmed, kept in the meta and in the payload; blank is no reason', () => {
      expect(readMeta({ reason: '  cafe\u0301 ' })).toMatchObject({
        meta: { reason: 'café', invalid: null },
        payload: { reason: 'café' },
      });
      expect(readMeta({ reason: '   ' })).toMatchObject({ meta: { reason: null }, payload: { reason: null } });
      expect('reason' in readMeta({ unitId: 'u' }).payload).toBe(false);
    });

    it('takes 2,000 characters after trimming and refuses 2,001', () => {
      expect(readMeta({ reason: ` ${'r'.repeat(2000)} ` }).meta.reason).toHaveLength(2000);
      expect(refusal({ reason: 'r'.repeat(2001) })).toEqual({
        field: 'reason',
        message: 'reason must be at most 2000 characters.',
      });
    });

    it('refuses, before normalising it, a reason over four times the limit in code units', () => {
      // 8,000 code units that NFC makes 4,000 characters: refused only once normalised
      expect(refusal({ reason: 'e\u0301'.repeat(4000) })?.message).toBe('reason must be at most 2000 characters.');
      expect(readMeta({ reason: `${'e\u0301'.repeat(1000)}${' '.repeat(6000)}` }).meta.reason).toBe('é'.repeat(1000));
      expect(refusal({ reason: `${'e\u0301'.repeat(1000)}${' '.repeat(6001)}` })).toEqual({
        field: 'reason',
        message: 'reason must be at most 2000 characters.',
      });
    });

    it('refuses a lone surrogate or a reason that is not a string', () => {
      expect(refusal({ reason: 'r\udc00' })).toEqual({
        field: 'reason',
        message: 'reason is not well-formed Unicode (a lone surrogate).',
      });
      expect(refusal({ reason: 5 })).toEqual({ field: 'reason', message: 'reason must be a string.' });
      expect(readMeta({ reason: 5 }).meta.reason).toBeNull();
    });
  });

  it('names the first bad meta field when several are bad', () => {
    expect(refusal({ idempotencyKey: '', expectedVersion: -1, reason: 5 })?.field).toBe('idempotencyKey');
    expect(refusal({ expectedVersion: -1, reason: 5 })?.field).toBe('expectedVersion');
  });
});
