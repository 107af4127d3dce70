import { useApp } from '../app-context';

export function Problem({ message }: { message: string }) {
  const { t } = useApp();
  return (
    <p class="problem" role="alert">
      {t('error')}: {message}
    </p>
  );
}

/** A progress bar people and screen readers can read. */
export function Bar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <span class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label}>
      <span class="fill" style={{ width: `${pct}%` }} />
      <span class="pct">{pct}%</span>
    </span>
  );
}

/** Shown while the view is kept up to date by the server (no reload needed). */
export function LiveBadge({ live }: { live: boolean }) {
  const { t } = useApp();
  return live ? <span class="live">● {t('live')}</span> : null;
}
