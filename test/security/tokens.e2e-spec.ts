import { createHmac } from 'node:crypto';
import { signToken } from '../../src/auth/jwt.js';
import { issueToken } from '../../src/cli/token-command.js';
import { errorCodes, raw } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Each token an outside review got past the server on main, at its boundary, over HTTP — next to the token one
 * step away that must still work, so that a refusal is the check's doing and not a broken fixture.
 */
describe('bearer tokens at their boundaries, over HTTP', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  /** a token over these claims with a correct HS256 signature */
  const signClaims = (claims: Record<string, unknown>) => {
    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    return `${signingInput}.${createHmac('sha256', sut.config.jwtSecret).update(signingInput).digest('base64url')}`;
  };

  async function answer(token: string) {
    const before = sut.db.statementCount;
    const res = await raw(sut, { body: { query: '{ machineDiagram }' }, as: { authorization: `Bearer ${token}` } });
    if (res.json.data?.machineDiagram) return 'accepted';
    // refused before the body is read: 401 and no data
    expect(res.status).toBe(401);
    expect(res.json).not.toHaveProperty('data');
    expect(sut.db.statementCount).toBe(before); // refused before anything was read
    expect(errorCodes(res.json)).toEqual(['UNAUTHENTICATED']);
    return res.json.errors[0].message as string;
  }

  it('a signature with one extra character is refused; the signature itself works', async () => {
    const token = signToken(ADMIN, sut.config.jwtSecret);
    expect(await answer(token)).toBe('accepted');
    for (const extra of ['=', '*', 'A'])
      expect(await answer(`${token}${extra}`)).toBe('invalid bearer token: the token signature is invalid');
  });

  it('a non-canonical last character of the signature (same bytes) is refused', async () => {
    const token = signToken({ ...ADMIN, sub: 'canonical' }, sut.config.jwtSecret);
    const last = ALPHABET.indexOf(token.at(-1)!);
    const twin = `${token.slice(0, -1)}${ALPHABET[last ^ 1]}`;
    expect(Buffer.from(twin.split('.')[2], 'base64url')).toEqual(Buffer.from(token.split('.')[2], 'base64url'));
    expect(await answer(token)).toBe('accepted');
    expect(await answer(twin)).toBe('invalid bearer token: the token signature is invalid');
  });

  it('exp as the string "9999999999" is refused; the number 9999999999 works', async () => {
    expect(await answer(signClaims({ sub: 'exp-number', role: 'ADMIN', exp: 9_999_999_999 }))).toBe('accepted');
    expect(await answer(signClaims({ sub: 'exp-string', role: 'ADMIN', exp: '9999999999' }))).toBe(
      'invalid bearer token: the token exp must be a whole number of seconds since 1970',
    );
    expect(await answer(signClaims({ sub: 'nbf-string', role: 'ADMIN', nbf: '0' }))).toMatch(
      /the token nbf must be a whole number/,
    );
  });

  it('a sub of spaces is refused; a name works', async () => {
    expect(await answer(signClaims({ sub: 'li', role: 'ADMIN' }))).toBe('accepted');
    expect(await answer(signClaims({ sub: '   ', role: 'ADMIN' }))).toBe(
      'invalid bearer token: the token sub must be a non-empty name',
    );
    expect(await answer(signClaims({ sub: ' li', role: 'ADMIN' }))).toBe(
      'invalid bearer token: the token sub must not begin or end with whitespace',
    );
  });

  it('a token from npm run token works for the README session and stops working 12 hours after it was issued', async () => {
    const env = { LOOKBACK_JWT_SECRET: sut.config.jwtSecret };
    const fresh = issueToken(['--role', 'ADMIN', '--sub', 'you'], env, nowSeconds()).token;
    expect(await answer(fresh)).toBe('accepted');
    const almost = issueToken(['--role', 'ADMIN', '--sub', 'almost'], env, nowSeconds() - 12 * 3600 + 60).token;
    expect(await answer(almost)).toBe('accepted');
    const stale = issueToken(['--role', 'ADMIN', '--sub', 'stale'], env, nowSeconds() - 12 * 3600).token;
    expect(await answer(stale)).toBe('invalid bearer token: the token has expired');
  });
});
