import { useApp } from '../app-context';
import { dateTime } from '../format';
import { term } from '../i18n';
import type { Blocker } from '../queries';

export interface HistoryEvent {
  seq: number;
  type: string;
  at: string;
  actor: string;
  role: string;
  override: boolean;
  reason: string | null;
}
export interface Attempt {
  command: string;
  actor: string;
  role: string;
  at: string;
  failure: string;
  message: string;
  blockers: Blocker[];
}

type Entry = { at: string; event?: HistoryEvent; attempt?: Attempt };

/** Events and refused attempts, newest first: who, when, what; an override in red with its reason. */
export function Timeline({ events, attempts }: { events: HistoryEvent[]; attempts: Attempt[] }) {
  const { t, lang } = useApp();
  const entries: Entry[] = [
    ...events.map((event): Entry => ({ at: event.at, event })),
    ...attempts.map((attempt): Entry => ({ at: attempt.at, attempt })),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (b.event?.seq ?? 0) - (a.event?.seq ?? 0));
  return (
    <section class="card" aria-labelledby="timeline">
      <h2 id="timeline">{t('timeline')}</h2>
      <ol class="timeline">
        {entries.map(({ at, event, attempt }, i) => (
          <li key={i} class={event?.override ? 'override' : attempt ? 'refused' : 'event'}>
            <time dateTime={at}>{dateTime(lang, at)}</time>{' '}
            {event && (
              <>
                <strong>
                  #{event.seq} {term(lang, event.type)}
                </strong>{' '}
                {event.type !== term(lang, event.type) && <code>{event.type}</code>}
                {event.override && (
                  <span class="flag">
                    {' '}
                    ⚠ {t('override')} · {t('reason')}: {event.reason}
                  </span>
                )}
              </>
            )}
            {attempt && (
              <>
                <strong>
                  {t('refused')}: {term(lang, attempt.command)}
                </strong>{' '}
                <code>{attempt.failure}</code> <span>{attempt.message}</span>
                {attempt.blockers.length > 0 && (
                  <ul class="blockers">
                    {attempt.blockers.map((b) => (
                      <li key={b.code}>
                        {b.message} <code>{b.code}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
            <span class="muted">
              {' '}
              · {t('by')} {(event ?? attempt)!.actor} ({term(lang, (event ?? attempt)!.role)})
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
