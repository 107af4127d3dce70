import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Db } from '../database/db.js';
import { Readiness } from './readiness.js';

/**
 * `/health/live`: the process answers (a balancer restarts it otherwise). `/health/ready`: it may take traffic —
 * the database answers, every migration this code knows has run, and every registered check passes (e.g. the
 * LISTEN connection of live updates). `/health` is `/health/ready`.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(Db) private readonly db: Db,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get()
  @HealthCheck()
  check() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.db.query('SELECT 1 AS ok');
            return { dialect: this.db.dialect };
          })
          .withTimeout(3000),
      () =>
        this.indicators
          .check('migrations')
          .attempt(async () => {
            if (await this.dataSource.showMigrations()) throw new Error('migrations are pending');
            return { applied: this.dataSource.migrations.length };
          })
          .withTimeout(3000),
      ...this.readiness.checks.map(
        (c) => () =>
          this.indicators
            .check(c.name)
            .attempt(() => c.check())
            .withTimeout(3000),
      ),
    ]);
  }
}
