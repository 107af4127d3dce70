import { parse } from 'graphql';
import { MAX_NESTING, scanDocument } from './document-scan.js';

/** mulberry32: seeded, so that a failing document can be regenerated. */
function prng(seed: number) {
  let state = seed;
  const next = () => {
    let t = (state = (state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}

/** Text that holds brackets and quotes the parser does not count: what a hand scanner got wrong. */
const TRICKY_STRINGS = [
  '"{[("',
  '"\\"{"',
  '"\\\\"',
  '"""{ \\""" ( """',
  '"""\\"""\\"""[["""',
  '""" "" " { """',
  '"\\u007B"',
  '""',
];
const TRICKY_COMMENTS = ['# { [ (\n', '# """ {\n', '#\n', '# \\""" }\n'];

/** A valid document nesting exactly `depth` levels of selection sets (plus an argument list at the deepest one). */
function generate(r: ReturnType<typeof prng>, depth: number): string {
  let inner = `leaf(a: ${r.pick(TRICKY_STRINGS)}, b: [1, 2, { c: ${r.pick(TRICKY_STRINGS)} }])`;
  for (let level = 1; level < depth; level++) {
    const comment = r.next() < 0.3 ? r.pick(TRICKY_COMMENTS) : '';
    const sibling = r.next() < 0.3 ? `s${level}: f(x: ${r.pick(TRICKY_STRINGS)}) ` : '';
    inner = `f${level} ${comment}{ ${sibling}${inner} }`;
  }
  return `query Q ${r.next() < 0.5 ? r.pick(TRICKY_COMMENTS) : ''}{ ${inner} }`;
}

/** The parser's own token count: the least maxTokens it accepts the document with. */
function parserTokens(document: string, guess: number): number {
  const accepts = (max: number) => {
    try {
      parse(document, { maxTokens: max });
      return true;
    } catch {
      return false;
    }
  };
  expect(accepts(guess)).toBe(true);
  expect(accepts(guess - 1)).toBe(false);
  return guess;
}

describe("scanDocument: the parser's tokens and the deepest bracket nesting, in one iterative pass", () => {
  it('agrees with the parser on 500 documents full of brackets inside strings, block strings and comments', () => {
    const r = prng(0x5ca1ab1e);
    for (let i = 0; i < 500; i++) {
      const depth = r.int(1, 12);
      const document = generate(r, depth);
      const scan = scanDocument(document, 100_000);
      if (scan.verdict !== 'ok') throw new Error(`#${i}: ${scan.verdict} for ${document}`);
      expect(parserTokens(document, scan.tokens)).toBe(scan.tokens);
      // the selection sets, then the deepest one's argument list and the list and object literals inside it
      expect({ i, nesting: scan.nesting }).toEqual({ i, nesting: depth + 3 });
    }
  });

  it(`nesting ${MAX_NESTING} passes, ${MAX_NESTING + 1} is refused, whatever hides in block strings`, () => {
    const nested = (levels: number) =>
      `{ a(x: """ \\""" { """) ${'{ b '.repeat(levels - 1)}${'}'.repeat(levels - 1)} }`;
    expect(scanDocument(nested(MAX_NESTING), 100_000)).toMatchObject({ verdict: 'ok', nesting: MAX_NESTING });
    expect(scanDocument(nested(MAX_NESTING + 1), 100_000)).toEqual({ verdict: 'too-deep', nesting: MAX_NESTING + 1 });
    // 3,000 levels: refused at level 257, long before the end
    expect(scanDocument(nested(3000), 100_000)).toEqual({ verdict: 'too-deep', nesting: MAX_NESTING + 1 });
  });

  it('tokens: the limit passes, one more is refused, and a long document is abandoned at the limit', () => {
    expect(scanDocument('{ a b c }', 5)).toEqual({ verdict: 'ok', tokens: 5, nesting: 1 });
    expect(scanDocument('{ a b c d }', 5)).toEqual({ verdict: 'too-many-tokens', tokens: 6 });
    expect(scanDocument(`{ ${'a '.repeat(500_000)}}`, 2000)).toEqual({ verdict: 'too-many-tokens', tokens: 2001 });
    // a comment, however long, is no token
    expect(scanDocument(`{ a } # ${'{'.repeat(100_000)}`, 3)).toEqual({ verdict: 'ok', tokens: 3, nesting: 1 });
  });

  it('a syntax error stops the scan where the parser would stop: GraphQL reports it', () => {
    expect(scanDocument('{ a(x: "unterminated) }', 100)).toEqual({ verdict: 'syntax-error', tokens: 5, nesting: 2 });
    expect(scanDocument('{ a(x: """never closed', 100)).toMatchObject({ verdict: 'syntax-error' });
  });
});
