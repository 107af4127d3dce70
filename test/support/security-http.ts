import { signToken } from '../../src/auth/jwt.js';
import type { Principal } from '../../src/auth/principal.js';
import type { TestApp } from './test-app.js';

export interface RawAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** the parsed body, or undefined when it is not JSON */
  json: any;
}

export interface RawRequest {
  method?: 'GET' | 'POST';
  /** a string or bytes sent as they are; anything else is JSON.stringify-ed */
  body?: unknown;
  /** GET: the query string (without ?) */
  search?: string;
  contentType?: string | null;
  accept?: string;
  /** a principal (a token is signed for it), a raw Authorization header value, or null for none */
  as?: Principal | { authorization: string } | null;
}

/** One HTTP request to /graphql, with every knob a hostile client could turn. */
export async function raw(sut: TestApp, request: RawRequest = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { accept: request.accept ?? 'application/json' };
  const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const as = request.as;
  if (as && 'authorization' in as) headers.authorization = as.authorization;
  else if (as) headers.authorization = `Bearer ${signToken(as, sut.config.jwtSecret)}`;
  const method = request.method ?? 'POST';
  const body =
    method === 'GET'
      ? undefined
      : typeof request.body === 'string' || request.body instanceof Uint8Array
        ? (request.body as string | Uint8Array)
        : JSON.stringify(request.body);
  const url = `${sut.url}/graphql${request.search !== undefined ? `?${request.search}` : ''}`;
  const response = await fetch(url, {
    method,
    headers,
    body: body as Parameters<typeof fetch>[1] extends infer O ? (O extends { body?: infer B } ? B : never) : never,
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, json };
}

/** extensions.code of every error of an answer, in order. */
export const errorCodes = (body: { errors?: { extensions?: Record<string, unknown> }[] } | undefined): unknown[] =>
  (body?.errors ?? []).map((e) => e.extensions?.code);

/** Runs `tasks` with at most `width` in flight, results in order. */
export async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}
