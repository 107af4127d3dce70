import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLExceptionFilter } from './graphql/graphql-exception.filter.js';
import { PolicyGuard } from './graphql/policy.guard.js';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig } from './config/app-config.js';
import { APP_CONFIG } from './config/config.tokens.js';
import type { Clock } from './clock/clock.js';
import { ClockModule } from './clock/clock.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { Readiness } from './health/readiness.js';
import { Draining } from './health/draining.js';
import { UnitsModule } from './units/units.module.js';
import { AuditModule } from './audit/audit.module.js';
import { StageEventsModule } from './stage-events/stage-events.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { SupervisionModule } from './supervision/supervision.module.js';
import { OversightModule } from './oversight/oversight.module.js';
import { LiveModule } from './live/live.module.js';
import { RulebooksModule } from './rulebooks/rulebooks.module.js';
import { graphqlOptions } from './graphql/graphql-options.js';

export interface AppOverrides {
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule,
        ClockModule.forRoot({ timeTravel: config.timeTravel, clock: overrides.clock }),
        TerminusModule,
        GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, ...graphqlOptions(config) }),
        UnitsModule,
        StageEventsModule,
        EvidenceModule,
        SupervisionModule,
        AuditModule,
        OversightModule,
        LiveModule,
        RulebooksModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: PolicyGuard },
        { provide: APP_FILTER, useClass: GraphQLExceptionFilter },
        Readiness,
        Draining,
      ],
      exports: [APP_CONFIG, Readiness, Draining],
    };
  }
}
