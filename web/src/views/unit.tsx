import { useState } from 'preact/hooks';
import { gql } from '../api';
import { href, useApp } from '../app-context';
import { phasePath } from '../chart';
import { useQuery } from '../hooks';
import { statePath, term } from '../i18n';
import { useLive } from '../live';
import { AS_OF, PATH, UNIT, UNIT_CHANGED, VERIFY, type Status, type TransitionOption } from '../queries';
import { LiveBadge, Problem } from './bits';
import { Diagram } from './diagram';
import { Timeline, type Attempt, type HistoryEvent } from './timeline';
import { WhyNot } from './why-not';

interface UnitData {
  serverTime: string;
  machineDiagram: string;
  unit: {
    id: string;
    name: string;
    kind: string;
    parent: { id: string; name: string } | null;
    status: Status;
    transitions: TransitionOption[];
    history: { edges: { node: HistoryEvent }[] };
    attempts: { edges: { node: Attempt }[] };
  } | null;
}
interface PathData {
  replay: { steps: { seq: number; stateBefore: string[]; stateAfter: string[] }[] };
}
interface Verification {
  ok: boolean;
  checkedEvents: number;
  firstBrokenSeq: number | null;
  problem: string | null;
  detail: string | null;
}

/** One unit: where it stands on the statechart and how it got there, why it cannot move on, what happened when. */
export function UnitView({ id }: { id: string }) {
  const { t, lang } = useApp();
  const loaded = useQuery<UnitData>(UNIT, { id }, `unit:${id}`);
  const path = useQuery<PathData>(PATH, { id }, `path:${id}:${loaded.data?.unit?.status.version ?? 0}`);
  const [asOf, setAsOf] = useState<{ at: string; status: Status | null } | null>(null);
  const live = useLive(UNIT_CHANGED, { id }, `unit:${id}`, loaded.reload);
  if (!loaded.data) return loaded.error ? <Problem message={loaded.error} /> : <p role="status">{t('loading')}</p>;
  const { unit, machineDiagram, serverTime } = loaded.data;
  if (!unit) return <Problem message={id} />;
  const steps = path.data?.replay.steps ?? [];
  const visited = steps.flatMap((s) => [...s.stateBefore, ...s.stateAfter]);
  const phases = phasePath(
    true,
    steps.map((s) => s.stateAfter),
  );
  const reforges = phases.filter((p) => p === 'reforging').length;
  const shown = asOf?.status ?? unit.status;
  return (
    <>
      <nav class="crumbs" aria-label={t('parent')}>
        {unit.parent && (
          <a href={href('unit', unit.parent.id)}>
            {t('parent')}: {unit.parent.name}
          </a>
        )}
        <a href={href('subtree', unit.id)}>{t('subtree')}</a>
        <a href={href('audit', unit.id)}>{t('auditPage')}</a>
      </nav>
      <h1>
        {unit.name} <span class="muted">{term(lang, unit.kind)}</span> <LiveBadge live={live} />
      </h1>
      <p class="status">
        {t('phase')}: <strong>{term(lang, unit.status.phase)}</strong> · {t('version')} {unit.status.version} ·{' '}
        {unit.status.activeStates.map((s) => statePath(lang, s)).join('，')}
      </p>
      <div class="columns">
        <section class="card" aria-labelledby="chart-title">
          <h2 id="chart-title">{t('statechart')}</h2>
          <Diagram
            mermaid={machineDiagram}
            marks={{ current: shown.activeStates, visited: asOf ? [] : visited }}
            title={`${t('statechart')}: ${unit.name}`}
          />
          {phases.length > 0 && !asOf && (
            <p class="path">
              {t('path')}: {phases.map((p) => term(lang, p)).join(' → ')}
              {reforges > 0 && ` (${t('reforges')} ×${reforges})`}
            </p>
          )}
          <AsOf id={unit.id} asOf={asOf} onChange={setAsOf} />
        </section>
        <WhyNot options={unit.transitions} serverOffsetMs={Date.parse(serverTime) - Date.now()} />
      </div>
      <Verify id={unit.id} />
      <Timeline events={unit.history.edges.map((e) => e.node)} attempts={unit.attempts.edges.map((e) => e.node)} />
    </>
  );
}

function Verify({ id }: { id: string }) {
  const { t } = useApp();
  const [answer, setAnswer] = useState<Verification | string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setAnswer((await gql<{ verifyHistory: Verification }>(VERIFY, { id })).verifyHistory);
    } catch (error) {
      setAnswer((error as Error).message);
    }
    setBusy(false);
  };
  return (
    <section class="card verify" aria-labelledby="verify-title">
      <h2 id="verify-title" class="visually-hidden">
        {t('verify')}
      </h2>
      <button type="button" class="primary" onClick={run} disabled={busy}>
        {t('verify')}
      </button>
      <div role="status" class="verify-answer">
        {typeof answer === 'string' && <span class="problem">{answer}</span>}
        {answer && typeof answer === 'object' && answer.ok && (
          <span class="ok">✓ {t('verifyOk', { n: answer.checkedEvents })}</span>
        )}
        {answer && typeof answer === 'object' && !answer.ok && (
          <span class="problem">
            ✗ {t('verifyBroken')} {answer.problem} #{answer.firstBrokenSeq} {answer.detail}
          </span>
        )}
      </div>
    </section>
  );
}

function AsOf({
  id,
  asOf,
  onChange,
}: {
  id: string;
  asOf: { at: string; status: Status | null } | null;
  onChange(v: { at: string; status: Status | null } | null): void;
}) {
  const { t, lang } = useApp();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const show = async (e: Event) => {
    e.preventDefault();
    if (!value) return;
    const at = new Date(value).toISOString();
    try {
      const { unitAsOf } = await gql<{ unitAsOf: Status | null }>(AS_OF, { id, at });
      setProblem(null);
      onChange({ at, status: unitAsOf });
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <form class="as-of" onSubmit={show}>
      <label for="as-of">{t('asOf')}</label>{' '}
      <input
        id="as-of"
        type="datetime-local"
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />{' '}
      <button type="submit">{t('asOfShow')}</button>{' '}
      {asOf && (
        <button type="button" onClick={() => onChange(null)}>
          {t('asOfReset')}
        </button>
      )}
      {problem && <p class="problem">{problem}</p>}
      {asOf && (
        <p role="status">
          {asOf.status
            ? `${t('statusAt')}: ${term(lang, asOf.status.phase)} · ${t('version')} ${asOf.status.version} · ${asOf.status.activeStates.map((s) => statePath(lang, s)).join('，')}`
            : t('asOfNone')}
        </p>
      )}
    </form>
  );
}
