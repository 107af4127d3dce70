import 'reflect-metadata';
import { Access } from '../commands/access.js';
import { SystemClock } from '../clock/clock.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { openDatabase } from '../database/database.module.js';
import { Db } from '../database/db.js';
import { ActivityRepository } from '../oversight/activity.repository.js';
import { OversightService } from '../oversight/oversight.service.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../oversight/report.js';
import { RollupsRepository } from '../oversight/rollups.repository.js';
import { UnitsRepository } from '../tree/units.repository.js';
import { CliArgumentError, parseArgs } from './cli-args.js';

const USAGE = `usage:
  npm run --silent report -- --root UNIT_ID [--format md|csv]     the subtree's report upward (default md), on stdout`;

export interface ReportIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: ReportIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** The report command line: returns the exit code (0 printed, 2 usage, configuration or unknown unit). */
export async function runReport(argv: string[], env: NodeJS.ProcessEnv, io: ReportIo = processIo): Promise<number> {
  let close: (() => Promise<void>) | null = null;
  try {
    const { positional, options } = parseArgs(argv, { root: 'value', format: 'value' });
    if (positional.length > 0) throw new CliArgumentError(`unexpected argument ${positional[0]}`);
    if (typeof options.root !== 'string') throw new CliArgumentError('--root UNIT_ID is required');
    const format = (options.format ?? 'md') as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new CliArgumentError('--format must be md or csv');
    const config = loadConfig(env);
    const dataSource = await openDatabase(config.database);
    const db = new Db(dataSource);
    close = async () => {
      await db.close();
      await dataSource.destroy();
    };
    const units = new UnitsRepository(db);
    const service = new OversightService(
      new RollupsRepository(db),
      new ActivityRepository(db),
      units,
      new Access(units),
      new SystemClock(),
    );
    const root = await units.findById(options.root);
    if (!root) {
      io.err(`report: --root ${options.root}: no such unit\n`);
      return 2;
    }
    io.out(renderReport(await service.report(root), format));
    return 0;
  } catch (error) {
    if (error instanceof CliArgumentError) {
      io.err(`report: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    io.err(`report: ${error instanceof ConfigError ? 'configuration error: ' : ''}${(error as Error).message}\n`);
    return 2;
  } finally {
    await close?.();
  }
}
