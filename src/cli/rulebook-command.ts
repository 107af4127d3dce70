import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { createApp } from '../bootstrap.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { reportCsv, reportMarkdown } from '../rulebooks/migration-report.js';
import { MigrationService } from '../rulebooks/migration.service.js';
import { CliArgumentError, parseArgs } from './cli-args.js';

const USAGE = `usage: npm run rulebook -- migrate --root UNIT_ID --to VERSION [--dry-run] [--format markdown|csv] [--reason TEXT]
  Moves every unit of the subtree to the rulebook version (a RULEBOOK_MIGRATED event each) and prints, unit by
  unit, what each lacks under it; --dry-run writes nothing and prints exactly what the real run would.
  Progress goes to stderr, the report to stdout.`;

export interface RulebookIo {
  out(text: string): void;
  err(text: string): void;
  /** whether stderr is a terminal (a progress bar redraws in place there; elsewhere a line per 10 %) */
  tty: boolean;
}

const processIo: RulebookIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  tty: Boolean(process.stderr.isTTY),
};

/** The operator at the console acts as an admin of the whole tree; the events name it. */
const OPERATOR: Principal = { sub: 'cli:rulebook', role: 'ADMIN', scopeUnitId: null };

export function progressBar(io: RulebookIo, startedAt = Date.now()) {
  let lastTenth = -1;
  return (done: number, total: number) => {
    const share = total === 0 ? 1 : done / total;
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : done;
    const line = `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ${done}/${total} units ${Math.floor(share * 100)}% ${rate} units/s`;
    if (io.tty) io.err(`\r${line}${done >= total ? '\n' : ''}`);
    else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      io.err(`${line}\n`);
    }
  };
}

export async function runRulebook(argv: string[], env: NodeJS.ProcessEnv, io: RulebookIo = processIo): Promise<number> {
  let app: INestApplicationContext | null = null;
  try {
    const { positional, options } = parseArgs(argv, {
      root: 'value',
      to: 'value',
      'dry-run': 'flag',
      format: 'value',
      reason: 'value',
    });
    if (positional[0] !== 'migrate' || positional.length > 1)
      throw new CliArgumentError(positional[0] ? `unknown command ${positional.join(' ')}` : 'a command is required');
    if (typeof options.root !== 'string') throw new CliArgumentError('migrate needs --root UNIT_ID');
    const to = Number(options.to);
    if (!Number.isInteger(to) || to < 1) throw new CliArgumentError('migrate needs --to VERSION (an integer ≥ 1)');
    const format = (options.format as string | undefined) ?? 'markdown';
    if (format !== 'markdown' && format !== 'csv') throw new CliArgumentError('--format is markdown or csv');
    const config = loadConfig(env);
    app = await createApp({ ...config, logLevel: 'warn' });
    await app.init();
    const report = await app.get(MigrationService).migrate(
      OPERATOR,
      {
        rootId: options.root,
        toVersion: to,
        dryRun: options['dry-run'] === true,
        reason: (options.reason as string | undefined) ?? null,
      },
      progressBar(io),
    );
    io.out(format === 'csv' ? reportCsv(report) : reportMarkdown(report));
    return 0;
  } catch (error) {
    if (error instanceof CliArgumentError) {
      io.err(`rulebook: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`rulebook: configuration error: ${error.message}\n`);
      return 2;
    }
    io.err(`rulebook: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await app?.close();
  }
}
