import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UNIT_KINDS } from '../../machines/index.js';
import { Connection } from '../common/pagination.js';
import { UnitStatus } from '../history/unit-status.model.js';

export type UnitKind = (typeof UNIT_KINDS)[number];
export const UnitKindEnum = Object.fromEntries(UNIT_KINDS.map((k) => [k, k])) as { [K in UnitKind]: K };
registerEnumType(UnitKindEnum, {
  name: 'UnitKind',
  description: "Decides a unit's obligations (what it must study, hear and correct).",
});

/** A unit as the API shows it. Separate from the entity so that the tables and the API can change apart. */
@ObjectType('Unit')
export class UnitModel {
  @Field(() => ID)
  id: string;
  @Field()
  name: string;
  @Field(() => UnitKindEnum)
  kind: UnitKind;
  @Field(() => Int, { description: 'Leading cadres: each must give a party lecture (LEADERSHIP_BODY).' })
  leaderCount: number;
  @Field(() => Int, { description: '0 for a root (province), at most 5.' })
  depth: number;
  @Field(() => GraphQLISODateTime)
  createdAt: Date;
  @Field(() => UnitStatus, { description: 'Where the unit stands: read with the unit itself.' })
  status: UnitStatus;

  parentId: string | null;
  /** Top-level state as of the read (internal: clients read `status`). */
  phase: string;
  /** Ancestor ids at fixed depths, itself included (internal: scope checks). */
  ancestors: (string | null)[];
}

@ObjectType('UnitConnection')
export class UnitConnection extends Connection(UnitModel, 'Unit') {}
