/**
 * `npm run soak -- --minutes N [--rate R]`: a steady mixed load against one started instance, for endurance.
 *
 * The instance is `node dist/src/main.js` as deployed (NODE_ENV=production) in a child process, on DATABASE_URL if set
 * (e.g. a PostgreSQL schema), else on a temporary SQLite file. Setup: a county and UNITS (200) village branches. Then,
 * open-loop at R requests per second (default 100; at most 64 in flight): 20% writes (a restated study plan: one
 * event each, so histories grow all along), 50% a unit's status and transitions, 15% a page of units, 15% a unit's
 * latest history page. Every answer is checked (2xx, no GraphQL error, the expected type).
 *
 * Prints one line per minute — requests, errors, p50 / p99 latency, the instance's resident memory — and a summary:
 * resident memory at the end against minute 5 (or minute 1 for a shorter run), p99 of the slowest minute against the
 * fastest. Exits 1 on any error. 30 minutes is the full run; 5 a quick one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken } from '../src/auth/jwt.js';

const UNITS = 200;
const MAX_IN_FLIGHT = 64;

function option(name: string, fallback: number, min: number, max: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const raw = at === -1 ? undefined : process.argv[at + 1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`--${name} must be a number from ${min} to ${max}`);
  return value;
}

const MINUTES = option('minutes', 30, 1, 24 * 60);
const RATE = option('rate', 100, 1, 5000);

interface Instance {
  url: string;
  child: ChildProcess;
}

function startInstance(databaseUrl: string, secret: string): Promise<Instance> {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
  const child = spawn(process.execPath, [main], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOOKBACK_JWT_SECRET: secret,
      LOOKBACK_AUDIT_KEY: randomBytes(32).toString('hex'),
      LOOKBACK_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
    },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`the instance exited with ${code} before serving:\n${output}`)));
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const match = /serving GraphQL at (http:\/\/[^/\s]+)\/graphql/.exec(output);
      if (match) resolve({ url: match[1], child });
    });
  });
}

/** Resident memory of a process in MB (Linux: /proc). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const secret = randomBytes(32).toString('hex');
  const token = signToken({ sub: 'soak', role: 'ADMIN', scopeUnitId: null }, secret);
  const dir = mkdtempSync(join(tmpdir(), 'lookback-soak-'));
  const databaseUrl = process.env.DATABASE_URL || `sqlite:${join(dir, 'soak.db')}`;
  const instance = await startInstance(databaseUrl, secret);
  const stop = () => {
    instance.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers' shapes are the documents' own
  type Data = Record<string, any>;
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Data> => {
    const response = await fetch(`${instance.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Data; errors?: unknown[] };
    if (!response.ok || body.errors) throw new Error(`${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body.data!;
  };

  const CREATE = `mutation($i: CreateUnitInput!) { createUnit(input: $i) { __typename ... on UnitCreated { unit { id } } } }`;
  const root = (await gql(CREATE, { i: { name: '耐久县', kind: 'LEADERSHIP_BODY', parentId: null, leaderCount: 3 } }))
    .createUnit.unit.id as string;
  const units: string[] = [];
  for (let i = 0; i < UNITS; i++)
    units.push(
      (await gql(CREATE, { i: { name: `耐久村${i}`, kind: 'GRASSROOTS', parentId: root, leaderCount: 0 } })).createUnit
        .unit.id,
    );

  let n = 0;
  const pick = () => units[Math.floor(Math.random() * units.length)];
  const operations: { share: number; run: () => Promise<unknown> }[] = [
    {
      share: 0.2,
      run: async () => {
        const data = await gql(`mutation($i: FileStudyPlanInput!) { fileStudyPlan(input: $i) { __typename } }`, {
          i: { unitId: pick(), topics: [`专题${++n}`], plannedDays: 1 + (n % 5) },
        });
        if (data.fileStudyPlan.__typename !== 'EvidenceRecorded')
          throw new Error(`fileStudyPlan: ${data.fileStudyPlan.__typename}`);
      },
    },
    {
      share: 0.5,
      run: () =>
        gql(`query($id: ID!) { unit(id: $id) { name status { phase version } transitions { event allowed } } }`, {
          id: pick(),
        }),
    },
    {
      share: 0.15,
      run: () =>
        gql(`query($p: ID!) { units(parentId: $p, first: 20) { edges { node { id name status { version } } } } }`, {
          p: root,
        }),
    },
    {
      share: 0.15,
      run: () =>
        gql(`query($id: ID!) { unit(id: $id) { history(first: 20) { edges { node { seq type hash } } } } }`, {
          id: pick(),
        }),
    },
  ];
  const choose = () => {
    let r = Math.random();
    for (const operation of operations) if ((r -= operation.share) < 0) return operation;
    return operations[0];
  };

  console.log(
    `soak: ${MINUTES} min at ${RATE} requests/s against ${instance.url} on ${databaseUrl.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL'}, ${UNITS} units`,
  );
  const minutes: { minute: number; requests: number; errors: number; p50: number; p99: number; rssMb: number }[] = [];
  let latencies: number[] = [];
  let errors = 0;
  let firstErrors: string[] = [];
  let inFlight = 0;
  let skipped = 0;
  const started = Date.now();
  let next = started;
  let minuteEnds = started + 60_000;
  while (minutes.length < MINUTES) {
    const now = Date.now();
    if (now >= minuteEnds) {
      const sorted = latencies.sort((a, b) => a - b);
      const row = {
        minute: minutes.length + 1,
        requests: sorted.length,
        errors,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        rssMb: Math.round(rssMb(instance.child.pid!)),
      };
      minutes.push(row);
      console.log(
        `minute ${row.minute}: ${row.requests} requests, ${row.errors} errors, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, RSS ${row.rssMb} MB`,
      );
      for (const e of firstErrors) console.log(`  error: ${e}`);
      latencies = [];
      errors = 0;
      firstErrors = [];
      minuteEnds += 60_000;
      continue;
    }
    if (now < next) {
      await new Promise((r) => setTimeout(r, Math.min(next - now, minuteEnds - now)));
      continue;
    }
    next += 1000 / RATE;
    // open loop: a request is due; if too many are still waiting, it is counted as skipped rather than queued
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    inFlight++;
    const t0 = performance.now();
    void choose()
      .run()
      .then(
        () => latencies.push(performance.now() - t0),
        (error: Error) => {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(error.message);
        },
      )
      .finally(() => inFlight--);
  }

  const base = minutes[Math.min(4, minutes.length - 1)];
  const last = minutes[minutes.length - 1];
  const p99s = minutes.map((m) => m.p99);
  const summary = {
    minutes: MINUTES,
    rate: RATE,
    requests: minutes.reduce((s, m) => s + m.requests, 0),
    errors: minutes.reduce((s, m) => s + m.errors, 0),
    skippedAsOverloaded: skipped,
    rssMb: {
      [`minute${base.minute}`]: base.rssMb,
      end: last.rssMb,
      ratio: Number((last.rssMb / base.rssMb).toFixed(3)),
    },
    p99Ms: {
      min: Number(Math.min(...p99s).toFixed(1)),
      max: Number(Math.max(...p99s).toFixed(1)),
      maxOverMin: Number((Math.max(...p99s) / Math.min(...p99s)).toFixed(2)),
    },
  };
  console.log(JSON.stringify(summary, null, 2));
  stop();
  process.exit(summary.errors === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
