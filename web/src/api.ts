/** The page's GraphQL client: POST /graphql with the bearer token and the page's language (the API's messages follow it). */
import type { Lang } from './i18n';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'lookback.token';
const LANG_KEY = 'lookback.lang';

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // private mode: the page still works for this visit
  }
}

export const session = {
  token: stored(TOKEN_KEY),
  lang: (stored(LANG_KEY) === 'en' ? 'en' : 'zh-CN') as Lang,
  setToken(token: string | null) {
    session.token = token;
    store(TOKEN_KEY, token);
  },
  setLang(lang: Lang) {
    session.lang = lang;
    store(LANG_KEY, lang);
  },
};

export interface Claims {
  sub: string;
  role: string;
  scope?: string;
  exp?: number;
}

/** What the token says about its bearer (read for display only; the server checks it on every request). */
export function claimsOf(token: string | null): Claims | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const json = decodeURIComponent(
      Array.from(
        atob(payload.replace(/-/g, '+').replace(/_/g, '/')),
        (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'),
      ).join(''),
    );
    return JSON.parse(json) as Claims;
  } catch {
    return null;
  }
}

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token = session.token,
): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'accept-language': session.lang === 'zh-CN' ? 'zh-CN,zh;q=0.9' : 'en',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code);
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`, undefined);
  return body.data;
}
