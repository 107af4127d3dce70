import { createHmac, timingSafeEqual } from 'node:crypto';
import { Principal, Role, ROLES, subProblem } from './principal.js';

export class InvalidTokenError extends Error {}

/** Far above any token we issue (about 250 characters): a longer one is refused before any HMAC is computed. */
export const MAX_TOKEN_LENGTH = 4096;
const MAX_SCOPE_LENGTH = 200;

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function signatureOf(signingInput: string, secret: string): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

/**
 * The bytes of one base64url segment, only if the segment is exactly what encoding those bytes gives back.
 * Buffer's decoder is lenient (it skips characters outside the alphabet, accepts `+ / =`, ignores a dangling
 * character and the unused low bits of the last one), so several strings decode alike: the round trip refuses
 * every spelling but the canonical one.
 */
function decodeSegment(segment: string, name: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (segment === '' || bytes.toString('base64url') !== segment)
    throw new InvalidTokenError(`the token ${name} is not canonical base64url`);
  return bytes;
}

function jsonObject(segment: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeSegment(segment, name).toString('utf8'));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    throw new InvalidTokenError(`the token ${name} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidTokenError(`the token ${name} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** `exp`, `nbf`, `iat`: absent, or whole seconds since the epoch. A string or a fraction is refused, never skipped. */
function secondsClaim(claims: Record<string, unknown>, name: 'exp' | 'nbf' | 'iat'): number | null {
  const value = claims[name];
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidTokenError(`the token ${name} must be a whole number of seconds since 1970`);
  }
  return value;
}

function scopeOf(claims: Record<string, unknown>): string | null {
  const scope = claims.scope;
  if (scope === undefined || scope === null) return null;
  if (typeof scope !== 'string' || scope === '' || scope.length > MAX_SCOPE_LENGTH || scope !== scope.trim()) {
    throw new InvalidTokenError('the token scope must be a unit id');
  }
  return scope;
}

export interface SignOptions {
  /** the issue time, seconds since the epoch (default: now) */
  nowSeconds?: number;
  /** whole seconds until the token expires; absent: it never expires */
  expiresInSeconds?: number;
}

/** A bearer token (JWT, HS256) for a principal the verifier would accept. */
export function signToken(principal: Principal, secret: string, options: SignOptions = {}): string {
  const problem = subProblem(principal.sub);
  if (problem) throw new RangeError(problem);
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(iat) || iat < 0) throw new RangeError('nowSeconds must be whole seconds since 1970');
  const claims: Record<string, unknown> = { sub: principal.sub, role: principal.role, iat };
  if (principal.scopeUnitId) claims.scope = principal.scopeUnitId;
  if (options.expiresInSeconds !== undefined) {
    if (!Number.isSafeInteger(options.expiresInSeconds) || options.expiresInSeconds <= 0)
      throw new RangeError('expiresInSeconds must be a positive whole number');
    claims.exp = iat + options.expiresInSeconds;
  }
  const signingInput = `${HEADER}.${b64(JSON.stringify(claims))}`;
  return `${signingInput}.${signatureOf(signingInput, secret)}`;
}

/**
 * Checks, in this order: the shape (three canonical base64url segments), the signature (the segment itself against
 * the one we would write, in constant time), the header (HS256 only), then the claims. Throws InvalidTokenError.
 */
export function verifyToken(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Principal {
  if (token.length > MAX_TOKEN_LENGTH)
    throw new InvalidTokenError(`the token is longer than ${MAX_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('the token is not a JWT');
  const [header, payload, signature] = parts;
  const expected = Buffer.from(signatureOf(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  // the length compared first is the HMAC-SHA256 one (43 characters), public knowledge
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new InvalidTokenError('the token signature is invalid');

  const parsedHeader = jsonObject(header, 'header');
  if (parsedHeader.alg !== 'HS256') throw new InvalidTokenError('only HS256 tokens are accepted');
  if (parsedHeader.typ !== undefined && parsedHeader.typ !== 'JWT')
    throw new InvalidTokenError('the token typ must be JWT');
  // RFC 7515 §4.1.11: extensions marked critical that we do not understand (we understand none) refuse the token
  if (parsedHeader.crit !== undefined) throw new InvalidTokenError('the token header has critical extensions');

  const claims = jsonObject(payload, 'payload');
  const exp = secondsClaim(claims, 'exp');
  const nbf = secondsClaim(claims, 'nbf');
  secondsClaim(claims, 'iat');
  if (exp !== null && exp <= nowSeconds) throw new InvalidTokenError('the token has expired');
  if (nbf !== null && nbf > nowSeconds) throw new InvalidTokenError('the token is not valid yet');
  const problem = subProblem(claims.sub);
  if (problem) throw new InvalidTokenError(`the token ${problem}`);
  if (!ROLES.includes(claims.role as Role))
    throw new InvalidTokenError(`the token role must be one of ${ROLES.join(', ')}`);
  return { sub: claims.sub as string, role: claims.role as Role, scopeUnitId: scopeOf(claims) };
}
