import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translate, type Key, type Lang } from './i18n';

export interface AppState {
  lang: Lang;
  token: string;
  t(key: Key, vars?: Record<string, string | number>): string;
}

export const AppContext = createContext<AppState>({ lang: 'zh-CN', token: '', t: (key) => translate('zh-CN', key) });

export const useApp = () => useContext(AppContext);

/** The page's routes: #/ (the units one may see), #/subtree/ID, #/unit/ID, #/audit/ID. */
export interface Route {
  view: 'home' | 'subtree' | 'unit' | 'audit';
  id: string | null;
}

export function routeOf(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  if ((view === 'subtree' || view === 'unit' || view === 'audit') && id) return { view, id: decodeURIComponent(id) };
  return { view: 'home', id: null };
}

export const href = (view: Route['view'], id: string) => `#/${view}/${encodeURIComponent(id)}`;
