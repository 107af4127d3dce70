import { useApp } from '../app-context';
import { countdown, dateTime } from '../format';
import { useNow } from '../hooks';
import { term } from '../i18n';
import type { TransitionOption } from '../queries';

/** Every stage event: allowed, or every blocker with required/actual; when time alone stands in the way, when and how long. */
export function WhyNot({ options, serverOffsetMs }: { options: TransitionOption[]; serverOffsetMs: number }) {
  const { t, lang } = useApp();
  const now = useNow(serverOffsetMs);
  return (
    <section class="card" aria-labelledby="why-not">
      <h2 id="why-not">{t('whyNot')}</h2>
      <ul class="options">
        {options.map((o) => (
          <li key={o.event} class={o.allowed ? 'allowed' : 'blocked'} data-event={o.event}>
            <h3>
              {term(lang, o.event)} <code>{o.event}</code>{' '}
              <span class={`tag ${o.allowed ? 'ok' : 'no'}`}>{t(o.allowed ? 'allowed' : 'blocked')}</span>
            </h3>
            {o.earliestAt && (
              <p class="when">
                {t('earliestAt')} <time dateTime={o.earliestAt}>{dateTime(lang, o.earliestAt)}</time> · {t('countdown')}{' '}
                <span class="countdown" aria-live="off">
                  {countdown(lang, Date.parse(o.earliestAt) - now)}
                </span>
              </p>
            )}
            {o.blockers.length > 0 && o.blockers[0].code !== 'NOT_ALLOWED_IN_STATE' && (
              <ul class="blockers">
                {o.blockers.map((b) => (
                  <li key={b.code} data-code={b.code}>
                    <span class="message">{b.message}</span> <code>{b.code}</code>
                    {(b.required !== null || b.actual !== null) && (
                      <span class="muted">
                        {' '}
                        ({t('required')}: {b.required ?? '—'}; {t('actual')}: {b.actual ?? '—'})
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {o.blockers[0]?.code === 'NOT_ALLOWED_IN_STATE' && <p class="muted">{o.blockers[0].message}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
