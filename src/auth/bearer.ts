import { unauthenticated } from './auth-errors.js';
import { InvalidTokenError, verifyToken } from './jwt.js';
import type { Principal } from './principal.js';

/** The principal of an `Authorization: Bearer …` header; UNAUTHENTICATED without a valid token. */
export function principalFromHeader(header: string | undefined, secret: string): Principal {
  if (typeof header !== 'string' || !/^Bearer\s+/i.test(header)) throw unauthenticated();
  try {
    return verifyToken(header.replace(/^Bearer\s+/i, '').trim(), secret);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(`invalid bearer token: ${error.message}`);
    throw error;
  }
}
