import { RulebookStore } from '../rulebooks/rulebook-store.js';
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { SystemClock } from '../clock/clock.js';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import { openDatabase } from '../database/database.module.js';
import { Db } from '../database/db.js';
import { UnitsRepository, type UnitRow } from '../tree/units.repository.js';
import { EventStoreRepository, type EventRow } from '../history/event-store.repository.js';
import { parseArgs } from './cli-args.js';
import { verifyRollups } from './verify-rollups.js';

const USAGE = `usage:
  npm run audit -- verify [--root UNIT_ID]                        verify every unit (or a subtree); exit 1 on any break
  npm run audit -- export --unit UNIT_ID --format ndjson|csv      print a unit's history for outside tools
  npm run audit -- checkpoint                                     sign a digest over every unit's chain head
  npm run audit -- verify-rollups [--root UNIT_ID]                recount every rollup (or a subtree's) from the units; exit 1 on any difference`;

const BATCH = 200;

class UsageError extends Error {}

/** Where the CLI writes: the process, or a test's buffers. */
export interface AuditIo {
  out(text: string): void;
  err(text: string): void;
  tty: boolean;
}

const processIo: AuditIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
};

interface Tools {
  dataSource: DataSource;
  db: Db;
  units: UnitsRepository;
  audit: AuditService;
  auditRepository: AuditRepository;
}

async function open(config: AppConfig): Promise<Tools> {
  const dataSource = await openDatabase(config.database);
  const db = new Db(dataSource);
  const units = new UnitsRepository(db);
  const auditRepository = new AuditRepository(db);
  const audit = new AuditService(
    auditRepository,
    new EventStoreRepository(db),
    new SystemClock(),
    config,
    RulebookStore.over(db),
  );
  return { dataSource, db, units, audit, auditRepository };
}

async function* allUnits(units: UnitsRepository): AsyncGenerator<UnitRow> {
  let after: string | null = null;
  for (;;) {
    const page = await units.page({}, BATCH, after);
    for (const unit of page.slice(0, BATCH)) yield unit;
    if (page.length <= BATCH) return;
    after = page[BATCH - 1].id;
  }
}

