import {
  clip,
  cut,
  MAX_KEPT_BLOCKERS,
  MAX_RECORD_CHARS,
  refusalDetail,
  summariseInput,
} from '../../src/commands/attempt-record.js';

/**
 * What the attempts log keeps of a refused command: a bounded summary of the input and of the refusal, whatever was
 * sent — never more than a few KiB, never a lone surrogate, never a surrogate pair cut in half.
 */
describe('the bounded record of a refused command', () => {
  describe('cut and clip', () => {
    it('keeps a string within the limit as it is, and cuts a longer one, saying how much was cut', () => {
      expect(cut('abc', 3)).toBe('abc');
      expect(cut('abcd', 3)).toBe('abc');
      expect(clip('a'.repeat(200))).toBe('a'.repeat(200));
      expect(clip('a'.repeat(201))).toBe(`${'a'.repeat(200)}…(+1)`);
      expect(clip('abcdef', 4)).toBe('abcd…(+2)');
    });

    it('never cuts a surrogate pair in half', () => {
      expect(cut('ab😀', 3)).toBe('ab');
      expect(cut('ab😀', 4)).toBe('ab😀');
      expect(clip('ab😀c', 3)).toBe('ab…(+3)');
    });

    it('replaces lone surrogates, which could not be stored as sent', () => {
      expect(cut('k\ud800', 10)).toBe('k\ufffd');
      expect(clip('k\ud800')).toBe('k\ufffd');
      expect(clip(`\ud800${'a'.repeat(200)}`)).toBe(`\ufffd${'a'.repeat(199)}…(+1)`);
    });
  });

  describe('summariseInput', () => {
    it('keeps short strings, numbers, booleans and nulls; dates as ISO text; anything else as null', () => {
      const when = new Date(Date.UTC(2014, 5, 18));
      expect(
        summariseInput({
          s: 'x',
          n: 3,
          b: true,
          z: null,
          d: when,
          bad: new Date(NaN),
          u: undefined,
          f: () => 1,
          big: 10n,
        }),
      ).toEqual({
        s: 'x',
        n: 3,
        b: true,
        z: null,
        d: '2014-06-18T00:00:00.000Z',
        bad: null,
        u: null,
        f: null,
        big: null,
      });
    });

    it('cuts long strings and lists, saying how much was left out', () => {
      const summary = summariseInput({
        topic: 'x'.repeat(1 << 20),
        topics: Array.from({ length: 11 }, (_, i) => `t${i}`),
        ten: Array(10).fill(1),
      });
      expect(summary.topic).toBe(`${'x'.repeat(200)}…(+${(1 << 20) - 200})`);
      expect(summary.topics).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', '…(+1)']);
      expect(summary.ten).toEqual(Array(10).fill(1));
    });

    it('keeps three levels of nesting below the input, then only a mark', () => {
      expect(summariseInput({ a: { b: { c: { d: 1 } } }, l: [[[1]]], m: [[[[1]]]] })).toEqual({
        a: { b: { c: '…' } },
        l: [['…']],
        m: [['…']],
      });
      expect(summariseInput({ a: { b: { c: 1 } } })).toEqual({ a: { b: { c: 1 } } });
    });

    it('keeps at most 40 keys of an object, each cut to 60 characters', () => {
      const wide = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
      const summary = summariseInput({ wide }) as { wide: Record<string, number> };
      expect(Object.keys(summary.wide)).toHaveLength(40);
      expect(summary.wide.k39).toBe(39);
      expect(Object.keys(summariseInput({ ['k'.repeat(61)]: 1 }))).toEqual([`${'k'.repeat(60)}…(+1)`]);
    });

    it('wraps an input that is not an object', () => {
      expect(summariseInput('x')).toEqual({ value: 'x' });
      expect(summariseInput([1])).toEqual({ value: [1] });
      expect(summariseInput(null)).toEqual({ value: null });
    });

    it(`stays within ${MAX_RECORD_CHARS} characters of JSON whatever was sent, listing the fields it dropped`, () => {
      const huge = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, 'y'.repeat(5000)]));
      const summary = summariseInput(huge);
      expect(JSON.stringify(summary).length).toBeLessThanOrEqual(MAX_RECORD_CHARS);
      expect(summary.field0).toBe(`${'y'.repeat(200)}…(+4800)`);
      const dropped = summary['…dropped'] as string[];
      expect(dropped.length).toBe(10);
      expect(dropped[0]).toBe(Object.keys(huge).find((k) => !(k in summary)));
      // a summary that fits is kept whole, without a list of dropped fields
      expect(summariseInput({ a: 'y'.repeat(150) })).toEqual({ a: 'y'.repeat(150) });
    });

    it('keeps every field that fits the budget, dropping only the ones past it', () => {
      const fields = Object.fromEntries(
        Array.from({ length: 25 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'z'.repeat(190)]),
      );
      const summary = summariseInput(fields);
      const json = JSON.stringify(summary);
      expect(json.length).toBeLessThanOrEqual(MAX_RECORD_CHARS);
      const kept = Object.keys(summary).filter((k) => k !== '…dropped');
      const dropped = summary['…dropped'] as string[];
      expect([...kept, ...dropped].sort()).toEqual(Object.keys(fields));
      // room for no further field: the next one would have crossed the ceiling less its margin
      expect(json.length + 200).toBeGreaterThan(MAX_RECORD_CHARS - 200);
      expect(kept.length).toBeGreaterThan(15);
    });

    it(`keeps a summary of exactly ${MAX_RECORD_CHARS} characters whole, and cuts one of ${MAX_RECORD_CHARS + 1}`, () => {
      // 19 fields of 200 characters make 3,972 characters of JSON; a last field of n characters adds n + 7
      const input = (n: number) => ({
        ...Object.fromEntries(
          Array.from({ length: 19 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'a'.repeat(200)]),
        ),
        z: 'b'.repeat(n),
      });
      const atLimit = summariseInput(input(117));
      expect(JSON.stringify(atLimit).length).toBe(MAX_RECORD_CHARS);
      expect(atLimit).toEqual(input(117));
      const over = summariseInput(input(118));
      expect(over['…dropped']).toHaveLength(1);
      expect(JSON.stringify(over).length).toBeLessThanOrEqual(MAX_RECORD_CHARS);
    });

    it('keeps a field that brings the cut record exactly to the ceiling less its 200-character margin', () => {
      // 18 fields of 200 characters make 3,763 characters of JSON; "g" of 126 characters brings it to 3,896
      const fields = {
        ...Object.fromEntries(
          Array.from({ length: 18 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'a'.repeat(200)]),
        ),
        g: 'g'.repeat(126),
        h: 'h'.repeat(200),
      };
      const summary = summariseInput(fields);
      const { ['…dropped']: dropped, ...kept } = summary;
      expect(JSON.stringify(kept).length).toBe(MAX_RECORD_CHARS - 200);
      expect(kept.g).toBe('g'.repeat(126));
      expect(dropped).toEqual(['h']);
    });
  });

  describe('refusalDetail', () => {
    it('keeps the code, the message, the field, the blockers, the earliest time, the current version and the states', () => {
      const earliestAt = new Date(Date.UTC(2014, 6, 1));
      expect(
        refusalDetail({
          errorCode: 'TRANSITION_BLOCKED',
          message: 'blocked',
          field: 'topics',
          blockers: [
            { code: 'STUDY_DWELL', message: 'wait', required: '5', actual: null },
            { code: 'OPEN_OPINIONS', message: 'answer', required: null, actual: '2' },
          ],
          earliestAt,
          currentVersion: 0,
          activeStates: ['stage1.study.active'],
        }),
      ).toEqual({
        errorCode: 'TRANSITION_BLOCKED',
        message: 'blocked',
        field: 'topics',
        blockers: [
          { code: 'STUDY_DWELL', message: 'wait', required: '5', actual: null },
          { code: 'OPEN_OPINIONS', message: 'answer', required: null, actual: '2' },
        ],
        earliestAt: '2014-07-01T00:00:00.000Z',
        currentVersion: 0,
        activeStates: ['stage1.study.active'],
      });
    });

    it('leaves out what the refusal did not have', () => {
      expect(refusalDetail({ errorCode: 'NOT_FOUND', message: 'm', field: null, earliestAt: null })).toStrictEqual({
        errorCode: 'NOT_FOUND',
        message: 'm',
      });
    });

    it('bounds every part of it', () => {
      const blocker = {
        code: 'C'.repeat(61),
        message: 'M'.repeat(301),
        required: 'R'.repeat(101),
        actual: 'A'.repeat(101),
      };
      const detail = refusalDetail({
        errorCode: 'X',
        message: 'm'.repeat(501),
        field: 'f'.repeat(101),
        blockers: Array(MAX_KEPT_BLOCKERS + 1).fill(blocker),
        activeStates: Array(11).fill('s'.repeat(101)),
      });
      expect(detail.message).toBe(`${'m'.repeat(500)}…(+1)`);
      expect(detail.field).toBe(`${'f'.repeat(100)}…(+1)`);
      expect(detail.blockers).toHaveLength(MAX_KEPT_BLOCKERS);
      expect((detail.blockers as unknown[])[0]).toEqual({
        code: `${'C'.repeat(60)}…(+1)`,
        message: `${'M'.repeat(300)}…(+1)`,
        required: `${'R'.repeat(100)}…(+1)`,
        actual: `${'A'.repeat(100)}…(+1)`,
      });
      expect(detail.activeStates).toEqual(Array(10).fill(`${'s'.repeat(100)}…(+1)`));
    });
  });
});
