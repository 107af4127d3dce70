import { createHmac, timingSafeEqual } from 'node:crypto';
import { Principal, Role, ROLES } from './principal.js';

export class InvalidTokenError extends Error {}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
export const MAX_SUB_LENGTH = 200;

function signature(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** A bearer token (JWT, HS256). */
export function signToken(principal: Principal, secret: string, options: { nowSeconds?: number; expiresInSeconds?: number } = {}): string {
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { sub: principal.sub, role: principal.role, iat };
  if (principal.scopeUnitId) claims.scope = principal.scopeUnitId;
  if (options.expiresInSeconds) claims.exp = iat + options.expiresInSeconds;
  const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
  return `${body}.${b64(signature(body, secret))}`;
}

/** Checks the signature (constant time), the algorithm, the expiry and the claims; throws InvalidTokenError. */
export function verifyToken(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Principal {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('the token is not a JWT');
  const [header, payload, sig] = parts;
  let parsedHeader: { alg?: unknown };
  let claims: { sub?: unknown; role?: unknown; scope?: unknown; exp?: unknown; nbf?: unknown };
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('the token is not a JWT');
  }
  if (parsedHeader?.alg !== 'HS256') throw new InvalidTokenError('only HS256 tokens are accepted');
  const expected = signature(`${header}.${payload}`, secret);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('the token signature is invalid');
  if (typeof claims !== 'object' || claims === null) throw new InvalidTokenError('the token has no claims');
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) throw new InvalidTokenError('the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) throw new InvalidTokenError('the token is not valid yet');
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > MAX_SUB_LENGTH) throw new InvalidTokenError('the token has no valid sub');
  if (!ROLES.includes(claims.role as Role)) throw new InvalidTokenError(`the token role must be one of ${ROLES.join(', ')}`);
  if (claims.scope !== undefined && claims.scope !== null && typeof claims.scope !== 'string') throw new InvalidTokenError('the token scope must be a unit id');
  return { sub: claims.sub, role: claims.role as Role, scopeUnitId: (claims.scope as string | undefined) ?? null };
}
