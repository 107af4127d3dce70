/**
 * `npm run bench`: the service against a reference, side by side in one run (issue 4, "Speed").
 *
 * - the service: createApp (src/bootstrap.ts) on a temporary SQLite file with the default durability (WAL,
 *   synchronous=FULL) in production mode (NODE_ENV=production, as `npm run start:prod`), listening on 127.0.0.1; UNITS village branches (GRASSROOTS) under a launched township are
 *   created, given a study plan and launched over GraphQL;
 * - the reference (reference-server.ts): Fastify + better-sqlite3, same pragmas, the same durable write per request
 *   (BEGIN IMMEDIATE; read the snapshot row; insert the event; compare-and-set WHERE version = ?; COMMIT) and the
 *   same status read (one row by id).
 * Each server runs in its own process (bench-server.ts); autocannon loads them from this one, on loopback, for a
 * bounded duration each: writes = the `recordStudySession` mutation spread round-robin over the units; reads =
 * `{ unit(id) { status { phase activeStates version } } }`. Every service response is checked (non-2xx, GraphQL
 * errors, a result other than the success type): a run with any is reported and exits 1.
 * Prints one JSON object. Targets: writes ≥ 0.7× the reference, reads ≥ 0.3×.
 *
 * Knobs: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10), BENCH_UNITS (400),
 * BENCH_CPU_PROF=DIR (a CPU profile of the service process).
 */
import autocannon, { type Result } from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken } from '../src/auth/jwt.js';
import type { Principal } from '../src/auth/principal.js';

const SECONDS = bounded('BENCH_SECONDS', 10, 1, 60);
const WARMUP_SECONDS = bounded('BENCH_WARMUP_SECONDS', 2, 0, 30);
const CONNECTIONS = bounded('BENCH_CONNECTIONS', 10, 1, 100);
const UNITS = bounded('BENCH_UNITS', 400, 1, 5000);
const TARGETS = { writes: 0.7, reads: 0.3 };
/** The whole run, setup included, is killed past this. */
const HARD_LIMIT_MS = (60 + 4 * (SECONDS + WARMUP_SECONDS) * 2) * 1000;

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name} must be a number from ${min} to ${max}`);
  return value;
}

// ── servers in child processes ────────────────────────────────────────────────────────────────────────
interface Server {
  url: string;
  child: ChildProcess;
}

const children: ChildProcess[] = [];

function startServer(args: string[]): Promise<Server> {
  const script = fileURLToPath(new URL('./bench-server.js', import.meta.url));
  // BENCH_CPU_PROF=DIR: the service writes a V8 CPU profile there when it stops
  const profile =
    process.env.BENCH_CPU_PROF && args[0] === 'service'
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
      : [];
  // both servers run as deployed: NODE_ENV=production (graphql-js, among others, drops its development checks)
  const child = fork(script, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: profile,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within 60 s`)), 60_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      const url = (message as { url: string }).url;
      if (!url.startsWith('http://127.0.0.1:')) reject(new Error(`refusing a non-loopback target ${url}`));
      resolve({ url, child });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code} before listening`));
    });
  });
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.send('stop');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ── GraphQL setup ─────────────────────────────────────────────────────────────────────────────────────
const ADMIN: Principal = { sub: 'bench-admin', role: 'ADMIN', scopeUnitId: null };
const OFFICER: Principal = { sub: 'bench-officer', role: 'OFFICER', scopeUnitId: null };

type Answer = Record<string, { __typename: string; unit?: { id: string } }>;

async function gql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Answer; errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`setup: ${response.status} ${JSON.stringify(body)}`);
  return body.data!;
}

const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { __typename ... on UnitCreated { unit { id } } ... on ErrorResult { message } } }`;
const PLAN = `mutation($input: FileStudyPlanInput!) { fileStudyPlan(input: $input) { __typename ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($input: SendEventInput!) { sendEvent(input: $input) { __typename ... on ErrorResult { message } } }`;

