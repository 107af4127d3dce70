/**
 * `npm run bench:cluster`: three instances (child processes) on one PostgreSQL schema, as behind a balancer.
 *   1. conflicting commands: the same expectedVersion sent to all three at once, round after round → exactly one winner
 *   2. a unitChanged subscriber on instance 1 and commands sent to instances 2 and 3: the time from sending the command
 *      to the update arriving, p50/p99 (target p99 ≤ 100 ms), against the command's own round trip (the reference)
 *   3. 1,000 subscribers of one unit on instance 1 and a command on instance 2: every one gets the update, p50/p99
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a schema of its own, dropped at the end.
 * BENCH_SAMPLES / BENCH_ROUNDS / BENCH_SUBSCRIBERS / BENCH_FANOUT_EVENTS shrink it while developing.
 */
import pg from 'pg';
import { signToken } from '../src/auth/jwt.js';
import {
  gql,
  JWT_SECRET,
  startInstance,
  stopInstance,
  subscribe,
  type Instance,
  type Subscriber,
} from './cluster-instances.js';

const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const FANOUT_EVENTS = Number(process.env.BENCH_FANOUT_EVENTS ?? 5);
const CONTENDERS_PER_INSTANCE = 2;

const admin = signToken({ sub: 'bench-admin', role: 'ADMIN', scopeUnitId: null }, JWT_SECRET);
const watcher = signToken({ sub: 'bench-watcher', role: 'AUDITOR', scopeUnitId: null }, JWT_SECRET);
const watcherNo = (n: number) =>
  signToken({ sub: `bench-watcher-${n}`, role: 'AUDITOR', scopeUnitId: null }, JWT_SECRET);
const UNIT_CHANGED = 'subscription($id: ID!) { unitChanged(unitId: $id) { version } }';
const SCREENING = `mutation($i: RecordFilmScreeningInput!) { recordFilmScreening(input: $i) { __typename ... on EvidenceRecorded { status { version } } } }`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (ms: number) => Math.round(ms * 100) / 100;
function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}

async function createUnit(url: string, name: string, parentId: string | null): Promise<string> {
  const data = await gql<{ createUnit: { unit: { id: string } } }>(
    url,
    admin,
    'mutation($i: CreateUnitInput!) { createUnit(input: $i) { ... on UnitCreated { unit { id } } } }',
    {
      i: { name, kind: 'LEADERSHIP_BODY', parentId, leaderCount: 0 },
    },
  );
  return data.createUnit.unit.id;
}

async function version(url: string, unitId: string): Promise<number> {
  return (
    await gql<{ unit: { status: { version: number } } }>(
      url,
      admin,
      'query($id: ID!) { unit(id: $id) { status { version } } }',
      { id: unitId },
    )
  ).unit.status.version;
}

const screening = (url: string, unitId: string, expectedVersion?: number) =>
  gql<{ recordFilmScreening: { __typename: string } }>(url, admin, SCREENING, {
    i: {
      unitId,
      title: '焦裕禄',
      occurredAt: new Date().toISOString(),
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    },
  });

/** Launched units take evidence: the province and one county under it. */
async function launchedUnit(url: string, parentId: string | null, name: string): Promise<string> {
  const id = await createUnit(url, name, parentId);
  await gql<unknown>(url, admin, 'mutation($i: FileStudyPlanInput!) { fileStudyPlan(input: $i) { __typename } }', {
    i: { unitId: id, topics: ['党章'], plannedDays: 3 },
  });
  const sent = await gql<{ sendEvent: { __typename: string } }>(
    url,
    admin,
    'mutation($i: SendEventInput!) { sendEvent(input: $i) { __typename } }',
    { i: { unitId: id, event: 'LAUNCH' } },
  );
  if (sent.sendEvent.__typename !== 'TransitionAccepted')
    throw new Error(`LAUNCH of ${name}: ${sent.sendEvent.__typename}`);
  return id;
}

async function conflicts(instances: Instance[], unitId: string) {
  const outcomes = new Map<string, number>();
  let roundsWithOneWinner = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const v = await version(instances[r % 3].url, unitId);
    const answers = await Promise.all(
      instances.flatMap((i) => Array.from({ length: CONTENDERS_PER_INSTANCE }, () => screening(i.url, unitId, v))),
    );
    const names = answers.map((a) => a.recordFilmScreening.__typename);
    for (const name of names) outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
    if (names.filter((n) => n === 'EvidenceRecorded').length === 1) roundsWithOneWinner++;
  }
  const after = await version(instances[0].url, unitId);
  return {
    rounds: ROUNDS,
    contendersPerRound: 3 * CONTENDERS_PER_INSTANCE,
    roundsWithExactlyOneWinner: roundsWithOneWinner,
    outcomes: Object.fromEntries(outcomes),
    versionsAppended: after,
  };
}

