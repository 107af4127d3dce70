import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { UnitStatus } from '../history/unit-status.model.js';
import { UnitEventModel } from '../history/history.models.js';
import { TransitionOption } from '../history/transition-option.model.js';

/** One stored event (all of UnitEvent, rulebook version in force included) and what it did. */
@ObjectType('ReplayStep')
export class ReplayStepModel extends UnitEventModel {
  @Field(() => [String])
  stateBefore: string[];
  @Field(() => [String])
  stateAfter: string[];
  @Field(() => [TransitionOption], {
    description: "The stage events' gates as evaluated just before this step, at its time.",
  })
  gates: TransitionOption[];
  @Field(() => String, {
    nullable: true,
    description: 'Set when the rules refuse this stored step: the history is not legal.',
  })
  refusal: string | null;
}

@ObjectType('Replay')
export class ReplayModel {
  @Field(() => ID)
  unitId: string;
  @Field(() => GraphQLISODateTime, { nullable: true })
  until: Date | null;
  @Field(() => [ReplayStepModel], {
    description: 'A page of steps, oldest first (`first`, at most 100; the next page with `after: nextAfter`).',
  })
  steps: ReplayStepModel[];
  @Field({ description: 'More steps follow this page.' })
  hasMore: boolean;
  @Field(() => Int, {
    nullable: true,
    description: 'The seq to pass as `after` for the next page; null on the last one.',
  })
  nextAfter: number | null;
  @Field(() => UnitStatus, {
    description: 'The status reached at `until` (or now): the end of the replay, whatever the page.',
  })
  status: UnitStatus;
  @Field({ description: 'A stored step was refused by the rules in force at its time.' })
  diverged: boolean;
}

@ObjectType('Verification')
export class VerificationModel {
  @Field()
  ok: boolean;
  @Field(() => Int)
  checkedEvents: number;
  @Field(() => Int, { nullable: true })
  firstBrokenSeq: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'HASH_MISMATCH SEQ_GAP TIME_WENT_BACK REPLAY_DIVERGES SNAPSHOT_MISMATCH CHECKPOINT_MISMATCH',
  })
  problem: string | null;
  @Field(() => String, { nullable: true })
  detail: string | null;
}

@ObjectType('AuditCheckpoint')
export class AuditCheckpointModel {
  readonly __typename = 'AuditCheckpoint';
  @Field(() => Int)
  id: number;
  @Field(() => GraphQLISODateTime)
  createdAt: Date;
  @Field(() => Int)
  unitCount: number;
  @Field()
  digest: string;
  @Field()
  prevSignature: string;
  @Field()
  signature: string;
}
