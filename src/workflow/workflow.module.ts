import { DynamicModule, Module } from '@nestjs/common';
import { EvidenceResolver } from '../evidence/evidence.resolver.js';
import { EvidenceService } from '../evidence/evidence.service.js';
import { SupervisionResolver } from '../supervision/supervision.resolver.js';
import { SupervisionService } from '../supervision/supervision.service.js';
import { UnitsModule } from '../units/units.module.js';
import { CommandGate } from './command-gate.js';
import { CommandRunner } from './command-runner.js';
import { EventStoreRepository } from './event-store.repository.js';
import { ReadModelsRepository } from './read-models.repository.js';
import { StageEventsService } from './stage-events.service.js';
import { TimeTravelResolver } from './time-travel.resolver.js';
import { UnitWorkflowResolver } from './unit-workflow.resolver.js';
import { UnitWorkflowService } from './unit-workflow.service.js';
import { WorkflowResolver } from './workflow.resolver.js';
import { WorkflowService } from './workflow.service.js';

@Module({})
export class WorkflowModule {
  static forRoot(options: { timeTravel: boolean }): DynamicModule {
    return {
      module: WorkflowModule,
      imports: [UnitsModule],
      providers: [
        CommandGate,
        CommandRunner,
        EventStoreRepository,
        ReadModelsRepository,
        WorkflowService,
        StageEventsService,
        UnitWorkflowService,
        EvidenceService,
        SupervisionService,
        WorkflowResolver,
        UnitWorkflowResolver,
        EvidenceResolver,
        SupervisionResolver,
        ...(options.timeTravel ? [TimeTravelResolver] : []),
      ],
      exports: [WorkflowService, EventStoreRepository],
    };
  }
}
