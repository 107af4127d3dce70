import { Module } from '@nestjs/common';
import { UnitsRepository } from './units.repository.js';
import { UnitsResolver } from './units.resolver.js';
import { UnitsService } from './units.service.js';
import { UnitCreationHooks } from './unit-creation-hooks.js';

@Module({
  providers: [UnitsRepository, UnitsService, UnitsResolver, UnitCreationHooks],
  exports: [UnitsRepository, UnitsService, UnitCreationHooks],
})
export class UnitsModule {}
