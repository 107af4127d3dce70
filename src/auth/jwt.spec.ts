import { createHmac } from 'node:crypto';
import { InvalidTokenError, MAX_TOKEN_LENGTH, signToken, verifyToken } from './jwt.js';
import type { Principal } from './principal.js';

const SECRET = 'jwt-spec-secret-of-thirty-two-bytes!';
const NOW = 1_400_000_000;
const OFFICER: Principal = { sub: 'officer-li', role: 'OFFICER', scopeUnitId: '0190a000-0000-7000-8000-000000000001' };

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const HS256 = b64({ alg: 'HS256', typ: 'JWT' });
/** A token over these exact segments with a correct HS256 signature: only the checks after the signature can refuse it. */
const signSegments = (header: string, payload: string) =>
  `${header}.${payload}.${createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')}`;
const signClaims = (claims: Record<string, unknown>) => signSegments(HS256, b64(claims));

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The same bytes spelled differently: the last character's unused low bit flipped. */
function nonCanonical(segment: string): string {
  const last = ALPHABET.indexOf(segment.at(-1)!);
  const twin = `${segment.slice(0, -1)}${ALPHABET[last ^ 1]}`;
  // the precondition of every test using it: Buffer decodes both spellings to the same bytes
  expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(segment, 'base64url'));
  return twin;
}

