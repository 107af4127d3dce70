import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Blocker } from '../common/results/error-results.js';
import { Connection } from '../common/pagination.js';
import type { EventRow } from './event-store.repository.js';

@ObjectType('UnitEvent', { description: "One accepted command in a unit's append-only history." })
export class UnitEventModel {
  @Field(() => Int)
  seq: number;
  @Field()
  type: string;
  @Field({
    description:
      "The command's full input as JSON text (dates as ISO strings), plus ids the server added; a unit outside your scope is shown as null.",
  })
  payload: string;
  @Field()
  actor: string;
  @Field()
  role: string;
  @Field(() => String, { nullable: true })
  reason: string | null;
  @Field(() => GraphQLISODateTime, { description: 'Server time of acceptance: the time the gates saw.' })
  at: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the evidence happened.' })
  occurredAt: Date | null;
  @Field(() => GraphQLISODateTime)
  recordedAt: Date;
  @Field(() => Int)
  rulebookVersion: number;
  @Field({ description: 'An admin override: flagged forever.' })
  override: boolean;
  @Field()
  prevHash: string;
  @Field()
  hash: string;
}

/** Payload fields that name a unit: a reader sees them only for units in its scope (null otherwise). */
export const UNIT_ID_FIELDS = ['unitId', 'targetUnitId', 'collectedByUnitId', 'audienceUnitId', 'bulkRootId'] as const;

export function unitIdsOf(payload: Record<string, unknown>): string[] {
  return UNIT_ID_FIELDS.map((field) => payload[field]).filter((value): value is string => typeof value === 'string');
}

/** The payload as a reader may see it: unit ids outside its scope shown as null (the hash covers the stored value). */
export function redacted(
  payload: Record<string, unknown>,
  visible: ReadonlySet<string> | null,
): Record<string, unknown> {
  if (visible === null) return payload;
  let copy: Record<string, unknown> | null = null;
  for (const field of UNIT_ID_FIELDS) {
    const value = payload[field];
    if (typeof value === 'string' && !visible.has(value)) (copy ??= { ...payload })[field] = null;
  }
  return copy ?? payload;
}

export function toEventModel(row: EventRow, visible: ReadonlySet<string> | null = null): UnitEventModel {
  return Object.assign(new UnitEventModel(), {
    seq: row.seq,
    type: row.type,
    payload: JSON.stringify(redacted(row.payload, visible)),
    actor: row.actor,
    role: row.role,
    reason: row.reason,
    at: new Date(row.at),
    occurredAt: row.occurredAt === null ? null : new Date(row.occurredAt),
    recordedAt: new Date(row.recordedAt),
    rulebookVersion: row.rulebookVersion,
    override: row.override,
    prevHash: row.prevHash,
    hash: row.hash,
  });
}

@ObjectType('UnitEventConnection')
export class UnitEventConnection extends Connection(UnitEventModel, 'UnitEvent') {}

@ObjectType('CommandAttempt', {
  description: 'A refused command: not part of the history. Supervisors read these to spot rushing.',
})
export class CommandAttemptModel {
  @Field()
  command: string;
  @Field()
  actor: string;
  @Field()
  role: string;
  @Field(() => GraphQLISODateTime)
  at: Date;
  @Field({ description: 'The error code it was answered with.' })
  failure: string;
  @Field()
  message: string;
  @Field(() => String, { nullable: true, description: 'The input field at fault, when there was one.' })
  field: string | null;
  @Field(() => [Blocker])
  blockers: Blocker[];
  @Field({
    description: 'A bounded summary of the refused input as JSON text (long strings cut, long lists shortened).',
  })
  payload: string;
}

@ObjectType('CommandAttemptConnection')
export class CommandAttemptConnection extends Connection(CommandAttemptModel, 'CommandAttempt') {}
