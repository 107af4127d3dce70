import { verifyToken } from '../auth/jwt.js';
import { issueToken, NO_EXPIRY_WARNING, parseDuration, runToken } from './token-command.js';

const SECRET = 'token-command-spec-secret-32-byte';
const ENV = { LOOKBACK_JWT_SECRET: SECRET };
const NOW = 1_400_000_000;
const HOUR = 3600;

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

function run(argv: string[], env: NodeJS.ProcessEnv = ENV) {
  let out = '';
  let err = '';
  const code = runToken(argv, env, { out: (t) => (out += t), err: (t) => (err += t) }, NOW);
  return { code, out, err };
}

describe('npm run token', () => {
  it('issues a token that expires 12 hours after it was issued unless told otherwise', () => {
    const { token, warning } = issueToken(['--role', 'ADMIN', '--sub', 'you'], ENV, NOW);
    expect(warning).toBeNull();
    expect(claimsOf(token)).toEqual({ sub: 'you', role: 'ADMIN', iat: NOW, exp: NOW + 12 * HOUR });
    expect(verifyToken(token, SECRET, NOW + 12 * HOUR - 1)).toEqual({ sub: 'you', role: 'ADMIN', scopeUnitId: null });
    expect(() => verifyToken(token, SECRET, NOW + 12 * HOUR)).toThrow('the token has expired');
  });

  it('prints only the token on stdout, so that TOKEN=$(npm run --silent token …) works', () => {
    const { code, out, err } = run([
      '--role',
      'OFFICER',
      '--scope',
      '0190a000-0000-7000-8000-000000000001',
      '--sub',
      'li',
    ]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(verifyToken(out.trim(), SECRET, NOW).scopeUnitId).toBe('0190a000-0000-7000-8000-000000000001');
  });

  it.each([
    ['90s', 90],
    ['30m', 30 * 60],
    ['12h', 12 * HOUR],
    ['7d', 7 * 24 * HOUR],
    ['365d', 365 * 24 * HOUR],
  ])('--expires-in %s → exp = iat + %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    const { token } = issueToken(['--role', 'AUDITOR', '--sub', 'a', '--expires-in', text], ENV, NOW);
    expect(claimsOf(token).exp).toBe(NOW + seconds);
  });

  it.each(['0h', '12', 'h', '1.5h', '12H', ' 12h', '-1h', '12 h', '2w', '366d', '99999999999d'])(
    'refuses --expires-in %j with the usage, exit 2',
    (text) => {
      const { code, out, err } = run(['--role', 'ADMIN', '--sub', 'you', '--expires-in', text]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/^token: --expires-in .* (is not a duration|is longer than 365d)/);
      expect(err).toContain('usage: npm run --silent token');
    },
  );

  it('--no-expiry issues a token without exp, with a warning on stderr; it excludes --expires-in', () => {
    const { code, out, err } = run(['--role', 'ADMIN', '--sub', 'you', '--no-expiry']);
    expect(code).toBe(0);
    expect(err).toBe(`token: ${NO_EXPIRY_WARNING}\n`);
    expect(claimsOf(out.trim())).toEqual({ sub: 'you', role: 'ADMIN', iat: NOW });
    expect(verifyToken(out.trim(), SECRET, NOW + 10 * 365 * 24 * HOUR).sub).toBe('you');
    expect(run(['--role', 'ADMIN', '--sub', 'you', '--no-expiry', '--expires-in', '1h']).err).toMatch(
      /^token: --expires-in and --no-expiry exclude each other/,
    );
  });

  it.each<[string[], string]>([
    [['--role', 'ADMIN', '--sub', '   '], 'token: --sub: sub must be a non-empty name'],
    [['--role', 'ADMIN', '--sub', ' li'], 'token: --sub: sub must not begin or end with whitespace'],
    [['--role', 'ADMIN', '--sub', 'li\u202e'], 'token: --sub: sub must not contain control or invisible characters'],
    [['--role', 'ADMIN'], 'token: --sub NAME is required'],
    [['--role', 'ROOT', '--sub', 'x'], 'token: --role must be one of ADMIN, SUPERVISOR, OFFICER, AUDITOR'],
    [['--role', 'AUDITOR', '--sub', 'x', '--role', 'ADMIN'], 'token: --role is given twice'],
    [
      ['--role', 'OFFICER', '--sub', 'x', '--scope', 'county-1'],
      'token: --scope must be a unit id (a UUID as the API writes it), not "county-1"',
    ],
    [['--role', 'ADMIN', '--sub', 'x', '--expires-in-hours', '1'], 'token: unknown option --expires-in-hours'],
    [['--role', 'ADMIN', '--sub', 'x', '--constructor', '1'], 'token: unknown option --constructor'],
  ])('refuses %j with a sentence and the usage, exit 2', (argv, message) => {
    const { code, out, err } = run(argv);
    expect({ code, out, firstLine: err.split('\n')[0] }).toEqual({ code: 2, out: '', firstLine: message });
  });

  it('refuses a weak production secret as the server does, naming the variable', () => {
    const { code, out, err } = run(['--role', 'ADMIN', '--sub', 'you'], {
      NODE_ENV: 'production',
      LOOKBACK_JWT_SECRET: 'hunter2',
      LOOKBACK_AUDIT_KEY: 'a'.repeat(32),
    });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^token: configuration error: LOOKBACK_JWT_SECRET /);
    expect(err).not.toContain('hunter2');
  });
});
