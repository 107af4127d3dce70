import { useState } from 'preact/hooks';
import { useApp } from '../app-context';

export const TOKEN_COMMAND = 'npm run --silent token -- --role ADMIN --sub you';

/** Sign in by pasting a bearer token; the one-line hint says how to make one. */
export function SignIn({ onSignIn }: { onSignIn(token: string): Promise<string | null> }) {
  const { t } = useApp();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(await onSignIn(token.trim().replace(/^Bearer\s+/i, '')));
    setBusy(false);
  };
  return (
    <section class="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn')}</h1>
      <form onSubmit={submit}>
        <label for="token">{t('tokenLabel')}</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          value={token}
          onInput={(e) => setToken((e.target as HTMLTextAreaElement).value)}
          required
          spellcheck={false}
          autoComplete="off"
        />
        <p class="hint">
          {t('tokenHint')} <code>{TOKEN_COMMAND}</code> (<code>--role SUPERVISOR</code>, <code>AUDITOR</code>,{' '}
          <code>OFFICER --scope UNIT_ID</code>)
        </p>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || token.trim() === ''}>
          {t('signIn')}
        </button>
      </form>
    </section>
  );
}
