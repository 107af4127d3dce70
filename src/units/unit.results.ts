import { Field, ObjectType } from '@nestjs/graphql';
import { COMMAND_FAILURES } from '../common/results/error-results.js';
import { resultUnion } from '../common/results/result-union.js';
import { UnitModel } from './unit.model.js';

@ObjectType()
export class UnitCreated {
  readonly __typename = 'UnitCreated';
  @Field(() => UnitModel)
  unit: UnitModel;
}

export const CreateUnitResult = resultUnion('CreateUnitResult', () => [UnitCreated, ...COMMAND_FAILURES] as const);
