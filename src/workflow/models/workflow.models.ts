import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Blocker } from '../../common/results/error-results.js';
import { Connection } from '../../common/pagination.js';
import type { EventRow } from '../event-store.repository.js';

@ObjectType('TransitionOption')
export class TransitionOption {
  @Field({ description: 'LAUNCH COMPLETE_STUDY COMPLETE_LISTENING COMPLETE_CORRECTING REQUEST_LOOKBACK CONCLUDE_LOOKBACK' })
  event: string;
  @Field()
  allowed: boolean;
  @Field(() => [Blocker], { description: 'Empty when allowed; otherwise every unmet condition.' })
  blockers: Blocker[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set only when time alone stands in the way.' })
  earliestAt: Date | null;
}

@ObjectType('GateProgress', { description: 'One condition of a gate, e.g. "concentrated study days" 3 / 5.' })
export class GateProgress {
  @Field()
  region: string;
  @Field()
  code: string;
  @Field()
  label: string;
  @Field()
  required: string;
  @Field()
  actual: string;
  @Field()
  met: boolean;
}

@ObjectType('UnitEvent', { description: 'One accepted command in a unit\'s append-only history.' })
export class UnitEventModel {
  @Field(() => Int)
  seq: number;
  @Field()
  type: string;
  @Field({ description: 'The command\'s full input as JSON text (dates as ISO strings), plus ids the server added.' })
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

export function toEventModel(row: EventRow): UnitEventModel {
  return Object.assign(new UnitEventModel(), {
    seq: row.seq,
    type: row.type,
    payload: JSON.stringify(row.payload),
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

@ObjectType('CommandAttempt', { description: 'A refused command: not part of the history. Supervisors read these to spot rushing.' })
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
  @Field(() => [Blocker])
  blockers: Blocker[];
  @Field({ description: 'The refused input as JSON text.' })
  payload: string;
}

@ObjectType('CommandAttemptConnection')
export class CommandAttemptConnection extends Connection(CommandAttemptModel, 'CommandAttempt') {}
