import { canonicalJson, CanonicalText } from './canonical-json.js';

/** The rule as first written, value by value: the encoding every stored hash was made with. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(record[k])}`).join(',')}}`;
}

/** A small deterministic generator (no dependency on Math.random: a failure replays). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KEYS = ['a', 'b', 'Z', '_', '', 'ä', '中', '\u{1F600}', '\uFFFF', 'a"b', 'line\nbreak', '10', '9', 'unitId'];

/** Strings JSON writes as they are, and every kind it escapes: quotes, backslashes, controls, lone surrogates. */
const STRINGS = [
  'plain',
  '群众路线教育实践活动',
  '',
  ' spaces  inside ',
  '\u2028\u2029',
  '😀 a pair',
  'tab\there',
  '\u0000\u001f\u007f',
  'quote " inside',
  'back\\slash',
  'lone \ud800 high',
  'lone \udc00 low',
  'reversed \udc00\ud800',
  '\ud83d',
  '</script>',
];
/** Numbers whose text is easy to get wrong: not finite (null in JSON), negative zero, exponents. */
const NUMBERS = [NaN, Infinity, -Infinity, -0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2, -1.5];

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.floor(next() * 2e6) - 1e6;
    case 3:
      return next() < 0.8 ? next() * 1000 : NUMBERS[Math.floor(next() * NUMBERS.length)];
    case 4:
      return next() < 0.3
        ? KEYS[Math.floor(next() * KEYS.length)] + '\u2028\\/'
        : STRINGS[Math.floor(next() * STRINGS.length)];
    case 5:
      return undefined;
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 5); i > 0; i--)
        o[KEYS[Math.floor(next() * KEYS.length)]] = value(next, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  }
}

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 'x' }], c: null }, 中: true, Z: 'z' })).toBe(
      '{"Z":"z","a":{"c":null,"d":[1,{"y":"x","z":0}]},"b":1,"中":true}',
    );
    // an astral character (a surrogate pair, 0xD83D…) sorts before U+FFFF, as UTF-16 code units do
    expect(canonicalJson({ '\uFFFF': 1, '\u{1F600}': 2 })).toBe('{"\u{1F600}":2,"\uFFFF":1}');
  });

  it('drops undefined members of objects, writes undefined items of lists as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], c: {} })).toBe('{"b":[null,1],"c":{}}');
    expect(canonicalJson({ only: undefined })).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('a"\n')).toBe('"a\\"\\n"');
  });

  it('writes a part already encoded as it is: the whole is the same text as encoding it all at once', () => {
    const next = random(2014);
    for (let i = 0; i < 500; i++) {
      const inner = value(next, 1);
      // (an undefined member is dropped, not written: there is no text to have encoded)
      if (inner === undefined) continue;
      const whole = { z: 1, inner, list: [inner, 2] };
      const encoded = new CanonicalText(canonicalJson(inner));
      expect(canonicalJson({ z: 1, inner: encoded, list: [encoded, 2] })).toBe(reference(whole));
    }
    // written verbatim, not re-encoded as an object with a `json` member
    expect(canonicalJson({ a: new CanonicalText('{"b":1}') })).toBe('{"a":{"b":1}}');
  });

  it('writes every string and number as JSON.stringify does, each escape and each odd number included', () => {
    for (const text of [...STRINGS, ...KEYS]) {
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
      expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
    }
    for (const n of NUMBERS) expect(canonicalJson([n])).toBe(JSON.stringify([n]));
    expect(canonicalJson([true, false, null])).toBe('[true,false,null]');
  });

  it('encodes 5,000 random values exactly as the rule written value by value does', () => {
    const next = random(20141);
    for (let i = 0; i < 5_000; i++) {
      const v = value(next, 0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });
});
