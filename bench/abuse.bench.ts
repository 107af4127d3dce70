/**
 * `npm run bench:abuse` (second part): the service as deployed (NODE_ENV=production, SQLite WAL + synchronous=FULL,
 * default limits) under a mixed attack while a bystander reads one unit's status in a loop.
 *
 * - anonymous: POST /graphql with a 1 MiB alias-flood document and no token;
 * - history: an auditor's aliased history queries on a unit of BENCH_ABUSE_EVENTS events — alternately 50 aliases of
 *   unitAsOf (over the document limits) and the four verifyHistory the limits allow (then the rate limit);
 * - oversized: an officer's recordOpinion with a 900 kB text (refused as InvalidInput, kept in the attempts log);
 * - live: an auditor's WebSocket connections sending `subscribe` messages whose documents are 60 KiB token floods
 *   (30,000 tokens: refused before parsing), one after another as fast as they are answered.
 * Each attack runs on BENCH_ATTACK_CONNECTIONS connections for BENCH_SECONDS; the bystander sends one request at a
 * time. Prints one JSON object: the bystander's p50/p99 (target p99 < 1 s) and each attack's throughput and answers.
 * Exits 1 if a bystander read failed.
 *
 * Knobs: BENCH_SECONDS (10), BENCH_ABUSE_EVENTS (3000), BENCH_ATTACK_CONNECTIONS (2).
 */
import autocannon, { type Result } from 'autocannon';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../src/auth/jwt.js';
import type { Principal } from '../src/auth/principal.js';
import { startService, stopService, type ServerProcess } from './server-process.js';

const SECONDS = bounded('BENCH_SECONDS', 10, 1, 120);
const EVENTS = bounded('BENCH_ABUSE_EVENTS', 3000, 10, 50_000);
const ATTACK_CONNECTIONS = bounded('BENCH_ATTACK_CONNECTIONS', 2, 1, 50);
const P99_TARGET_MS = 1000;

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

const ADMIN: Principal = { sub: 'abuse-admin', role: 'ADMIN', scopeUnitId: null };
const OFFICER: Principal = { sub: 'abuse-officer', role: 'OFFICER', scopeUnitId: null };
const ATTACKING_OFFICER: Principal = { sub: 'abuse-attacker', role: 'OFFICER', scopeUnitId: null };
const AUDITOR: Principal = { sub: 'abuse-auditor', role: 'AUDITOR', scopeUnitId: null };
const BYSTANDER: Principal = { sub: 'abuse-bystander', role: 'OFFICER', scopeUnitId: null };

type Data = Record<string, { __typename?: string; unit?: { id: string } }>;

