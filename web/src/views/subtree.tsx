import { useState } from 'preact/hooks';
import { href, useApp } from '../app-context';
import { percent } from '../format';
import { useQuery } from '../hooks';
import { term, type Key } from '../i18n';
import { useLive } from '../live';
import { ROLLUP_CHANGED, RUSHING, SUBTREE, type Rollup, type UnitRef } from '../queries';
import { exportReport } from '../report';
import { Bar, LiveBadge, Problem } from './bits';

type ChildRollup = Pick<
  Rollup,
  'unitId' | 'units' | 'progressIndex' | 'completedShare' | 'openFindings' | 'refusedStageEvents'
>;
interface SubtreeData {
  unit: {
    id: string;
    name: string;
    kind: string;
    parent: { id: string; name: string } | null;
    status: { phase: string };
    rollup: Rollup;
    children: { edges: { node: UnitRef & { status: { phase: string }; rollup: ChildRollup } }[] };
  } | null;
  laggards: { edges: { node: UnitRef & { status: { phase: string } } }[] };
}
interface RushingData {
  rushing: { edges: { node: UnitRef & { status: { phase: string } } }[] };
}

interface ChildRow {
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

type SortKey = 'name' | 'kind' | 'phase' | 'progressIndex' | 'openFindings' | 'refused';
const COLUMNS: [SortKey, Key][] = [
  ['name', 'name'],
  ['kind', 'kind'],
  ['phase', 'phase'],
  ['progressIndex', 'progress'],
  ['openFindings', 'openFindings'],
  ['refused', 'refusedThisWeek'],
];

/** A subtree at a glance (the office, supervisors): its rollup, its children sortable, the uneven, lagging and rushing. */
export function SubtreeView({ id }: { id: string }) {
  const { t, lang } = useApp();
  const loaded = useQuery<SubtreeData>(SUBTREE, { id }, `subtree:${id}`);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'progressIndex', dir: 1 });
  const [problem, setProblem] = useState<string | null>(null);
  const rushing = useQuery<RushingData>(RUSHING, { id }, `rushing:${id}`);
  const live = useLive(ROLLUP_CHANGED, { id }, `subtree:${id}`, () => {
    loaded.reload();
    rushing.reload();
  });
  if (!loaded.data) return loaded.error ? <Problem message={loaded.error} /> : <p role="status">{t('loading')}</p>;
  const { unit, laggards } = loaded.data;
  if (!unit) return <Problem message={id} />;
  const { rollup } = unit;
  const lagging = new Set(rollup.imbalance.laggingChildren);
  const rows: ChildRow[] = unit.children.edges.map(({ node }) => ({
    id: node.id,
    name: node.name,
    kind: node.kind,
    phase: node.status.phase,
    progressIndex: node.rollup.progressIndex,
    completedShare: node.rollup.completedShare,
    units: node.rollup.units,
    openFindings: node.rollup.openFindings,
    refused: node.rollup.refusedStageEvents,
    lagging: lagging.has(node.id),
  }));
  const value = (r: ChildRow) => (sort.key === 'kind' || sort.key === 'phase' ? term(lang, r[sort.key]) : r[sort.key]);
  rows.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    return (
      (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), lang)) * sort.dir
    );
  });
  const exportAs = (format: 'CSV' | 'MARKDOWN') =>
    exportReport(unit.id, unit.name, format).catch((error: Error) => setProblem(error.message));
  return (
    <>
      <nav class="crumbs" aria-label={t('parent')}>
        {unit.parent && (
          <a href={href('subtree', unit.parent.id)}>
            {t('parent')}: {unit.parent.name}
          </a>
        )}
        <a href={href('unit', unit.id)}>{t('unitPage')}</a>
      </nav>
      <h1>
        {unit.name} <span class="muted">{term(lang, unit.kind)}</span> <LiveBadge live={live} />
      </h1>
      <section class="card" aria-labelledby="rollup-title">
        <h2 id="rollup-title">{t('rollup')}</h2>
        {rollup.imbalance.uneven && (
          <p class="uneven" role="note">
            ⚠ {t('uneven')} ({t('spread')} {percent(rollup.imbalance.spread)})
          </p>
        )}
        <dl class="figures">
          <div>
            <dt>{t('progressIndex')}</dt>
            <dd>
              <Bar value={rollup.progressIndex} label={t('progressIndex')} />
            </dd>
          </div>
          <div>
            <dt>{t('completedShare')}</dt>
            <dd>{percent(rollup.completedShare)}</dd>
          </div>
          <div>
            <dt>{t('unitsInSubtree')}</dt>
            <dd>
              {rollup.units} ({t('launched')} {rollup.launched})
            </dd>
          </div>
          <div>
            <dt>{t('openFindings')}</dt>
            <dd>
              {rollup.openFindings} ({t('unitsWithOpenFindings')} {rollup.unitsWithOpenFindings})
            </dd>
          </div>
          <div>
            <dt>{t('refusedThisWeek')}</dt>
            <dd>{rollup.refusedStageEvents}</dd>
          </div>
          <div>
            <dt>{t('reforgesBegun')}</dt>
            <dd>{rollup.reforgesBegun}</dd>
          </div>
          <div>
            <dt>{t('byPhase')}</dt>
            <dd>
              {rollup.byPhase
                .filter((p) => p.count > 0)
                .map((p) => `${term(lang, p.phase)} ${p.count}`)
                .join('，')}
            </dd>
          </div>
        </dl>
        <div class="actions">
          <button type="button" onClick={() => exportAs('CSV')}>
            {t('exportCsv')}
          </button>
          <button type="button" onClick={() => exportAs('MARKDOWN')}>
            {t('exportMd')}
          </button>
        </div>
        {problem && <Problem message={problem} />}
      </section>
      {rows.length > 0 && (
        <section class="card" aria-labelledby="children-title">
          <h2 id="children-title">{t('children')}</h2>
          <table class="children">
            <thead>
              <tr>
                {COLUMNS.map(([key, label]) => (
                  <th
                    key={key}
                    scope="col"
                    aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      title={t('sortBy')}
                      onClick={() => setSort({ key, dir: sort.key === key ? (-sort.dir as 1 | -1) : 1 })}
                    >
                      {t(label)} {sort.key === key ? (sort.dir === 1 ? '▲' : '▼') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} class={r.lagging ? 'lagging' : ''}>
                  <th scope="row">
                    <a href={href(r.units > 1 ? 'subtree' : 'unit', r.id)}>{r.name}</a>
                    {r.lagging && <span class="tag no"> {t('lagging')}</span>}
                  </th>
                  <td>{term(lang, r.kind)}</td>
                  <td>{term(lang, r.phase)}</td>
                  <td>
                    <Bar value={r.progressIndex} label={`${r.name} ${t('progress')}`} />
                  </td>
                  <td>{r.openFindings}</td>
                  <td>{r.refused}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div class="columns">
        <UnitList title={t('laggards')} units={laggards.edges.map((e) => e.node)} />
        <UnitList
          title={t('rushing')}
          units={rushing.data?.rushing.edges.map((e) => e.node) ?? []}
          problem={rushing.error}
        />
      </div>
    </>
  );
}

function UnitList({
  title,
  units,
  problem = null,
}: {
  title: string;
  units: (UnitRef & { status: { phase: string } })[];
  /** the list could not be read (the service's sentence): shown in its place, the rest of the page stays */
  problem?: string | null;
}) {
  const { t, lang } = useApp();
  return (
    <section class="card">
      <h2>{title}</h2>
      {problem ? (
        <Problem message={problem} />
      ) : units.length === 0 ? (
        <p class="muted">{t('none')}</p>
      ) : (
        <ul>
          {units.map((u) => (
            <li key={u.id}>
              <a href={href('unit', u.id)}>{u.name}</a> <span class="muted">{term(lang, u.status.phase)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
