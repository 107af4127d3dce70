import { useState } from 'preact/hooks';
import { href, useApp } from '../app-context';
import { dateTime } from '../format';
import { useQuery } from '../hooks';
import { statePath, term } from '../i18n';
import { REPLAY, type TransitionOption } from '../queries';
import { Problem } from './bits';
import { Diagram } from './diagram';

interface Step {
  seq: number;
  type: string;
  at: string;
  actor: string;
  role: string;
  override: boolean;
  reason: string | null;
  refusal: string | null;
  stateBefore: string[];
  stateAfter: string[];
  rulebookVersion: number;
  hash: string;
  gates: TransitionOption[];
}
interface ReplayData {
  machineDiagram: string;
  unit: { id: string; name: string; kind: string } | null;
  replay: { hasMore: boolean; nextAfter: number | null; diverged: boolean; steps: Step[] };
}

/** The auditor's replay, one step at a time: the state before and after, and the gates as they were evaluated then. */
export function AuditView({ id }: { id: string }) {
  const { t, lang } = useApp();
  const loaded = useQuery<ReplayData>(REPLAY, { id }, `replay:${id}`);
  const [index, setIndex] = useState(0);
  if (!loaded.data) return loaded.error ? <Problem message={loaded.error} /> : <p role="status">{t('loading')}</p>;
  const { unit, replay, machineDiagram } = loaded.data;
  const steps = replay.steps;
  const step = steps[Math.min(index, steps.length - 1)];
  return (
    <>
      <nav class="crumbs" aria-label={t('unitPage')}>
        <a href={href('unit', id)}>
          {t('unitPage')}: {unit?.name}
        </a>
      </nav>
      <h1>
        {t('auditPage')}: {unit?.name}
      </h1>
      {!step ? (
        <p>{t('noSteps')}</p>
      ) : (
        <div class="columns">
          <section class="card" aria-labelledby="step-title">
            <h2 id="step-title">
              {t('step')} {index + 1} / {steps.length}: #{step.seq} {term(lang, step.type)} <code>{step.type}</code>
            </h2>
            <div class="stepper">
              <button type="button" onClick={() => setIndex(Math.max(0, index - 1))} disabled={index === 0}>
                ← {t('prev')}
              </button>
              <button
                type="button"
                onClick={() => setIndex(Math.min(steps.length - 1, index + 1))}
                disabled={index >= steps.length - 1}
              >
                {t('next')} →
              </button>
            </div>
            <dl class="facts">
              <dt>{t('when')}</dt>
              <dd>
                <time dateTime={step.at}>{dateTime(lang, step.at)}</time>
              </dd>
              <dt>{t('by')}</dt>
              <dd>
                {step.actor} ({term(lang, step.role)})
              </dd>
              <dt>{t('before')}</dt>
              <dd class="before">{step.stateBefore.map((s) => statePath(lang, s)).join('，')}</dd>
              <dt>{t('after')}</dt>
              <dd class="after">{step.stateAfter.map((s) => statePath(lang, s)).join('，')}</dd>
              {step.override && (
                <>
                  <dt class="flag">{t('override')}</dt>
                  <dd class="flag">
                    {t('reason')}: {step.reason}
                  </dd>
                </>
              )}
              {step.refusal && (
                <>
                  <dt class="flag">{t('refused')}</dt>
                  <dd class="flag">{step.refusal}</dd>
                </>
              )}
            </dl>
            <h3>{t('gatesThen')}</h3>
            <ul class="options compact">
              {step.gates.map((g) => (
                <li key={g.event} class={g.allowed ? 'allowed' : 'blocked'}>
                  {term(lang, g.event)} <code>{g.event}</code>:{' '}
                  <span class={`tag ${g.allowed ? 'ok' : 'no'}`}>{t(g.allowed ? 'allowed' : 'blocked')}</span>
                  {!g.allowed && g.blockers[0]?.code !== 'NOT_ALLOWED_IN_STATE' && (
                    <span class="muted"> {g.blockers.map((b) => b.code).join(', ')}</span>
                  )}
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="replay-chart">
            <h2 id="replay-chart">{t('statechart')}</h2>
            <Diagram
              mermaid={machineDiagram}
              marks={{ current: step.stateAfter, visited: step.stateBefore }}
              title={`${t('statechart')}: #${step.seq}`}
            />
          </section>
        </div>
      )}
    </>
  );
}