function progress(io: AuditIo, done: number, total: number, events: number, startedAt: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const rate = Math.round(events / Math.max((Date.now() - startedAt) / 1000, 0.001));
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} units, ${events} events, ${rate} events/s`;
  if (io.tty) io.err(`\r${line}`);
  else if (done === total || done % (BATCH * 50) === 0) io.err(`${line}\n`);
}

async function verify(io: AuditIo, tools: Tools, rootId: string | null): Promise<number> {
  let broken = 0;
  if (await tools.auditRepository.latestCheckpoint()) {
    const checkpoints = await tools.audit.verifyCheckpoints();
    if (!checkpoints.ok) {
      broken++;
      io.out(`BROKEN checkpoint ${checkpoints.firstBrokenCheckpointId}: ${checkpoints.problem}\n`);
    }
  }
  const latest = await tools.auditRepository.latestCheckpoint();
  const latestValid = latest ? tools.audit.checkpointValid(latest) : true;
  let total: number;
  let source: AsyncGenerator<UnitRow>;
  if (rootId) {
    const root = await tools.units.findById(rootId);
    if (!root) throw new UsageError(`--root ${rootId}: no such unit`);
    total = await tools.units.countSubtree(root.id, root.depth);
    source = tools.units.subtreeInTreeOrder(root.id, root.depth);
  } else {
    total = await tools.units.count();
    source = allUnits(tools.units);
  }
  const startedAt = Date.now();
  let done = 0;
  let events = 0;
  let batch: UnitRow[] = [];
  const flush = async () => {
    const results = await tools.audit.verifyBatch(batch, latest, latestValid);
    for (const unit of batch) {
      const result = results.get(unit.id)!;
      events += result.checkedEvents;
      if (!result.ok) {
        broken++;
        if (io.tty) io.err('\n');
        io.out(
          `BROKEN ${unit.id} ${JSON.stringify(unit.name)} ${result.problem} firstBrokenSeq=${result.firstBrokenSeq ?? '-'} ${result.detail ?? ''}\n`,
        );
      }
    }
    done += batch.length;
    batch = [];
    progress(io, done, total, events, startedAt);
  };
  for await (const unit of source) {
    batch.push(unit);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0 || done === 0) await flush();
  if (io.tty) io.err('\n');
  const seconds = (Date.now() - startedAt) / 1000;
  io.out(
    `${broken === 0 ? 'OK' : 'BROKEN'}: ${done} units, ${events} events verified in ${seconds.toFixed(1)} s, ${broken} broken\n`,
  );
  return broken === 0 ? 0 : 1;
}

const CSV_COLUMNS = [
  'unitId',
  'seq',
  'type',
  'actor',
  'role',
  'reason',
  'at',
  'occurredAt',
  'recordedAt',
  'rulebookVersion',
  'override',
  'idempotencyKey',
  'prevHash',
  'hash',
  'payload',
] as const;

function csvField(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** NDJSON: times as epoch milliseconds (as hashed), so an outside script can recompute every hash from the export. */
function exportRow(event: EventRow): Record<string, unknown> {
  return { ...event };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** CSV is for people (a spreadsheet): times in ISO 8601 UTC; the NDJSON export is the one to recompute hashes from. */
function csvRow(event: EventRow): Record<string, unknown> {
  return { ...event, at: iso(event.at), occurredAt: iso(event.occurredAt), recordedAt: iso(event.recordedAt) };
}

/** Spreadsheet programs read a CSV without a byte order mark in the local code page (Chinese text becomes mojibake). */
const UTF8_BOM = '\uFEFF';

async function exportUnit(io: AuditIo, tools: Tools, unitId: string, format: string): Promise<number> {
  if (format !== 'ndjson' && format !== 'csv') throw new UsageError('--format must be ndjson or csv');
  const unit = await tools.units.findById(unitId);
  if (!unit) throw new UsageError(`--unit ${unitId}: no such unit`);
  const events = await tools.audit.events(unitId);
  if (format === 'csv') io.out(UTF8_BOM + CSV_COLUMNS.join(',') + '\n');
  else {
    // the first line: what the chain starts from (the first event's prevHash is the hash of these four fields)
    const genesis = await tools.audit.genesisOf(unit);
    io.out(JSON.stringify({ record: 'genesis', ...genesis }) + '\n');
  }
  for (const event of events) {
    if (format === 'ndjson') io.out(JSON.stringify(exportRow(event)) + '\n');
    else {
      const row = csvRow(event);
      io.out(CSV_COLUMNS.map((c) => csvField(row[c])).join(',') + '\n');
    }
  }
  return 0;
}

/** The audit command line: returns the exit code (0 ok, 1 a break was found, 2 usage or setup error). */
export async function runAudit(argv: string[], env: NodeJS.ProcessEnv, io: AuditIo = processIo): Promise<number> {
  let tools: Tools | null = null;
  try {
    const { positional, options } = parseArgs(argv, { root: 'value', unit: 'value', format: 'value' });
    const command = positional[0];
    if (!command || positional.length > 1)
      throw new UsageError(command ? `unexpected argument ${positional[1]}` : 'a command is required');
    const config = loadConfig(env);
    if (command === 'verify') {
      tools = await open(config);
      return await verify(io, tools, (options.root as string | undefined) ?? null);
    }
    if (command === 'verify-rollups') {
      tools = await open(config);
      return await verifyRollups(io, tools.db, (options.root as string | undefined) ?? null);
    }
    if (command === 'export') {
      if (!options.unit) throw new UsageError('export needs --unit UNIT_ID');
      tools = await open(config);
      return await exportUnit(io, tools, options.unit as string, (options.format as string | undefined) ?? 'ndjson');
    }
    if (command === 'checkpoint') {
      tools = await open(config);
      const checkpoint = await tools.audit.createCheckpoint();
      io.out(
        `checkpoint ${checkpoint.id}: ${checkpoint.unitCount} chain heads, digest ${checkpoint.digest}, signature ${checkpoint.signature}\n`,
      );
      return 0;
    }
    throw new UsageError(`unknown command ${command}`);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as Error).message.startsWith('unknown option') ||
      (error as Error).message.includes('needs a value')
    ) {
      io.err(`audit: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`audit: configuration error: ${error.message}\n`);
      return 2;
    }
    io.err(`audit: ${(error as Error).message}\n`);
    return 2;
  } finally {
    if (tools) {
      await tools.db.close();
      await tools.dataSource.destroy();
    }
  }
}
