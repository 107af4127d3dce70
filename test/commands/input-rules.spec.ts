import {
  id,
  InputRefused,
  isWellFormed,
  label,
  labels,
  MAX_ID_LENGTH,
  normaliseInput,
  normalisePersonName,
  personName,
  records,
  text,
  value,
  type InputShape,
} from '../../src/commands/input-rules.js';

/**
 * Input normalised at the edge of every command, rule by rule: what is stored (and hashed) is well-formed Unicode,
 * NFC (names NFKC, trimmed, whitespace collapsed), and within its limit — refused at limit + 1, with the field named.
 */

function refused(input: Record<string, unknown>, shape: InputShape): { message: string; field: string } {
  try {
    normaliseInput(input, shape);
  } catch (error) {
    if (!(error instanceof InputRefused)) throw error;
    return { message: error.message, field: error.field };
  }
  throw new Error('expected a refusal');
}

const E_ACUTE = 'e\u0301'; // two code units, one character once NFC
const GA_JAMO = '\u1100\u1161\u11A8'; // three code units, one Hangul syllable (각) once composed

describe('input rules', () => {
  describe('text: as written, NFC, non-empty, at most its limit', () => {
    it('is stored in NFC, neither trimmed nor collapsed', () => {
      expect(normaliseInput({ t: ` caf${E_ACUTE}  x ` }, { t: text() })).toEqual({ t: ' café  x ' });
    });

    it('takes 10,000 characters by default and refuses 10,001, naming the field and the length', () => {
      expect(normaliseInput({ t: 'a'.repeat(10_000) }, { t: text() }).t).toHaveLength(10_000);
      expect(refused({ t: 'a'.repeat(10_001) }, { t: text() })).toEqual({
        field: 't',
        message: 't must be at most 10000 characters, got 10001.',
      });
    });

    it('counts characters after NFC: a decomposed accent counts once', () => {
      expect(normaliseInput({ t: E_ACUTE.repeat(5) }, { t: text(5) }).t).toBe('é'.repeat(5));
      expect(refused({ t: E_ACUTE.repeat(6) }, { t: text(5) }).message).toBe('t must be at most 5 characters, got 6.');
    });

    it('refuses an empty or blank text', () => {
      expect(refused({ t: '' }, { t: text() })).toEqual({ field: 't', message: 't must not be empty.' });
      expect(refused({ t: ' \n\t ' }, { t: text() })).toEqual({ field: 't', message: 't must not be empty.' });
    });
  });

  describe('every string', () => {
    it('refuses a lone surrogate (it could not be stored and hashed the same way back)', () => {
      for (const shape of [{ s: text() }, { s: label() }, { s: personName() }, { s: id }]) {
        expect(refused({ s: 'k\ud800' }, shape)).toEqual({
          field: 's',
          message: 's is not well-formed Unicode (a lone surrogate).',
        });
        expect(refused({ s: '\udc00k' }, shape).field).toBe('s');
      }
      expect(normaliseInput({ s: 'k\ud83d\ude00' }, { s: text() }).s).toBe('k😀');
    });

    it('refuses what is not a string', () => {
      expect(refused({ s: 42 }, { s: text() })).toEqual({ field: 's', message: 's must be a string.' });
      expect(refused({ s: ['a'] }, { s: label() }).message).toBe('s must be a string.');
      expect(refused({ s: { a: 1 } }, { s: id }).message).toBe('s must be a string.');
    });

    it('refuses, before normalising it, a string over four times its limit in code units', () => {
      // 8 code units that normalise to one character: still within four times a limit of 2
      expect(normaliseInput({ s: `${GA_JAMO}     ` }, { s: label(2) }).s).toBe('각');
      expect(refused({ s: `${GA_JAMO}      ` }, { s: label(2) })).toEqual({
        field: 's',
        message: 's must be at most 2 characters.',
      });
    });
  });

  describe('label: NFC, trimmed, non-empty', () => {
    it('is trimmed but keeps inner whitespace', () => {
      expect(normaliseInput({ l: `  焦裕禄  精神 ` }, { l: label() })).toEqual({ l: '焦裕禄  精神' });
    });

    it('takes 200 characters by default and refuses 201; blank is empty', () => {
      expect(normaliseInput({ l: ` ${'x'.repeat(200)} ` }, { l: label() }).l).toHaveLength(200);
      expect(refused({ l: 'x'.repeat(201) }, { l: label() }).message).toBe(
        'l must be at most 200 characters, got 201.',
      );
      expect(refused({ l: '   ' }, { l: label() }).message).toBe('l must not be empty.');
    });
  });

  describe("a person's name: NFKC, trimmed, inner whitespace one space", () => {
    it('makes " 王书记 " and "王书记" one name, and full-width letters plain', () => {
      expect(normaliseInput({ n: ' 王书记 ' }, { n: personName() })).toEqual({ n: '王书记' });
      expect(normaliseInput({ n: 'Ｗａｎｇ\u3000\t Li' }, { n: personName() })).toEqual({ n: 'Wang Li' });
      expect(normalisePersonName('  a \n\n b  ')).toBe('a b');
    });

    it('takes 200 characters by default and refuses 201 (after normalising); blank is empty', () => {
      expect(normaliseInput({ n: `  ${'名'.repeat(200)}  ` }, { n: personName() }).n).toHaveLength(200);
      expect(refused({ n: '名'.repeat(201) }, { n: personName() }).message).toBe(
        'n must be at most 200 characters, got 201.',
      );
      expect(refused({ n: '\u3000 ' }, { n: personName() }).message).toBe('n must not be empty.');
    });
  });

  describe('labels: a list of labels', () => {
    it('normalises every entry and names the bad one by its index', () => {
      expect(normaliseInput({ ls: [' a ', `caf${E_ACUTE}`] }, { ls: labels() })).toEqual({ ls: ['a', 'café'] });
      expect(refused({ ls: ['a', ' '] }, { ls: labels() })).toEqual({
        field: 'ls[1]',
        message: 'ls[1] must not be empty.',
      });
      expect(refused({ ls: ['a', 'b\ud800'] }, { ls: labels() }).field).toBe('ls[1]');
    });

    it('takes 100 entries of 200 characters by default, and refuses 101 entries or a 201-character entry', () => {
      expect(normaliseInput({ ls: Array(100).fill('x'.repeat(200)) }, { ls: labels() }).ls).toHaveLength(100);
      expect(refused({ ls: Array(101).fill('x') }, { ls: labels() })).toEqual({
        field: 'ls',
        message: 'ls may list at most 100 entries, got 101.',
      });
      expect(refused({ ls: ['x'.repeat(201)] }, { ls: labels() })).toEqual({
        field: 'ls[0]',
        message: 'ls[0] must be at most 200 characters, got 201.',
      });
    });

    it('honours its own limits', () => {
      expect(normaliseInput({ ls: ['ab', 'cd'] }, { ls: labels(2, 2) }).ls).toEqual(['ab', 'cd']);
      expect(refused({ ls: ['a', 'b', 'c'] }, { ls: labels(2, 2) }).message).toBe(
        'ls may list at most 2 entries, got 3.',
      );
      expect(refused({ ls: ['abc'] }, { ls: labels(2, 2) }).message).toBe('ls[0] must be at most 2 characters, got 3.');
    });

    it('refuses what is not a list', () => {
      expect(refused({ ls: 'a' }, { ls: labels() })).toEqual({ field: 'ls', message: 'ls must be a list.' });
    });
  });

  describe('records: a list of input objects (the items of a self-assessment), each field by its own rule', () => {
    const items = records({ item: value, rating: value, text: text(5) }, 2);

    it('normalises every field of every entry, leaving undefined fields out and nulls as they are', () => {
      expect(
        normaliseInput(
          {
            items: [
              { item: 'A', rating: 3, text: `caf${E_ACUTE}` },
              { item: 'B', rating: null, text: undefined },
            ],
          },
          { items },
        ),
      ).toStrictEqual({
        items: [
          { item: 'A', rating: 3, text: 'café' },
          { item: 'B', rating: null },
        ],
      });
    });

    it('names a bad field by the entry index and the field', () => {
      expect(
        refused(
          {
            items: [
              { item: 'A', text: 'ok' },
              { item: 'B', text: '123456' },
            ],
          },
          { items },
        ),
      ).toEqual({
        field: 'items[1].text',
        message: 'items[1].text must be at most 5 characters, got 6.',
      });
    });

    it('takes its number of entries and refuses one more, or what is not a list', () => {
      expect(normaliseInput({ items: [{ item: 'A' }, { item: 'B' }] }, { items }).items).toHaveLength(2);
      expect(refused({ items: [{ item: 'A' }, { item: 'B' }, { item: 'C' }] }, { items })).toEqual({
        field: 'items',
        message: 'items may list at most 2 entries, got 3.',
      });
      expect(refused({ items: { item: 'A' } }, { items })).toEqual({
        field: 'items',
        message: 'items must be a list.',
      });
    });

    it('treats an entry field without a rule as a programming error', () => {
      expect(() => normaliseInput({ items: [{ item: 'A', extra: 1 }] }, { items })).toThrow(
        new Error('input field items.extra has no rule'),
      );
    });
  });

  describe('id: ours, short, as sent', () => {
    it(`takes ${MAX_ID_LENGTH} characters as sent and refuses ${MAX_ID_LENGTH + 1}, or an empty one`, () => {
      expect(normaliseInput({ i: ` ${'a'.repeat(62)} ` }, { i: id })).toEqual({ i: ` ${'a'.repeat(62)} ` });
      expect(refused({ i: 'a'.repeat(65) }, { i: id }).message).toBe('i must be at most 64 characters, got 65.');
      expect(refused({ i: '' }, { i: id }).message).toBe('i must not be empty.');
    });
  });

  describe('the input as a whole', () => {
    it('keeps numbers, booleans, enums and nulls as they are, and leaves undefined fields out', () => {
      const shape: InputShape = { n: value, b: value, e: value, t: text(), u: text() };
      expect(normaliseInput({ n: 3, b: false, e: 'CENTRAL', t: null, u: undefined }, shape)).toEqual({
        n: 3,
        b: false,
        e: 'CENTRAL',
        t: null,
      });
      expect(Object.keys(normaliseInput({ u: undefined }, shape))).toEqual([]);
    });

    it('stores a date as its ISO text', () => {
      expect(normaliseInput({ d: new Date(Date.UTC(2014, 5, 18, 8)) }, { d: value })).toEqual({
        d: '2014-06-18T08:00:00.000Z',
      });
    });

    it('treats a field without a rule as a programming error, not as refused input', () => {
      expect(() => normaliseInput({ extra: 'x' }, { t: text() })).toThrow(new Error('input field extra has no rule'));
      expect(() => normaliseInput({ extra: 'x' }, { t: text() })).not.toThrow(InputRefused);
    });
  });

  it('isWellFormed tells lone surrogates from pairs', () => {
    expect([isWellFormed('a'), isWellFormed('\ud83d\ude00'), isWellFormed('\ud83d'), isWellFormed('\ude00a')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
