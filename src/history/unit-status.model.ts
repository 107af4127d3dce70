import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('UnitStatus')
export class UnitStatus {
  @Field(() => ID)
  unitId: string;
  @Field({ description: 'Top-level state: registered | stage1 | lookBack | reforging | stage1Complete.' })
  phase: string;
  @Field(() => [String], { description: 'Leaf paths, e.g. "stage1.study.met", "reforging.listening.active".' })
  activeStates: string[];
  @Field(() => Int, {
    description: "Number of events in the unit's history: the expectedVersion for the next command.",
  })
  version: number;
  @Field(() => Int)
  rulebookVersion: number;
}