async function crossInstanceLatency(instances: Instance[], unitId: string) {
  let waiting: ((at: number) => void) | null = null;
  const subscriber = await subscribe(instances[0].url, watcher, UNIT_CHANGED, { id: unitId }, () =>
    waiting?.(performance.now()),
  );
  await warmUp(instances[1].url, unitId, () => new Promise((resolve) => (waiting = resolve)));
  const toEvent: number[] = [];
  const roundTrip: number[] = [];
  const afterAnswer: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const target = instances[1 + (i % 2)].url;
    const arrived = new Promise<number>((resolve) => (waiting = resolve));
    const sent = performance.now();
    await screening(target, unitId);
    const answered = performance.now();
    const at = await arrived;
    waiting = null;
    toEvent.push(at - sent);
    roundTrip.push(answered - sent);
    afterAnswer.push(at - answered);
  }
  subscriber.close();
  // afterAnswer: the update's arrival minus the command's answer (negative: the update came first)
  return {
    sendToEventOnAnotherInstance: summary(toEvent),
    reference_commandRoundTrip: summary(roundTrip),
    eventAfterAnswer: summary(afterAnswer),
  };
}

/** The first update through a new subscription (the server has it registered once one arrives). */
async function warmUp(url: string, unitId: string, next: () => Promise<number>): Promise<void> {
  for (;;) {
    const arrived = next();
    await screening(url, unitId);
    const got = await Promise.race([arrived, new Promise<null>((resolve) => setTimeout(() => resolve(null), 500))]);
    if (got !== null) return;
  }
}

async function fanOut(instances: Instance[], unitId: string) {
  const arrivals: number[][] = [];
  let event = -1;
  const subscribers: Subscriber[] = [];
  const seen = new Set<number>();
  const connectStart = performance.now();
  for (let s = 0; s < SUBSCRIBERS; s += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, SUBSCRIBERS - s) }, (_, i) =>
        // a thousand people watching: one principal may hold at most LOOKBACK_CONNECTIONS_PER_PRINCIPAL connections
        subscribe(instances[0].url, watcherNo(s + i), UNIT_CHANGED, { id: unitId }, () => {
          seen.add(s + i);
          if (event >= 0) arrivals[event].push(performance.now());
        }),
      ),
    );
    subscribers.push(...batch);
  }
  const connectMs = performance.now() - connectStart;
  // the server registers a subscription after acknowledging the connection: updates until every one has had one
  for (let tries = 0; seen.size < SUBSCRIBERS; tries++) {
    if (tries === 30) throw new Error(`only ${seen.size} of ${SUBSCRIBERS} subscribers get updates`);
    await screening(instances[1].url, unitId);
    const deadline = Date.now() + 2000;
    while (seen.size < SUBSCRIBERS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const latencies: number[] = [];
  let allReceived = true;
  for (let e = 0; e < FANOUT_EVENTS; e++) {
    arrivals.push([]);
    event = e;
    const sent = performance.now();
    await screening(instances[1].url, unitId);
    const deadline = Date.now() + 10_000;
    while (arrivals[e].length < SUBSCRIBERS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 2));
    if (arrivals[e].length !== SUBSCRIBERS) allReceived = false;
    latencies.push(...arrivals[e].map((at) => at - sent));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const duplicates = arrivals.some((a) => a.length > SUBSCRIBERS);
  subscribers.forEach((s) => s.close());
  return {
    subscribers: SUBSCRIBERS,
    events: FANOUT_EVENTS,
    everyoneGotEveryEventOnce: allReceived && !duplicates,
    connectAllMs: Math.round(connectMs),
    sendToEvent: summary(latencies),
  };
}

async function main(): Promise<void> {
  const schema = `bench_cluster_${Date.now().toString(36)}`;
  const url = new URL(DATABASE_URL);
  url.searchParams.set('schema', schema);
  const instances: Instance[] = [];
  const started = performance.now();
  // interrupted: the instances stop with the bench (the schema is dropped by the next run's operator, see below)
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void Promise.all(instances.map(stopInstance)).then(() => process.exit(130)));
  try {
    // started together on a new database: they migrate one at a time
    instances.push(...(await Promise.all([0, 1, 2].map(() => startInstance(url.toString())))));
    const startMs = Math.round(performance.now() - started);
    const province = await launchedUnit(instances[0].url, null, '省委');
    const contested = await launchedUnit(instances[1].url, province, '甲县委');
    const watched = await launchedUnit(instances[2].url, province, '乙县委');
    const crowd = await launchedUnit(instances[0].url, province, '丙县委');
    console.error(`3 instances serving after ${startMs} ms; conflicting commands…`);
    const conflicting = await conflicts(instances, contested);
    console.error('unitChanged across instances…');
    const across = await crossInstanceLatency(instances, watched);
    console.error(`${SUBSCRIBERS} subscribers…`);
    const report = {
      instances: 3,
      startAllTogetherMs: startMs,
      conflictingCommands: conflicting,
      unitChangedAcrossInstances: across,
      fanOut: await fanOut(instances, crowd),
    };
    const latency = report.unitChangedAcrossInstances;
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `exactly one winner in ${report.conflictingCommands.roundsWithExactlyOneWinner}/${ROUNDS} rounds; ` +
        `update on another instance p50 ${latency.sendToEventOnAnotherInstance.p50Ms} ms, p99 ${latency.sendToEventOnAnotherInstance.p99Ms} ms (target ≤ 100), ` +
        `${round(latency.sendToEventOnAnotherInstance.p50Ms / latency.reference_commandRoundTrip.p50Ms)}× the command's own round trip at p50; ` +
        `${SUBSCRIBERS} subscribers: p50 ${report.fanOut.sendToEvent.p50Ms} ms, p99 ${report.fanOut.sendToEvent.p99Ms} ms, all received once: ${report.fanOut.everyoneGotEveryEventOnce}`,
    );
  } finally {
    await Promise.all(instances.map(stopInstance));
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
