/**
 * `npm run bench:abuse` (first part), in process: what the document gate costs and what it bounds.
 *
 * 1. Counting tokens: graphql-js's Lexer pass (scanDocument: tokens and nesting, what the HTTP edge runs on every
 *    request) against parse(…, { maxTokens }) (what the parser's own cap costs), on documents clients send, at the
 *    cap, and on a 1 MiB alias flood (both stop at cap + 1 tokens).
 * 2. The worst parse + validation found at the cap: documents within LOOKBACK_MAX_TOKENS built to make graphql-js's
 *    validation work hard (the same field selected many times: OverlappingFieldsCanBeMerged compares them pairwise),
 *    validated as the server does (specified rules + the document limits at their defaults).
 * Prints one JSON object. Knob: BENCH_GATE_ROUNDS (50) repetitions per figure (the median is printed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { scanDocument } from '../src/graphql/document-scan.js';
import { documentLimitsRule } from '../src/graphql/document-limits.js';
import { DEFAULT_MAX_TOKENS } from '../src/config/edge-settings.js';

const ROUNDS = Number(process.env.BENCH_GATE_ROUNDS ?? 50);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 10_000)
  throw new Error('BENCH_GATE_ROUNDS must be a whole number from 1 to 10000');
const MAX = DEFAULT_MAX_TOKENS;
const LIMITS = { maxDepth: 15, maxAliases: 50, maxFields: 1000, maxCost: 50_000 };

/** Median milliseconds of `work` over ROUNDS runs (after one warm-up run). */
function median(work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 1000) / 1000;
}

function parseCapped(query: string): void {
  try {
    parse(query, { maxTokens: MAX });
  } catch {
    // refused at cap + 1 tokens: that is the work measured
  }
}

/** The largest `n` for which `make(n)` stays within the token cap. */
function largestWithin(make: (n: number) => string): number {
  let n = 1;
  while (scanDocument(make(n + 1), MAX).verdict === 'ok') n++;
  return n;
}

function main(): void {
  const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.graphql'), 'utf8'));
  const rules = [...specifiedRules, documentLimitsRule(LIMITS)];

  let flood = '{ ';
  for (let i = 0; flood.length < 1024 * 1024 - 64; i++) flood += `a${i}: __typename `;
  const board = `query Board(${Array.from({ length: 50 }, (_, i) => `$u${i}: ID!`).join(', ')}) { ${Array.from({ length: 50 }, (_, i) => `u${i}: unit(id: $u${i}) { id name kind depth status { phase activeStates version } parent { id name } }`).join(' ')} }`;
  const atCap = (() => {
    const fragments = Math.floor((MAX - 2) / 6);
    return `{ ${'... on Query { __typename } '.repeat(fragments)}${'__typename '.repeat(MAX - 2 - 6 * fragments)}}`;
  })();
  const documents: Record<string, string> = {
    statusRead: 'query($id: ID!) { unit(id: $id) { status { phase activeStates version } } }',
    board50Aliases: board,
    atTheCap: atCap,
    aliasFlood1MiB: `${flood}}`,
  };
  const counting = Object.fromEntries(
    Object.entries(documents).map(([name, query]) => {
      const scan = scanDocument(query, MAX);
      return [
        name,
        {
          bytes: query.length,
          tokens: scan.verdict === 'too-many-tokens' ? `> ${MAX}` : 'tokens' in scan ? scan.tokens : '?',
          lexerScanMs: median(() => scanDocument(query, MAX)),
          parseWithMaxTokensMs: median(() => parseCapped(query)),
        },
      ];
    }),
  );

  // shapes that make validation work: one field name selected n times, nested or through distinct fragments
  const shapes: Record<string, (n: number) => string> = {
    sameRootField: (n) => `{ ${'unit(id: "x") { id } '.repeat(n)}}`,
    sameNestedConnection: (n) => `{ unit(id: "x") { ${'children { edges { node { id } } } '.repeat(n)}} }`,
    sameFieldAliasConflicts: (n) =>
      `{ ${Array.from({ length: n }, (_, i) => `a: unit(id: "${i}") { id }`).join(' ')} }`,
    distinctFragmentsSameField: (n) =>
      `{ ${Array.from({ length: n }, (_, i) => `...F${i}`).join(' ')} } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { unit(id: "x") { id } }`).join(' ')}`,
    fragmentFanOut: (n) =>
      `{ ...F${n} } fragment F0 on Query { a: __typename } ${Array.from({ length: n }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ')}`,
  };
  const worst = Object.fromEntries(
    Object.entries(shapes).map(([name, make]) => {
      const n = largestWithin(make);
      const query = make(n);
      const document = parse(query);
      const errors = validate(schema, document, rules);
      return [
        name,
        {
          n,
          bytes: query.length,
          parseMs: median(() => parse(query)),
          validateMs: median(() => validate(schema, document, rules)),
          refusedBy: errors.slice(0, 2).map((e) => e.message.slice(0, 80)),
        },
      ];
    }),
  );

  console.log(
    JSON.stringify(
      {
        bench: 'document gate: counting tokens, and the worst validation within the cap',
        maxTokens: MAX,
        rounds: ROUNDS,
        node: process.version,
        counting,
        worstWithinTheCap: worst,
      },
      null,
      2,
    ),
  );
}

main();
