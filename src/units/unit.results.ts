import { Field, ObjectType } from '@nestjs/graphql';
import { CREATE_UNIT_FAILURES } from '../common/results/error-results.js';
import { resultUnion } from '../common/results/result-union.js';
import { UnitModel } from './unit.model.js';

@ObjectType()
export class UnitCreated {
  readonly __typename = 'UnitCreated';
  @Field(() => UnitModel)
  unit: UnitModel;
}

export const CreateUnitResult = resultUnion('CreateUnitResult', () => [UnitCreated, ...CREATE_UNIT_FAILURES] as const);
