import { principalFromHeader } from '../auth/bearer.js';
import type { Principal } from '../auth/principal.js';

interface Verified {
  principal: Principal;
  /** the token's `exp` and `nbf` claims (seconds), checked again on every hit */
  exp: number | null;
  nbf: number | null;
}

const MAX_ENTRIES = 10_000;

function claimOf(header: string, name: 'exp' | 'nbf'): number | null {
  try {
    const payload = header.slice(header.indexOf('.') + 1, header.lastIndexOf('.'));
    const value = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>)[name];
    return typeof value === 'number' ? value : null;
  } catch {
    return null;
  }
}

/**
 * `principalFromHeader` with a memory of the headers it already verified (a client sends the same bearer token on
 * every request: its HMAC need not be recomputed each time). Keyed by the whole header, signature included, so
 * only a byte-identical token hits; the expiry and not-before claims are checked against the clock on every hit,
 * and a token past them is handed back to `principalFromHeader`, which refuses it as before. One per secret.
 */
export class PrincipalCache {
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly secret: string) {}

  principalOf(header: string | undefined): Principal {
    if (typeof header === 'string') {
      const hit = this.verified.get(header);
      if (hit) {
        const now = Math.floor(Date.now() / 1000);
        if ((hit.exp === null || hit.exp > now) && (hit.nbf === null || hit.nbf <= now)) return { ...hit.principal };
        this.verified.delete(header);
      }
    }
    const principal = principalFromHeader(header, this.secret); // throws UNAUTHENTICATED: nothing is remembered
    if (this.verified.size >= MAX_ENTRIES) this.verified.clear();
    this.verified.set(header as string, {
      principal: { ...principal },
      exp: claimOf(header as string, 'exp'),
      nbf: claimOf(header as string, 'nbf'),
    });
    return principal;
  }
}
