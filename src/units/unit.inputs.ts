import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '../common/pagination.js';
import { UnitKindEnum, type UnitKind } from './unit.model.js';

@InputType()
export class CreateUnitInput {
  @Field({ description: '1–200 characters.' })
  name: string;
  @Field(() => UnitKindEnum)
  kind: UnitKind;
  @Field(() => ID, { nullable: true, description: 'Omit for a root unit (a province).' })
  parentId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Leading cadres (LEADERSHIP_BODY); default 0.' })
  leaderCount?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Retrying with the same key and input returns the first result and creates nothing.',
  })
  idempotencyKey?: string | null;
}

@ArgsType()
export class UnitsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the direct children of this unit.' })
  parentId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only units in the subtree under this unit (itself excluded).' })
  underId?: string | null;
  @Field(() => UnitKindEnum, { nullable: true })
  kind?: UnitKind | null;
  @Field(() => String, {
    nullable: true,
    description: 'Top-level state: registered, stage1, lookBack, reforging, stage1Complete.',
  })
  phase?: string | null;
}
