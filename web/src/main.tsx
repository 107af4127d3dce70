import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, claimsOf, gql, session } from './api';
import { AppContext, routeOf, type AppState } from './app-context';
import { term, translate, type Lang } from './i18n';
import { SIGN_IN } from './queries';
import { Home } from './views/home';
import { SignIn } from './views/sign-in';
import { SubtreeView } from './views/subtree';
import { UnitView } from './views/unit';
import { AuditView } from './views/audit';
import './style.css';

function App() {
  const [lang, setLang] = useState<Lang>(session.lang);
  const [token, setToken] = useState<string | null>(session.token);
  const [route, setRoute] = useState(() => routeOf(window.location.hash));

  useEffect(() => {
    const onHash = () => {
      setRoute(routeOf(window.location.hash));
      document.getElementById('main')?.focus();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'appTitle');
  }, [lang]);

  const app: AppState = useMemo(
    () => ({ lang, token: token ?? '', t: (key, vars) => translate(lang, key, vars) }),
    [lang, token],
  );
  const switchLang = () => {
    const next: Lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
    session.setLang(next);
    setLang(next);
  };
  const signIn = async (pasted: string): Promise<string | null> => {
    try {
      await gql(SIGN_IN, {}, pasted);
    } catch (error) {
      return error instanceof ApiError && error.code === 'UNAUTHENTICATED'
        ? app.t('tokenInvalid')
        : (error as Error).message;
    }
    session.setToken(pasted);
    setToken(pasted);
    return null;
  };
  const signOut = () => {
    session.setToken(null);
    setToken(null);
  };
  const claims = claimsOf(token);

  return (
    <AppContext.Provider value={app}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {app.t('skip')}
      </a>
      <header class="top">
        <a class="brand" href="#/">
          {app.t('appTitle')}
        </a>
        <nav aria-label={app.t('home')}>
          {token && <a href="#/">{app.t('home')}</a>}
          <a href="/graphiql">{app.t('graphiql')}</a>
          <button
            type="button"
            onClick={switchLang}
            title={app.t('languageLabel')}
            lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}
          >
            {app.t('language')}
          </button>
          {token && claims && (
            <span class="who">
              {app.t('signedInAs')}: {claims.sub} · {term(lang, claims.role)}
            </span>
          )}
          {token && (
            <button type="button" onClick={signOut}>
              {app.t('signOut')}
            </button>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {!token ? (
          <SignIn onSignIn={signIn} />
        ) : route.view === 'subtree' && route.id ? (
          <SubtreeView id={route.id} />
        ) : route.view === 'unit' && route.id ? (
          <UnitView id={route.id} />
        ) : route.view === 'audit' && route.id ? (
          <AuditView id={route.id} />
        ) : (
          <Home />
        )}
      </main>
    </AppContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