const refusal = (token: string, now = NOW) => {
  try {
    verifyToken(token, SECRET, now);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('signToken and verifyToken', () => {
  it('give back the principal that was signed, with or without a scope', () => {
    expect(verifyToken(signToken(OFFICER, SECRET, { nowSeconds: NOW }), SECRET, NOW)).toEqual(OFFICER);
    const admin: Principal = { sub: '李 明', role: 'ADMIN', scopeUnitId: null };
    expect(verifyToken(signToken(admin, SECRET, { nowSeconds: NOW }), SECRET, NOW)).toEqual(admin);
  });

  describe('the signature: the canonical segment only', () => {
    const token = signToken(OFFICER, SECRET, { nowSeconds: NOW });

    it.each(['=', '==', '*', '~', '!', 'A'])('refuses one extra character %j after the signature', (extra) => {
      expect(refusal(`${token}${extra}`)).toBe('the token signature is invalid');
    });

    it('refuses a last character whose unused bits differ (same bytes, another spelling)', () => {
      expect(refusal(`${token.slice(0, token.lastIndexOf('.') + 1)}${nonCanonical(token.split('.')[2])}`)).toBe(
        'the token signature is invalid',
      );
    });

    it('refuses the signature written in the base64 (not url) alphabet or padded', () => {
      const [header, payload, signature] = token.split('.');
      const standard = Buffer.from(signature, 'base64url').toString('base64');
      expect(standard).not.toBe(signature);
      expect(refusal(`${header}.${payload}.${standard}`)).toBe('the token signature is invalid');
      expect(refusal(`${header}.${payload}.${signature.slice(0, -1)}`)).toBe('the token signature is invalid');
    });

    it('refuses another secret, and a token longer than the limit before computing anything', () => {
      expect(refusal(signToken(OFFICER, 'another-secret-another-secret-00', { nowSeconds: NOW }))).toBe(
        'the token signature is invalid',
      );
      expect(refusal(`${token}${'A'.repeat(MAX_TOKEN_LENGTH)}`)).toBe(
        `the token is longer than ${MAX_TOKEN_LENGTH} characters`,
      );
    });
  });

  describe('header and payload: canonical base64url JSON objects, signed or not', () => {
    it('refuses a payload spelled non-canonically even under a correct signature', () => {
      const payload = b64({ sub: 'ab', role: 'ADMIN', iat: NOW });
      expect(payload.length % 4).not.toBe(0); // a last character with unused bits
      expect(refusal(signSegments(HS256, payload))).toBe('accepted');
      expect(refusal(signSegments(HS256, nonCanonical(payload)))).toBe('the token payload is not canonical base64url');
    });

    it('refuses a header spelled non-canonically, or padded, even under a correct signature', () => {
      const header = b64({ alg: 'HS256', kid: 'k' });
      expect(header.length % 4).not.toBe(0);
      expect(refusal(signSegments(header, b64({ sub: 'x', role: 'ADMIN' })))).toBe('accepted');
      expect(refusal(signSegments(nonCanonical(header), b64({ sub: 'x', role: 'ADMIN' })))).toBe(
        'the token header is not canonical base64url',
      );
      expect(refusal(signSegments(`${header}=`, b64({ sub: 'x', role: 'ADMIN' })))).toBe(
        'the token header is not canonical base64url',
      );
    });

    it.each<[string, string, string, string]>([
      ['alg none', b64({ alg: 'none' }), b64({ sub: 'x', role: 'ADMIN' }), 'only HS256 tokens are accepted'],
      [
        'typ other than JWT',
        b64({ alg: 'HS256', typ: 'JWE' }),
        b64({ sub: 'x', role: 'ADMIN' }),
        'the token typ must be JWT',
      ],
      [
        'critical extensions',
        b64({ alg: 'HS256', crit: ['exp'] }),
        b64({ sub: 'x', role: 'ADMIN' }),
        'the token header has critical extensions',
      ],
      ['claims that are an array', HS256, b64([{ sub: 'x', role: 'ADMIN' }]), 'the token payload is not a JSON object'],
      ['claims that are not JSON', HS256, b64('{sub:x}'), 'the token payload is not JSON'],
      ['an empty payload', HS256, '', 'the token payload is not canonical base64url'],
    ])('refuses %s', (_what, header, payload, message) => {
      expect(refusal(signSegments(header, payload))).toBe(message);
    });
  });

  describe('exp, nbf, iat: whole seconds or refused', () => {
    it.each(['exp', 'nbf', 'iat'])(
      'refuses %s as the string "9999999999", a fraction, a negative number or null',
      (claim) => {
        for (const value of ['9999999999', 1_500_000_000.5, -1, null, 1e300]) {
          expect(refusal(signClaims({ sub: 'x', role: 'ADMIN', [claim]: value }))).toBe(
            `the token ${claim} must be a whole number of seconds since 1970`,
          );
        }
      },
    );

    it('an expired token is refused from its exp second on; a not-yet-valid one until its nbf second', () => {
      const expiring = signClaims({ sub: 'x', role: 'ADMIN', exp: NOW + 60 });
      expect(refusal(expiring, NOW + 59)).toBe('accepted');
      expect(refusal(expiring, NOW + 60)).toBe('the token has expired');
      const later = signClaims({ sub: 'x', role: 'ADMIN', nbf: NOW + 60 });
      expect(refusal(later, NOW + 59)).toBe('the token is not valid yet');
      expect(refusal(later, NOW + 60)).toBe('accepted');
    });

    it('signToken writes exp = iat + expiresInSeconds and refuses a duration that is not whole positive seconds', () => {
      const token = signToken(OFFICER, SECRET, { nowSeconds: NOW, expiresInSeconds: 3600 });
      expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).toMatchObject({
        iat: NOW,
        exp: NOW + 3600,
      });
      for (const expiresInSeconds of [0, -5, 1.5, Number.NaN]) {
        expect(() => signToken(OFFICER, SECRET, { nowSeconds: NOW, expiresInSeconds })).toThrow(
          /expiresInSeconds must be a positive whole number/,
        );
      }
    });
  });

  describe('sub: a trimmed, visible, bounded name', () => {
    it.each<[string, unknown, string]>([
      ['spaces only', '   ', 'sub must be a non-empty name'],
      ['an ideographic space only', '\u3000', 'sub must be a non-empty name'],
      ['empty', '', 'sub must be a non-empty name'],
      ['a number', 42, 'sub must be a non-empty name'],
      ['a leading space', ' li', 'sub must not begin or end with whitespace'],
      ['a trailing newline', 'li\n', 'sub must not begin or end with whitespace'],
      ['a NUL inside', 'l\u0000i', 'sub must not contain control or invisible characters'],
      ['an escape inside', 'li\u001b[2J', 'sub must not contain control or invisible characters'],
      ['a right-to-left override', 'li\u202eadmin', 'sub must not contain control or invisible characters'],
      ['a zero-width space', 'l\u200bi', 'sub must not contain control or invisible characters'],
      ['201 characters', 'x'.repeat(201), 'sub must be at most 200 characters'],
      ['a lone high surrogate', 'li\ud800', 'sub must be well-formed Unicode'],
      ['a lone low surrogate', '\udc00li', 'sub must be well-formed Unicode'],
    ])('refuses %s', (_what, sub, problem) => {
      expect(refusal(signClaims({ sub, role: 'ADMIN' }))).toBe(`the token ${problem}`);
      if (typeof sub === 'string') expect(() => signToken({ ...OFFICER, sub }, SECRET)).toThrow(problem);
    });

    it('accepts 200 characters and inner spaces', () => {
      expect(verifyToken(signClaims({ sub: 'x'.repeat(200), role: 'ADMIN' }), SECRET, NOW).sub).toHaveLength(200);
      expect(verifyToken(signClaims({ sub: 'Li Ming', role: 'ADMIN' }), SECRET, NOW).sub).toBe('Li Ming');
    });
  });

  it('refuses an unknown role and a scope that is not a unit id', () => {
    expect(refusal(signClaims({ sub: 'x', role: 'ROOT' }))).toBe(
      'the token role must be one of ADMIN, SUPERVISOR, OFFICER, AUDITOR',
    );
    for (const scope of [['*'], '', ' a', 7]) {
      expect(refusal(signClaims({ sub: 'x', role: 'ADMIN', scope }))).toBe('the token scope must be a unit id');
    }
    expect(verifyToken(signClaims({ sub: 'x', role: 'ADMIN', scope: null }), SECRET, NOW).scopeUnitId).toBeNull();
  });
});
