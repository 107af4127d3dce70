/** The subtree's report upward, as CSV (for a spreadsheet) or Markdown (for a written report). */
import { term, translate, type Lang } from './i18n';
import type { Rollup } from './queries';

export interface ChildRow {
  id: string;
  name: string;
  kind: string;
  phase: string;
  progressIndex: number;
  completedShare: number;
  units: number;
  openFindings: number;
  refused: number;
  lagging: boolean;
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

function headers(lang: Lang): string[] {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  return [t('name'), t('kind'), t('phase'), t('progressIndex'), t('completedShare'), t('unitsInSubtree'), t('openFindings'), t('refusedThisWeek'), t('lagging')];
}

function cells(lang: Lang, r: ChildRow): string[] {
  return [r.name, term(lang, r.kind), term(lang, r.phase), pct(r.progressIndex), pct(r.completedShare), String(r.units), String(r.openFindings), String(r.refused), r.lagging ? '✗' : ''];
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function csvReport(lang: Lang, unitName: string, rollup: Rollup, rows: ChildRow[]): string {
  const summary = [
    [translate(lang, 'rollup'), unitName],
    [translate(lang, 'progressIndex'), pct(rollup.progressIndex)],
    [translate(lang, 'completedShare'), pct(rollup.completedShare)],
    [translate(lang, 'uneven'), rollup.imbalance.uneven ? `✗ ${translate(lang, 'spread')} ${pct(rollup.imbalance.spread)}` : ''],
  ];
  const lines = [...summary, [], headers(lang), ...rows.map((r) => cells(lang, r))].map((row) => row.map(csvCell).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function markdownReport(lang: Lang, unitName: string, rollup: Rollup, rows: ChildRow[]): string {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const md = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `# ${t('rollup')}: ${unitName}`,
    '',
    `- ${t('progressIndex')}: ${pct(rollup.progressIndex)}`,
    `- ${t('completedShare')}: ${pct(rollup.completedShare)} (${rollup.units} ${t('unitsInSubtree')}, ${t('launched')} ${rollup.launched})`,
    `- ${t('openFindings')}: ${rollup.openFindings}; ${t('refusedThisWeek')}: ${rollup.refusedStageEvents}; ${t('reforgesBegun')}: ${rollup.reforgesBegun}`,
    ...(rollup.imbalance.uneven ? [`- **${t('uneven')}** (${t('spread')} ${pct(rollup.imbalance.spread)})`] : []),
    '',
    `| ${headers(lang).join(' | ')} |`,
    `|${headers(lang).map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cells(lang, r).map(md).join(' | ')} |`),
    '',
  ].join('\n');
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