async function gql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Data> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`setup: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.data!;
}

/** A launched village branch with `events` events in its history (plan, launch, then study sessions). */
async function unitWithHistory(
  url: string,
  admin: string,
  officer: string,
  name: string,
  events: number,
): Promise<string> {
  const created = await gql(
    url,
    admin,
    'mutation($i: CreateUnitInput!) { createUnit(input: $i) { ... on UnitCreated { unit { id } } } }',
    { i: { name, kind: 'GRASSROOTS' } },
  );
  const unitId = created.createUnit.unit!.id;
  await gql(url, officer, 'mutation($i: FileStudyPlanInput!) { fileStudyPlan(input: $i) { __typename } }', {
    i: { unitId, topics: ['焦裕禄精神'], plannedDays: 1 },
  });
  await gql(url, officer, 'mutation($i: SendEventInput!) { sendEvent(input: $i) { __typename } }', {
    i: { unitId, event: 'LAUNCH' },
  });
  const session = 'mutation($i: RecordStudySessionInput!) { recordStudySession(input: $i) { __typename } }';
  const occurredAt = new Date().toISOString();
  let next = 2;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < events) {
        next++;
        const answer = await gql(url, officer, session, {
          i: { unitId, format: 'SELF_STUDY', occurredAt, hours: 1, attendees: 3 },
        });
        if (answer.recordStudySession.__typename !== 'EvidenceRecorded')
          throw new Error(`setup: ${JSON.stringify(answer)}`);
      }
    }),
  );
  return unitId;
}

interface Attack {
  name: string;
  describe: string;
  token: string | null;
  bodies: string[];
}

function attackOf(url: string, attack: Attack, statuses: Map<string, number>): Promise<Result> {
  let i = 0;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(attack.token ? { authorization: `Bearer ${attack.token}` } : {}),
  };
  return autocannon({
    url,
    connections: ATTACK_CONNECTIONS,
    pipelining: 1,
    duration: SECONDS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers,
        setupRequest: (request) => ({ ...request, body: attack.bodies[i++ % attack.bodies.length] }),
        onResponse: (status, body) => {
          const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? /"__typename":"([A-Za-z]+)"/.exec(body)?.[1] ?? '';
          const key = `${status} ${code}`.trim();
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        },
      },
    ],
  });
}

/** WebSocket connections sending `subscribe` messages with `query` one after another until `until`; answers counted. */
async function liveAttack(
  url: string,
  token: string,
  query: string,
  until: number,
  answers: Map<string, number>,
): Promise<{ messages: number; seconds: number }> {
  const started = performance.now();
  let messages = 0;
  await Promise.all(
    Array.from(
      { length: ATTACK_CONNECTIONS },
      () =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
          let id = 0;
          const send = () => {
            if (Date.now() >= until) return ws.close();
            messages++;
            ws.send(JSON.stringify({ id: String(++id), type: 'subscribe', payload: { query } }));
          };
          ws.on('open', () =>
            ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
          );
          ws.on('message', (data) => {
            const message = JSON.parse(String(data)) as {
              type: string;
              payload?: Array<{ extensions?: { code?: string } }>;
            };
            if (message.type === 'connection_ack') return send();
            if (message.type !== 'error' && message.type !== 'next') return;
            const key = `${message.type} ${message.payload?.[0]?.extensions?.code ?? ''}`.trim();
            answers.set(key, (answers.get(key) ?? 0) + 1);
            send();
          });
          ws.on('close', (code) => {
            if (code !== 1000 && code !== 1005) answers.set(`closed ${code}`, (answers.get(`closed ${code}`) ?? 0) + 1);
            resolve();
          });
          ws.on('error', () => undefined);
        }),
    ),
  );
  return { messages, seconds: (performance.now() - started) / 1000 };
}

/** One status read at a time until `until`; the latency of each, and the failures. */
async function bystander(
  url: string,
  token: string,
  unitId: string,
  until: number,
): Promise<{ latencies: number[]; failures: string[] }> {
  const body = JSON.stringify({
    query: 'query($id: ID!) { unit(id: $id) { status { phase activeStates version } } }',
    variables: { id: unitId },
  });
  const latencies: number[] = [];
  const failures: string[] = [];
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (!response.ok || !text.includes('"phase":"stage1"')) failures.push(`${response.status} ${text.slice(0, 200)}`);
    } catch (error) {
      latencies.push(performance.now() - started);
      failures.push(String(error));
    }
  }
  return { latencies, failures };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-abuse-'));
  const secret = randomBytes(32).toString('hex');
  const token = (p: Principal) => signToken(p, secret);
  let service: ServerProcess | null = null;
  try {
    service = await startService(join(dir, 'abuse.db'), secret);
    const setupStarted = performance.now();
    const history = await unitWithHistory(service.url, token(ADMIN), token(OFFICER), 'history village', EVENTS);
    const watched = await unitWithHistory(service.url, token(ADMIN), token(OFFICER), 'watched village', 3);
    const setupSeconds = Math.round((performance.now() - setupStarted) / 100) / 10;

    let flood = '{ ';
    for (let i = 0; flood.length < 1024 * 1024 - 64; i++) flood += `a${i}: __typename `;
    const aliasedUnitAsOf = Array.from(
      { length: 50 },
      (_, i) => `h${i}: unitAsOf(unitId: $u, at: "${new Date().toISOString()}") { phase }`,
    ).join(' ');
    const fourVerify = Array.from(
      { length: 4 },
      (_, i) => `v${i}: verifyHistory(unitId: $u) { ok checkedEvents }`,
    ).join(' ');
    const attacks: Attack[] = [
      {
        name: 'anonymous',
        describe: '1 MiB alias-flood document, no token',
        token: null,
        bodies: [JSON.stringify({ query: `${flood}}` })],
      },
      {
        name: 'history',
        describe: `auditor: 50 × unitAsOf / 4 × verifyHistory over ${EVENTS} events`,
        token: token(AUDITOR),
        bodies: [`query($u: ID!) { ${aliasedUnitAsOf} }`, `query($u: ID!) { ${fourVerify} }`].map((query) =>
          JSON.stringify({ query, variables: { u: history } }),
        ),
      },
      {
        name: 'oversized',
        describe: 'officer: recordOpinion with a 900 kB text (InvalidInput)',
        token: token(ATTACKING_OFFICER),
        bodies: [
          JSON.stringify({
            query:
              'mutation($i: RecordOpinionInput!) { recordOpinion(input: $i) { __typename ... on ErrorResult { errorCode } } }',
            variables: {
              i: {
                targetUnitId: watched,
                collectedByUnitId: watched,
                channel: 'FACE_TO_FACE',
                category: 'FORMALISM',
                text: 'x'.repeat(900_000),
                occurredAt: new Date().toISOString(),
              },
            },
          }),
        ],
      },
    ];

    const quiet = await bystander(service.url, token(BYSTANDER), watched, Date.now() + 2000);
    const statuses = attacks.map(() => new Map<string, number>());
    const until = Date.now() + SECONDS * 1000;
    const liveAnswers = new Map<string, number>();
    const liveFlood = `subscription { unitChanged(unitId: "${watched}") { ${'a '.repeat(30_000)}} }`;
    const [results, loaded, live] = await Promise.all([
      Promise.all(attacks.map((a, i) => attackOf(service!.url, a, statuses[i]))),
      bystander(service.url, token(BYSTANDER), watched, until),
      liveAttack(service.url, token(AUDITOR), liveFlood, until, liveAnswers),
    ]);

    const sorted = [...loaded.latencies].sort((a, b) => a - b);
    const quietSorted = [...quiet.latencies].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    const report = {
      bench: 'abuse: a bystander reading one unit while attackers load the edge',
      setup: {
        secondsUnderAttack: SECONDS,
        historyEvents: EVENTS,
        attackConnectionsEach: ATTACK_CONNECTIONS,
        setupSeconds,
        node: process.version,
      },
      bystander: {
        quiet: {
          reads: quiet.latencies.length,
          p50Ms: round(percentile(quietSorted, 50)),
          p99Ms: round(percentile(quietSorted, 99)),
        },
        underAttack: {
          reads: loaded.latencies.length,
          p50Ms: round(percentile(sorted, 50)),
          p99Ms: round(p99),
          maxMs: round(sorted[sorted.length - 1]),
          failures: loaded.failures.length,
        },
        p99TargetMs: P99_TARGET_MS,
        p99TargetMet: p99 < P99_TARGET_MS,
        ...(loaded.failures.length ? { failureSamples: loaded.failures.slice(0, 3) } : {}),
      },
      attacks: Object.fromEntries(
        attacks.map((a, i) => [
          a.name,
          {
            what: a.describe,
            requestsPerSecond: Math.round((results[i].requests.total / results[i].duration) * 10) / 10,
            p50Ms: results[i].latency.p50,
            p99Ms: results[i].latency.p99,
            answers: Object.fromEntries([...statuses[i].entries()].sort((x, y) => y[1] - x[1])),
            socketErrors: results[i].errors,
            timeouts: results[i].timeouts,
          },
        ]),
      ),
      live: {
        what: 'auditor over WebSocket: subscribe with a 60 KiB, 30,000-token document',
        messagesPerSecond: Math.round((live.messages / live.seconds) * 10) / 10,
        answers: Object.fromEntries([...liveAnswers.entries()].sort((x, y) => y[1] - x[1])),
      },
    };
    console.log(JSON.stringify(report, null, 2));
    return loaded.failures.length === 0 ? 0 : 1;
  } finally {
    if (service) await stopService(service);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
