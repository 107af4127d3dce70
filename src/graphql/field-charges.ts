import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination.js';

/**
 * What a field is charged, in the one place the document limits (LOOKBACK_MAX_COST) and the rate limit per principal
 * (LOOKBACK_RATE_LIMIT) read it from.
 *
 * Every field costs its weight (1 unless listed below) plus its selection's cost, times the items of a page when it
 * returns one (a `…Connection`, or a field given a `page` below): `first` when it is a literal, the default page when
 * it is absent, the largest page when it is a variable.
 *
 * Fields whose work grows with something the document does not show — a unit's history, a subtree, the whole tree —
 * are charged as if that were large. The budget: LOOKBACK_MAX_COST defaults to 50,000, so a document holds at most
 * four of them (4 × 10,001 = 40,004 with a one-field selection each; a fifth makes 50,005), next to ordinary reads.
 * A deployment that lowers LOOKBACK_MAX_COST below 10,001 refuses them altogether.
 */
export const HISTORY_PROPORTIONAL = 10_000;
export const SUBTREE_PROPORTIONAL = 10_000;

export interface FieldCharge {
  /** charged for the field itself */
  weight: number;
  /** the field's selection is charged once per item: `default` items without `first`, at most `max` */
  page?: { default: number; max: number };
}

/** Keyed by schema coordinate (`Type.field`); a test checks that every key names a field of the schema. */
export const FIELD_CHARGES: Readonly<Record<string, FieldCharge>> = {
  // folds the history: hash chain, replay of every event, checkpoints, snapshots
  'Query.verifyHistory': { weight: HISTORY_PROPORTIONAL },
  // folds the history up to `at`
  'Query.unitAsOf': { weight: HISTORY_PROPORTIONAL },
  // folds the history up to the page, then evaluates every gate at every step of it (100 steps by default and at most)
  'Query.replay': { weight: HISTORY_PROPORTIONAL, page: { default: 100, max: 100 } },
  // one command and one transaction per unit of the subtree
  'Mutation.sendEventToSubtree': { weight: SUBTREE_PROPORTIONAL },
  // reads the rollup of every child of the unit (a township may have hundreds)
  'Rollup.imbalance': { weight: 100 },
  // the rollup of the unit and of every child, and a page of laggards
  'Query.report': { weight: 1_000 },
  'Mutation.migrateUnits': { weight: SUBTREE_PROPORTIONAL },
  // reads every unit's chain head
  'Mutation.createAuditCheckpoint': { weight: SUBTREE_PROPORTIONAL },
};

const ORDINARY: FieldCharge = { weight: 1 };
const CONNECTION: FieldCharge = { weight: 1, page: { default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE } };

export function chargeOf(parentType: string, field: string, returnType: string | undefined): FieldCharge {
  return FIELD_CHARGES[`${parentType}.${field}`] ?? (returnType?.endsWith('Connection') ? CONNECTION : ORDINARY);
}

/**
 * The rate limit counts requests: a root field costing up to this much counts as one, a costlier one as one per
 * started hundred — an ordinary read (a unit with its status, a page of 20 units with a few fields) is one request,
 * verifyHistory is 101, so LOOKBACK_RATE_LIMIT's default of 3,000 a minute allows 29 of them a minute per principal.
 */
export const COST_PER_REQUEST = 100;

export function requestsCharged(cost: number): number {
  return Math.max(1, Math.ceil(cost / COST_PER_REQUEST));
}
