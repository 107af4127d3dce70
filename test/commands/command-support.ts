import type { Principal } from '../../src/auth/principal.js';
import type { StoryClient } from '../support/campaign-client.js';
import type { TestApp } from '../support/test-app.js';

/** A unit id of this service (UUIDv7) or any other UUID: what a FORBIDDEN message must never contain. */
export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface ErrorsOf {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * The answer is FORBIDDEN and nothing else, and no FORBIDDEN message names a unit: a scoped caller learns nothing
 * about what lies outside its scope. Takes a CampaignClient answer (`{ __typename: 'GraphQLError', errors }`) or
 * a raw GraphQL response. Returns the messages, for tests that compare them.
 */
export function expectForbidden(answer: ErrorsOf & { __typename?: string }): string[] {
  const errors = answer.errors ?? [];
  const seen = errors.map((e) => ({ code: e.extensions?.code, namesAUnit: UUID.test(e.message) }));
  if (errors.length === 0 || seen.some((e) => e.code !== 'FORBIDDEN' || e.namesAUnit)) {
    throw new Error(`expected FORBIDDEN naming no unit, got ${JSON.stringify(answer)}`);
  }
  return errors.map((e) => e.message);
}

/** verifyHistory of one unit, read by an auditor of the whole tree. */
export async function verifyHistory(
  sut: TestApp,
  unitId: string,
): Promise<{ ok: boolean; problem: string | null; checkedEvents: number }> {
  const auditor: Principal = { sub: 'auditor-verifier', role: 'AUDITOR', scopeUnitId: null };
  const res = await sut.gql(
    'query($id: ID!) { verifyHistory(unitId: $id) { ok problem checkedEvents } }',
    { id: unitId },
    auditor,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.verifyHistory;
}

/** Character counts (SQL length()) of the attempts rows of a unit, oldest first. */
export async function attemptLengths(sut: TestApp, unitId: string): Promise<{ payload: number; detail: number }[]> {
  const rows = await sut.db.query<{ payload: number | string; detail: number | string }>(
    'SELECT length(payload) AS payload, length(detail) AS detail FROM command_attempts WHERE unit_id = ? ORDER BY id',
    [unitId],
  );
  return rows.map((r) => ({ payload: Number(r.payload), detail: Number(r.detail) }));
}

/** Bytes (UTF-8) the attempts table keeps in its two free-form columns, over every unit. */
export async function attemptBytes(sut: TestApp): Promise<number> {
  // SQLite's length() of a BLOB counts bytes; PostgreSQL has octet_length()
  const of = (column: string) =>
    sut.db.dialect === 'postgres' ? `octet_length(${column})` : `length(CAST(${column} AS BLOB))`;
  const [row] = await sut.db.query<{ total: number | string | null }>(
    `SELECT sum(${of('payload')} + ${of('detail')}) AS total FROM command_attempts`,
  );
  return Number(row.total ?? 0);
}

/** The answer of sendEventToSubtree (its union is narrower than a unit command's). */
export async function sendToSubtree(c: StoryClient, input: Record<string, unknown>): Promise<any> {
  const res = await c.app.gql(
    `mutation($input: SendEventToSubtreeInput!) { sendEventToSubtree(input: $input) {
      __typename
      ... on BulkEventSummary { event total accepted blocked failed blockedByCode { code count } failedByCode { code count } }
      ... on ErrorResult { errorCode message }
      ... on InvalidInput { field }
    } }`,
    { input },
    c.as,
  );
  return res.errors ? { __typename: 'GraphQLError', errors: res.errors } : res.data!.sendEventToSubtree;
}

/** The payloads of a unit's history as the principal of `c` reads them, parsed. */
export async function historyPayloads(
  c: StoryClient,
  unitId: string,
): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  return (await c.historyNodes(unitId)).map((e) => ({ type: e.type, payload: JSON.parse(e.payload) }));
}