async function createLaunchedUnit(
  url: string,
  admin: string,
  officer: string,
  name: string,
  kind: string,
  parentId: string | null,
): Promise<string> {
  const created = (await gql(url, admin, CREATE, { input: { name, kind, parentId } })).createUnit;
  if (created.__typename !== 'UnitCreated') throw new Error(`setup: createUnit ${JSON.stringify(created)}`);
  const id = created.unit!.id;
  const plan = (
    await gql(url, officer, PLAN, { input: { unitId: id, topics: ['党章党规', '焦裕禄精神'], plannedDays: 3 } })
  ).fileStudyPlan;
  if (plan.__typename !== 'EvidenceRecorded') throw new Error(`setup: fileStudyPlan ${JSON.stringify(plan)}`);
  const launch = (await gql(url, officer, LAUNCH, { input: { unitId: id, event: 'LAUNCH' } })).sendEvent;
  if (launch.__typename !== 'TransitionAccepted') throw new Error(`setup: LAUNCH ${JSON.stringify(launch)}`);
  return id;
}

async function inBatches<T>(count: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

// ── load ──────────────────────────────────────────────────────────────────────────────────────────────
interface Check {
  responses: number;
  failures: number;
  samples: string[];
}

function newCheck(): Check {
  return { responses: 0, failures: 0, samples: [] };
}

function record(check: Check, ok: boolean, status: number, body: string): void {
  check.responses++;
  if (ok) return;
  check.failures++;
  if (check.samples.length < 3) check.samples.push(`${status} ${body.slice(0, 300)}`);
}

interface Load {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** path, body and headers of the i-th request */
  request: (i: number) => { path: string; body?: string; headers?: Record<string, string> };
  /** is this 2xx response a success? */
  accept: (body: string) => boolean;
}

async function load(url: string, spec: Load, seconds: number, check: Check | null): Promise<Result> {
  let i = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: spec.method,
        headers: spec.headers,
        setupRequest: (request) => {
          const next = spec.request(i++);
          return {
            ...request,
            path: next.path,
            body: next.body,
            headers: next.headers ? { ...spec.headers, ...next.headers } : spec.headers,
          };
        },
        onResponse: (status, body) => {
          if (check) record(check, status >= 200 && status < 300 && spec.accept(body), status, body);
        },
      },
    ],
  });
}

interface Figures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  failedChecks: number;
}

function figures(result: Result, check: Check): Figures {
  return {
    perSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    failedChecks: check.failures,
  };
}

async function measure(url: string, spec: Load): Promise<{ figures: Figures; check: Check }> {
  if (WARMUP_SECONDS > 0) await load(url, spec, WARMUP_SECONDS, null);
  const check = newCheck();
  const result = await load(url, spec, SECONDS, check);
  return { figures: figures(result, check), check };
}

