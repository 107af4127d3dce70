import { unauthenticated } from './auth-errors.js';
import { InvalidTokenError, verifyToken } from './jwt.js';
import type { Principal } from './principal.js';

/** RFC 6750 §2.1: the scheme (any case), spaces, one token; nothing else. */
const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/** The principal of an `Authorization: Bearer …` header; UNAUTHENTICATED without a valid token. */
export function principalFromHeader(header: string | undefined, secret: string): Principal {
  if (typeof header !== 'string' || !/^Bearer[ \t]/i.test(header)) throw unauthenticated();
  const token = BEARER.exec(header)?.[1];
  if (token === undefined)
    throw unauthenticated('invalid bearer token: the Authorization header must be "Bearer" and one token');
  try {
    return verifyToken(token, secret);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(`invalid bearer token: ${error.message}`);
    throw error;
  }
}
