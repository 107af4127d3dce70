import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType()
export class MigrateUnitsInput {
  @Field(() => ID, { description: 'Every unit of this subtree (itself included) is migrated.' })
  rootId: string;
  @Field(() => Int, { description: 'The rulebook version to move to (newer than the units are on).' })
  toVersion: number;
  @Field({ description: 'Report what the migration would do and write nothing.' })
  dryRun: boolean;
  @Field(() => String, {
    nullable: true,
    description: "Kept as each migration event's reason (at most 2,000 characters).",
  })
  reason?: string | null;
}

@ObjectType({
  description: "A gate of the new rulebook that the unit's own evidence fails (blocker codes as in TransitionOption).",
})
export class MigrationGapModel {
  @Field()
  code: string;
  @Field({ description: 'study, listening, correcting, or stage' })
  region: string;
  @Field()
  required: string;
  @Field()
  actual: string;
  @Field()
  message: string;
}

@ObjectType()
export class UnitMigrationModel {
  @Field(() => ID)
  unitId: string;
  @Field()
  name: string;
  @Field()
  kind: string;
  @Field()
  phase: string;
  @Field(() => Int)
  fromVersion: number;
  @Field({
    description: 'MIGRATED, WOULD_MIGRATE (dry run), ALREADY_ON_VERSION, or STAGE1_COMPLETE (reported, not migrated).',
  })
  outcome: string;
  @Field(() => [MigrationGapModel])
  gaps: MigrationGapModel[];
}

@ObjectType()
export class GapTotal {
  @Field()
  code: string;
  @Field(() => Int, { description: 'Units of the subtree with this gap.' })
  units: number;
}

@ObjectType({
  description:
    'Unit by unit, what each lacks under the new rulebook; a dry run reports exactly what the real run does.',
})
export class MigrationReport {
  @Field(() => ID)
  rootId: string;
  @Field(() => Int)
  toVersion: number;
  @Field()
  dryRun: boolean;
  @Field(() => Int)
  units: number;
  @Field(() => Int, { description: 'Moved to the new version (or, in a dry run, that would be).' })
  migrated: number;
  @Field(() => Int)
  alreadyOnVersion: number;
  @Field(() => Int)
  stage1Complete: number;
  @Field(() => Int)
  unitsWithGaps: number;
  @Field(() => [GapTotal], { description: 'Per gap code, the units that have it (migrated or would be).' })
  totals: GapTotal[];
  @Field(() => [UnitMigrationModel])
  rows: UnitMigrationModel[];
}
