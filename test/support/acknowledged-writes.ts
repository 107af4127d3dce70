import { post } from './instance-process.js';

/** A write the service answered as done: it must be in the unit's history at that seq, with that marker. */
export interface Ack {
  unitId: string;
  seq: number;
  marker: string;
}

export type OutcomeKind =
  'acknowledged' | 'unavailable' | 'storageFull' | 'connectionRefused' | 'connectionLost' | 'other';

const FILE_PLAN = `mutation($i: FileStudyPlanInput!) { fileStudyPlan(input: $i) { __typename ... on EvidenceRecorded { eventSeq } ... on ErrorResult { errorCode message } } }`;

/**
 * Writes that keep arriving (restated study plans, each with a unique topic as its marker), from `concurrency`
 * clients, to whichever instance `url()` names at the time. Every answer is classified; the acknowledged ones kept.
 */
export class WriteLoad {
  readonly acks: Ack[] = [];
  readonly counts: Record<OutcomeKind, number> = {
    acknowledged: 0,
    unavailable: 0,
    storageFull: 0,
    connectionRefused: 0,
    connectionLost: 0,
    other: 0,
  };
  /** the first few answers that fit no expected kind or lost their connection, for the failure message */
  readonly others: string[] = [];
  private sent = 0;
  private running = false;
  private clients: Promise<void>[] = [];

  constructor(
    private readonly url: () => string,
    private readonly units: readonly string[],
    private readonly prefix: string,
  ) {}

  /** One write; resolves with what became of it. */
  async one(): Promise<OutcomeKind> {
    const n = ++this.sent;
    const marker = `${this.prefix}-${n}`;
    const unitId = this.units[n % this.units.length];
    const { status, body } = await post<{ fileStudyPlan: { __typename: string; eventSeq?: number } }>(
      this.url(),
      FILE_PLAN,
      {
        i: { unitId, topics: [marker], plannedDays: 1 + (n % 5) },
      },
    );
    const kind = classify(status, body);
    this.counts[kind]++;
    if (kind === 'acknowledged') this.acks.push({ unitId, seq: body.data!.fileStudyPlan.eventSeq!, marker });
    if ((kind === 'other' || kind === 'connectionLost') && this.others.length < 5)
      this.others.push(`${status} ${JSON.stringify(body).slice(0, 300)}`);
    return kind;
  }

  start(concurrency: number): void {
    this.running = true;
    this.clients = Array.from({ length: concurrency }, async () => {
      while (this.running) {
        const kind = await this.one();
        // an instance that is gone (refused: the next one is starting) or going (503, Retry-After): back off, as a
        // client would, and leave the machine's CPU to the instance that starts
        if (kind === 'connectionRefused') await new Promise((r) => setTimeout(r, 200));
        else if (kind !== 'acknowledged' && kind !== 'other') await new Promise((r) => setTimeout(r, 50));
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  /** Resolves once `predicate` holds (checked as answers arrive; not a timing assertion). */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) {
      // an answer of no expected kind ends the wait at once, with what it was
      if (this.counts.other > 0) throw new Error(`unexpected answers: ${this.others.join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

function classify(
  status: number,
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] },
): OutcomeKind {
  if (status === 200 && body.data?.fileStudyPlan?.__typename === 'EvidenceRecorded') return 'acknowledged';
  const error = body.errors?.[0];
  const code = error?.extensions?.code;
  if (status === 0) return error?.extensions?.cause === 'ECONNREFUSED' ? 'connectionRefused' : 'connectionLost';
  if (code === 'UNAVAILABLE' && status === 503) return 'unavailable';
  if (code === 'STORAGE_FULL' && status === 503) return 'storageFull';
  return 'other';
}

const HISTORY = `query($id: ID!, $after: String) { unit(id: $id) { history(first: 100, after: $after) { edges { node { seq payload } } pageInfo { hasNextPage endCursor } } } }`;
const VERIFY = `query($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents problem firstBrokenSeq detail } }`;

/** Every stored event of the units, as `unitId:seq` → its payload text, read through an instance's API. */
export async function storedEvents(url: string, units: readonly string[]): Promise<Map<string, string>> {
  const stored = new Map<string, string>();
  for (const id of units) {
    let after: string | null = null;
    for (;;) {
      const { body }: { body: any } = await post<any>(url, HISTORY, { id, after });
      if (!body.data?.unit) throw new Error(`history of ${id}: ${JSON.stringify(body)}`);
      const page: any = body.data.unit.history;
      for (const { node } of page.edges) stored.set(`${id}:${node.seq}`, node.payload);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
  }
  return stored;
}

/** The acknowledged writes not found where their answer said they were (empty: acknowledged ⊆ stored). */
export async function missingAcks(url: string, units: readonly string[], acks: readonly Ack[]): Promise<Ack[]> {
  const stored = await storedEvents(url, units);
  return acks.filter(
    (ack) =>
      !(JSON.parse(stored.get(`${ack.unitId}:${ack.seq}`) ?? '{"topics":[]}') as { topics: string[] }).topics.includes(
        ack.marker,
      ),
  );
}

/** verifyHistory of every unit: the ones that do not verify, with their problem. */
export async function unverified(url: string, units: readonly string[]): Promise<string[]> {
  const broken: string[] = [];
  for (const id of units) {
    const { body } = await post<any>(url, VERIFY, { id });
    const v = body.data?.verifyHistory;
    if (!v?.ok) broken.push(`${id}: ${JSON.stringify(v ?? body)}`);
  }
  return broken;
}

/** Units to write to, created through an instance's API under one root. */
export async function createUnits(url: string, n: number, name: string): Promise<string[]> {
  const CREATE = `mutation($i: CreateUnitInput!) { createUnit(input: $i) { __typename ... on UnitCreated { unit { id } } ... on ErrorResult { errorCode message } } }`;
  const root = await post<any>(url, CREATE, {
    i: { name: `${name}县`, kind: 'LEADERSHIP_BODY', parentId: null, leaderCount: 0 },
  });
  const rootId = root.body.data?.createUnit?.unit?.id;
  if (!rootId) throw new Error(`createUnit: ${JSON.stringify(root.body)}`);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { body } = await post<any>(url, CREATE, {
      i: { name: `${name}村${i}`, kind: 'GRASSROOTS', parentId: rootId, leaderCount: 0 },
    });
    ids.push(body.data.createUnit.unit.id);
  }
  return ids;
}
