import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { Blocker } from '../common/results/error-results.js';

@ObjectType('TransitionOption')
export class TransitionOption {
  @Field({
    description: 'LAUNCH COMPLETE_STUDY COMPLETE_LISTENING COMPLETE_CORRECTING REQUEST_LOOKBACK CONCLUDE_LOOKBACK',
  })
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
