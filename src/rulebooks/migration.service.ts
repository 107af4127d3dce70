import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../clock/clock.js';
import { Access } from '../commands/access.js';
import { readMeta } from '../commands/command-meta.js';
import { UnitMigration } from '../commands/unit-migration.js';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import { Db } from '../database/db.js';
import { UnitsRepository, type UnitRow } from '../tree/units.repository.js';
import { tally, type MigrationReportData } from './migration-report.js';
import { MigrationRows } from './migration-rows.js';
import { MigrationRepository } from './migration.repository.js';

/** Units migrated per transaction: one lock, one compare-and-set per unit, one commit per batch. */
export const MIGRATION_BATCH = 200;

export interface MigrationRequest {
  rootId: string;
  toVersion: number;
  dryRun: boolean;
  reason?: string | null;
}

/** Told after each batch (the CLI's progress bar). */
export type MigrationProgress = (done: number, total: number) => void;

/**
 * Migrating a subtree to a newer rulebook (rule 5, 查漏补缺): admins of the subtree; every unit through the command
 * path's unit migration, a batch of units per transaction; a dry run writes nothing and reports the same.
 */
@Injectable()
export class MigrationService {
  private readonly logger = new Logger('Rulebooks');

  constructor(
    @Inject(Access) private readonly access: Access,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(MigrationRepository) private readonly tree: MigrationRepository,
    @Inject(UnitMigration) private readonly migration: UnitMigration,
    @Inject(Db) private readonly db: Db,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async migrate(
    principal: Principal,
    request: MigrationRequest,
    progress?: MigrationProgress,
    unitsPerTransaction = MIGRATION_BATCH,
  ): Promise<MigrationReportData> {
    const root = await this.access.require(principal, 'migrateUnits', request.rootId);
    if (!root) throw apiError(ApiErrorCode.NOT_FOUND, `Unit ${request.rootId} does not exist.`);
    const problem = Number.isInteger(request.toVersion)
      ? await this.migration.targetProblem(request.toVersion)
      : 'toVersion must be an integer.';
    if (problem) throw apiError(ApiErrorCode.BAD_USER_INPUT, problem);
    const { meta } = readMeta({ reason: request.reason ?? undefined });
    if (meta.invalid) throw apiError(ApiErrorCode.BAD_USER_INPUT, meta.invalid.message);

    const ids = await this.tree.subtreeIdsInTreeOrder(root.id, root.depth);
    const rows = new MigrationRows();
    for (let i = 0; i < ids.length; i += unitsPerTransaction) {
      const batch = ids.slice(i, i + unitsPerTransaction);
      const now = this.clock.now().getTime();
      const done = await this.db
        .transaction(async (tx) => {
          // read in the batch's transaction, in tree order (a unit gone meanwhile is not there to migrate)
          const found = new Map((await this.units.findByIds(batch, tx)).map((u) => [u.id, u]));
          const units = batch.map((id) => found.get(id)).filter((u): u is UnitRow => u !== undefined);
          return this.migration.migrateBatch(tx, principal, units, request.toVersion, request.dryRun, meta.reason, now);
        })
        .catch((error: unknown) => {
          // the failed batch is rolled back whole; say what stands, so that the office knows a re-run finishes it
          if (request.dryRun) throw error;
          throw new Error(
            `the migration stopped after ${i} of ${ids.length} units (those are migrated; run it again to migrate the rest): ${(error as Error).message}`,
            { cause: error },
          );
        });
      rows.add(done);
      progress?.(i + batch.length, ids.length);
    }
    const report = tally(root.id, request.toVersion, request.dryRun, rows.rows());
    this.logger.log(
      `${request.dryRun ? 'dry run: ' : ''}v${request.toVersion} over ${root.id}: ${report.migrated} of ${report.units} units, ${report.unitsWithGaps} with gaps`,
    );
    return report;
  }
}