// ── the run ───────────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-'));
  const secret = randomBytes(32).toString('hex');
  const admin = signToken(ADMIN, secret);
  const officer = signToken(OFFICER, secret);
  let service: Server | null = null;
  let reference: Server | null = null;
  try {
    service = await startServer(['service', join(dir, 'service.db'), secret]);
    const township = await createLaunchedUnit(service.url, admin, officer, 'bench township', 'TOWNSHIP_STREET', null);
    const units = await inBatches(UNITS, 8, (i) =>
      createLaunchedUnit(service!.url, admin, officer, `bench village ${i}`, 'GRASSROOTS', township),
    );
    reference = await startServer(['reference', join(dir, 'reference.db'), JSON.stringify(units)]);
    // evidence must not be dated before the launch nor after the server's clock (same machine, so: now)
    const occurredAt = new Date().toISOString();

    // one officer per unit, as in the field (and each stays far below the per-principal rate limit)
    const officers = units.map(
      (_, i) => `Bearer ${signToken({ sub: `bench-officer-${i}`, role: 'OFFICER', scopeUnitId: null }, secret)}`,
    );
    const gqlHeaders = { 'content-type': 'application/json' };
    const evidenceInput = (unitId: string) => ({
      unitId,
      format: 'GROUP_DISCUSSION',
      occurredAt,
      hours: 2,
      attendees: 12,
      topic: '专题学习',
    });
    const WRITE = `mutation($input: RecordStudySessionInput!) { recordStudySession(input: $input) { __typename ... on EvidenceRecorded { eventSeq status { phase version } } ... on ErrorResult { errorCode message } } }`;
    const READ = `query($id: ID!) { unit(id: $id) { status { phase activeStates version } } }`;
    const unitAt = (i: number) => units[i % units.length];

    const serviceWrites: Load = {
      method: 'POST',
      headers: gqlHeaders,
      request: (i) => ({
        path: '/graphql',
        body: JSON.stringify({ query: WRITE, variables: { input: evidenceInput(unitAt(i)) } }),
        headers: { authorization: officers[i % units.length] },
      }),
      accept: (body) => !body.includes('"errors"') && body.includes('"__typename":"EvidenceRecorded"'),
    };
    const referenceWrites: Load = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      request: (i) => ({ path: `/units/${unitAt(i)}/events`, body: JSON.stringify(evidenceInput(unitAt(i))) }),
      accept: (body) => body.includes('"accepted":true'),
    };
    const serviceReads: Load = {
      method: 'POST',
      headers: gqlHeaders,
      request: (i) => ({
        path: '/graphql',
        body: JSON.stringify({ query: READ, variables: { id: unitAt(i) } }),
        headers: { authorization: officers[i % units.length] },
      }),
      accept: (body) => !body.includes('"errors"') && body.includes('"status":{"phase":"stage1"'),
    };
    const referenceReads: Load = {
      method: 'GET',
      headers: {},
      request: (i) => ({ path: `/units/${unitAt(i)}/status` }),
      accept: (body) => body.includes('"phase":"stage1"'),
    };

    const writes = {
      service: await measure(service.url, serviceWrites),
      reference: await measure(reference.url, referenceWrites),
    };
    const reads = {
      service: await measure(service.url, serviceReads),
      reference: await measure(reference.url, referenceReads),
    };

    const bad = (f: Figures) => f.non2xx + f.socketErrors + f.timeouts + f.failedChecks;
    const failures = [writes.service, writes.reference, reads.service, reads.reference].reduce(
      (n, m) => n + bad(m.figures),
      0,
    );
    const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
    const ratios = {
      writes: ratio(writes.service.figures.perSecond, writes.reference.figures.perSecond),
      reads: ratio(reads.service.figures.perSecond, reads.reference.figures.perSecond),
    };
    const report = {
      bench: 'service vs reference (issue 4, Speed)',
      setup: {
        units: UNITS,
        connections: CONNECTIONS,
        secondsEach: SECONDS,
        warmupSecondsEach: WARMUP_SECONDS,
        durability: 'SQLite WAL, synchronous=FULL',
        write: 'recordStudySession (GraphQL) vs POST /units/:id/events',
        read: 'unit(id) { status { phase activeStates version } } vs GET /units/:id/status',
        node: process.version,
      },
      service: {
        writesPerSecond: writes.service.figures.perSecond,
        readsPerSecond: reads.service.figures.perSecond,
        writes: writes.service.figures,
        reads: reads.service.figures,
      },
      reference: {
        writesPerSecond: writes.reference.figures.perSecond,
        readsPerSecond: reads.reference.figures.perSecond,
        writes: writes.reference.figures,
        reads: reads.reference.figures,
      },
      ratios,
      targets: TARGETS,
      targetsMet: { writes: ratios.writes >= TARGETS.writes, reads: ratios.reads >= TARGETS.reads },
      allResponsesSucceeded: failures === 0,
      ...(failures > 0
        ? {
            failureSamples: {
              serviceWrites: writes.service.check.samples,
              referenceWrites: writes.reference.check.samples,
              serviceReads: reads.service.check.samples,
              referenceReads: reads.reference.check.samples,
            },
          }
        : {}),
    };
    console.log(JSON.stringify(report, null, 2));
    return failures === 0 ? 0 : 1;
  } finally {
    if (service) await stopServer(service);
    if (reference) await stopServer(reference);
    rmSync(dir, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${HARD_LIMIT_MS / 1000} s; stopping.`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(2);
}, HARD_LIMIT_MS);
watchdog.unref();

main().then(
  (code) => {
    clearTimeout(watchdog);
    process.exit(code);
  },
  (error) => {
    console.error(error);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  },
);
