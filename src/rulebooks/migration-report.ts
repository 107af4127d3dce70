/** The migration report: tallied from the unit results, and printable (CSV and Markdown) for the office. */
import type { UnitMigrationResult } from '../commands/unit-migration.js';

export interface MigrationReportData {
  rootId: string;
  toVersion: number;
  dryRun: boolean;
  units: number;
  migrated: number;
  alreadyOnVersion: number;
  stage1Complete: number;
  unitsWithGaps: number;
  totals: Array<{ code: string; units: number }>;
  rows: UnitMigrationResult[];
}

/** Totals per gap code count the units that move (or would): a completed unit is reported, not enforced. */
export function tally(
  rootId: string,
  toVersion: number,
  dryRun: boolean,
  rows: UnitMigrationResult[],
): MigrationReportData {
  const moving = rows.filter((r) => r.outcome === 'MIGRATED' || r.outcome === 'WOULD_MIGRATE');
  const totals = new Map<string, number>();
  for (const row of moving)
    for (const code of new Set(row.gaps.map((g) => g.code))) totals.set(code, (totals.get(code) ?? 0) + 1);
  return {
    rootId,
    toVersion,
    dryRun,
    units: rows.length,
    migrated: moving.length,
    alreadyOnVersion: rows.filter((r) => r.outcome === 'ALREADY_ON_VERSION').length,
    stage1Complete: rows.filter((r) => r.outcome === 'STAGE1_COMPLETE').length,
    unitsWithGaps: moving.filter((r) => r.gaps.length > 0).length,
    totals: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([code, units]) => ({ code, units })),
    rows,
  };
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) || /^[=+\-@\t]/.test(text)
    ? `"${(/^[=+\-@\t]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`
    : text;
};

/** One line per gap (a unit without gaps: one line with an empty code), then nothing else: a sheet to sort and filter. */
export function reportCsv(report: MigrationReportData): string {
  const lines = [
    [
      'unitId',
      'name',
      'kind',
      'phase',
      'fromVersion',
      'toVersion',
      'outcome',
      'code',
      'region',
      'required',
      'actual',
    ].join(','),
  ];
  for (const row of report.rows) {
    const head = [row.unitId, row.name, row.kind, row.phase, row.fromVersion, report.toVersion, row.outcome];
    const gaps = row.gaps.length ? row.gaps : [null];
    for (const gap of gaps)
      lines.push(
        [...head, gap?.code ?? '', gap?.region ?? '', gap?.required ?? '', gap?.actual ?? ''].map(csvCell).join(','),
      );
  }
  return `${lines.join('\n')}\n`;
}

const md = (text: string | number) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(report: MigrationReportData): string {
  const out = [
    `# Migration to rulebook v${report.toVersion}${report.dryRun ? ' (dry run)' : ''}`,
    '',
    `Subtree of ${md(report.rootId)}: ${report.units} units; ${report.migrated} ${report.dryRun ? 'would be migrated' : 'migrated'}, ${report.alreadyOnVersion} already on v${report.toVersion}, ${report.stage1Complete} with stage 1 complete (reported, not migrated); ${report.unitsWithGaps} with gaps.`,
    '',
    '## Gaps per code',
    '',
    '| code | units |',
    '|---|---|',
    ...report.totals.map((t) => `| ${t.code} | ${t.units} |`),
    '',
    '## Units',
    '',
    '| unit | kind | phase | outcome | gaps (required / actual) |',
    '|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${md(r.name)} (${md(r.unitId)}) | ${r.kind} | ${r.phase} | ${r.outcome} | ${r.gaps.map((g) => `${g.code} (${md(g.required)} / ${md(g.actual)})`).join('; ') || '—'} |`,
    ),
  ];
  return `${out.join('\n')}\n`;
}
