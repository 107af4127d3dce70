/** The report upward (学习贯彻情况，请及时反馈): a subtree's rollup, one row per child, the laggards — printable. */
import type { ImbalanceView } from './imbalance.js';
import type { RollupModel } from './rollup.models.js';

export interface ReportUnit {
  id: string;
  name: string;
  kind: string;
  rollup: RollupModel;
  /** refused stage events in the last 7 campaign days */
  refusedThisWeek: number;
}

export interface SubtreeReport {
  generatedAt: Date;
  root: ReportUnit;
  children: (ReportUnit & { lagging: boolean })[];
  imbalance: ImbalanceView;
  laggards: { id: string; name: string; kind: string; idleSince: Date }[];
  /** laggards beyond those listed */
  moreLaggards: boolean;
  idleDays: number;
}

export const REPORT_FORMATS = ['md', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (r: RollupModel, phase: string) => r.byPhase.find((p) => p.phase === phase)?.count ?? 0;

const COLUMNS = [
  'id',
  'name',
  'kind',
  'units',
  'launched',
  'registered',
  'stage1',
  'lookBack',
  'reforging',
  'stage1Complete',
  'progressIndex',
  'completedShare',
  'openFindings',
  'reforgesBegun',
  'refusedStageEvents',
  'refusedThisWeek',
  'lagging',
];

function values(u: ReportUnit, lagging: boolean | null): (string | number)[] {
  const r = u.rollup;
  return [
    u.id,
    u.name,
    u.kind,
    r.units,
    r.launched,
    count(r, 'registered'),
    count(r, 'stage1'),
    count(r, 'lookBack'),
    count(r, 'reforging'),
    count(r, 'stage1Complete'),
    r.progressIndex.toFixed(4),
    r.completedShare.toFixed(4),
    r.openFindings,
    r.reforgesBegun,
    r.counters.refused_stage_events,
    u.refusedThisWeek,
    lagging === null ? '' : lagging ? 'yes' : 'no',
  ];
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV: the header, the root's row (lagging empty), then one row per child. */
export function reportCsv(report: SubtreeReport): string {
  const rows = [COLUMNS, values(report.root, null), ...report.children.map((c) => values(c, c.lagging))];
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

const cell = (value: string | number) => String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function reportMarkdown(report: SubtreeReport): string {
  const { root, imbalance } = report;
  const r = root.rollup;
  const names = new Map(report.children.map((c) => [c.id, c.name]));
  const lines = [
    `# ${cell(root.name)}: report of ${report.generatedAt.toISOString().slice(0, 10)}`,
    '',
    `${r.units} units, ${r.launched} launched, ${count(r, 'stage1Complete')} through stage 1 (${pct(r.completedShare)}); progress index ${r.progressIndex.toFixed(3)}.`,
    `Phases: ${r.byPhase.map((p) => `${p.phase} ${p.count}`).join(', ')}.`,
    `Open findings ${r.openFindings} (in ${r.unitsWithOpenFindings} units); re-forges begun ${r.reforgesBegun}; refused stage events ${r.counters.refused_stage_events} (${root.refusedThisWeek} in the last 7 days).`,
    '',
    report.children.length < 2
      ? 'Progress among children: fewer than two children.'
      : `Progress among children: spread ${imbalance.spread.toFixed(3)}${imbalance.uneven ? ' — **uneven** (进展不平衡)' : ''}; lagging: ${imbalance.laggingChildren.length ? imbalance.laggingChildren.map((id) => cell(names.get(id) ?? id)).join(', ') : 'none'}.`,
    '',
    '| unit | kind | units | launched | stage1 | lookBack | reforging | complete | progress | open findings | refused (7 d) | lagging |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    ...report.children.map((c) => {
      const x = c.rollup;
      return `| ${cell(c.name)} | ${c.kind} | ${x.units} | ${x.launched} | ${count(x, 'stage1')} | ${count(x, 'lookBack')} | ${count(x, 'reforging')} | ${pct(x.completedShare)} | ${x.progressIndex.toFixed(3)} | ${x.openFindings} | ${c.refusedThisWeek} | ${c.lagging ? '**yes**' : ''} |`;
    }),
    '',
    `## Laggards (idle ${report.idleDays} days or more, oldest first)`,
    '',
    ...(report.laggards.length === 0
      ? ['None.']
      : report.laggards.map(
          (l) => `- ${cell(l.name)} (${l.kind}), idle since ${l.idleSince.toISOString().slice(0, 10)}`,
        )),
    ...(report.moreLaggards ? ['- … and more (`laggards` pages through all of them)'] : []),
  ];
  return lines.join('\n') + '\n';
}

export function renderReport(report: SubtreeReport, format: ReportFormat): string {
  return format === 'csv' ? reportCsv(report) : reportMarkdown(report);
}
