import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { CountryImporter, type IndexPolicy } from '../country/country-import.js';
import { CountryLoadRepository } from '../country/country-load.repository.js';
import { ImportRowError } from '../country/import-rows.js';
import { openDatabase } from '../database/database.module.js';
import { Db } from '../database/db.js';
import { RulebookStore } from '../rulebooks/rulebook-store.js';
import { CliArgumentError, parseArgs } from './cli-args.js';

const USAGE =
  'usage: npm run import -- FILE [--format ndjson|csv] [--indexes auto|after|during]\n' +
  '  --format   defaults from the extension: .csv, else NDJSON\n' +
  '  --indexes  after: build the secondary indexes once after the load; during: fill them row by row;\n' +
  '             auto (default): after when the file holds at least as many units as the database';

const INDEX_POLICIES: readonly string[] = ['auto', 'after', 'during'] satisfies IndexPolicy[];

export interface ImportIo {
  out(text: string): void;
  err(text: string): void;
  tty: boolean;
}

const processIo: ImportIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  tty: process.stderr.isTTY === true,
};

/** The import command line: 0 loaded, 1 a bad row (nothing loaded), 2 usage or setup. */
export async function runImport(argv: string[], env: NodeJS.ProcessEnv, io: ImportIo = processIo): Promise<number> {
  let close: (() => Promise<void>) | null = null;
  try {
    const { positional, options } = parseArgs(argv, { format: 'value', indexes: 'value' });
    if (positional.length !== 1)
      throw new CliArgumentError(positional.length ? `unexpected argument ${positional[1]}` : 'a FILE is required');
    const [file] = positional;
    const format = ((options.format as string | undefined) ??
      (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson')) as 'ndjson' | 'csv';
    if (format !== 'ndjson' && format !== 'csv') throw new CliArgumentError('--format must be ndjson or csv');
    const indexes = (options.indexes as string | undefined) ?? 'auto';
    if (!INDEX_POLICIES.includes(indexes)) throw new CliArgumentError('--indexes must be auto, after or during');
    if (!existsSync(file)) throw new CliArgumentError(`${file}: no such file`);
    const config = loadConfig(env);
    const dataSource = await openDatabase(config.database);
    const db = new Db(dataSource);
    close = async () => {
      await db.close();
      await dataSource.destroy();
    };
    const startedAt = Date.now();
    let shown = 0;
    const rulebooks = RulebookStore.over(db);
    const current = await rulebooks.rulebook(await rulebooks.currentVersion());
    const importer = new CountryImporter(
      new CountryLoadRepository(db),
      () => Date.now(),
      { indexes: indexes as IndexPolicy },
      current,
    );
    const result = await importer.importFile(file, format, ({ lines, units }) => {
      const rate = Math.round(units / Math.max((Date.now() - startedAt) / 1000, 0.001));
      if (io.tty) io.err(`\rline ${lines}: ${units} units loaded, ${rate} units/s`);
      else if (units - shown >= 100_000) {
        shown = units;
        io.err(`line ${lines}: ${units} units loaded, ${rate} units/s\n`);
      }
    });
    if (io.tty) io.err('\n');
    io.out(
      `imported ${result.units} units from ${result.lines} lines in ${result.seconds.toFixed(1)} s (${Math.round(result.units / Math.max(result.seconds, 0.001))} units/s), rollups built` +
        (result.indexesAfterLoad ? `, indexes built after the load in ${result.indexSeconds.toFixed(1)} s\n` : '\n'),
    );
    return 0;
  } catch (error) {
    if (io.tty) io.err('\n');
    if (error instanceof ImportRowError) {
      io.err(`import: ${error.message}\nnothing was imported: fix the line and run the import again\n`);
      return 1;
    }
    if (error instanceof CliArgumentError) {
      io.err(`import: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    io.err(`import: ${error instanceof ConfigError ? 'configuration error: ' : ''}${(error as Error).message}\n`);
    return 2;
  } finally {
    await close?.();
  }
}
