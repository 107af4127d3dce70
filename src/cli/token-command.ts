import { ConfigError, loadConfig } from '../config/app-config.js';
import { signToken } from '../auth/jwt.js';
import { ROLES, subProblem, type Role } from '../auth/principal.js';
import { UUID_PATTERN } from '../common/ids.js';
import { CliArgumentError, parseArgs } from './cli-args.js';

const USAGE =
  'usage: npm run --silent token -- --role ADMIN|SUPERVISOR|OFFICER|AUDITOR [--scope UNIT_ID] --sub NAME [--expires-in 12h | --no-expiry]\n' +
  '  --expires-in  how long the token is valid: a whole number of s, m, h or d (default 12h, at most 365d)\n' +
  '  --no-expiry   a token that never expires (printed with a warning)';

/** A working day's session: long enough for the README's walk-through, short enough that a copied token dies. */
export const DEFAULT_EXPIRY = '12h';
const MAX_EXPIRY_SECONDS = 365 * 86_400;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export const NO_EXPIRY_WARNING =
  'warning: this token never expires: whoever holds a copy keeps its access until LOOKBACK_JWT_SECRET is changed.';

/** `30m`, `12h`, `7d` (or `90s`) → seconds. */
export function parseDuration(text: string): number {
  const match = /^([1-9][0-9]{0,8})([smhd])$/.exec(text);
  if (!match)
    throw new CliArgumentError(
      `--expires-in ${text} is not a duration: use a whole number and a unit, e.g. 30m, 12h or 7d`,
    );
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  if (seconds > MAX_EXPIRY_SECONDS)
    throw new CliArgumentError(
      `--expires-in ${text} is longer than 365d: use --no-expiry for a token that never expires`,
    );
  return seconds;
}

export interface IssuedToken {
  token: string;
  /** for stderr; null when there is nothing to say */
  warning: string | null;
}

/** The token `npm run token` prints for these arguments, issued at `nowSeconds`. */
export function issueToken(argv: string[], env: NodeJS.ProcessEnv, nowSeconds: number): IssuedToken {
  const { positional, options } = parseArgs(argv, {
    role: 'value',
    scope: 'value',
    sub: 'value',
    'expires-in': 'value',
    'no-expiry': 'flag',
  });
  if (positional.length > 0) throw new CliArgumentError(`unexpected argument ${positional[0]}`);
  const role = options.role as string | undefined;
  if (!role || !ROLES.includes(role as Role)) throw new CliArgumentError(`--role must be one of ${ROLES.join(', ')}`);
  const sub = options.sub as string | undefined;
  if (sub === undefined) throw new CliArgumentError('--sub NAME is required');
  const problem = subProblem(sub);
  if (problem) throw new CliArgumentError(`--sub: ${problem}`);
  const scope = (options.scope as string | undefined) ?? null;
  if (scope !== null && !UUID_PATTERN.test(scope))
    throw new CliArgumentError(`--scope must be a unit id (a UUID as the API writes it), not ${JSON.stringify(scope)}`);
  const noExpiry = options['no-expiry'] === true;
  if (noExpiry && options['expires-in'] !== undefined)
    throw new CliArgumentError('--expires-in and --no-expiry exclude each other');
  const expiresInSeconds = noExpiry
    ? undefined
    : parseDuration((options['expires-in'] as string | undefined) ?? DEFAULT_EXPIRY);
  const config = loadConfig(env);
  const token = signToken({ sub, role: role as Role, scopeUnitId: scope }, config.jwtSecret, {
    nowSeconds,
    expiresInSeconds,
  });
  return { token, warning: noExpiry ? NO_EXPIRY_WARNING : null };
}

export interface TokenIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: TokenIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** `npm run token`: the token on stdout (so `TOKEN=$(…)` takes it), anything else on stderr; 0, or 2 on a mistake. */
export function runToken(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: TokenIo = processIo,
  nowSeconds = Math.floor(Date.now() / 1000),
): number {
  try {
    const { token, warning } = issueToken(argv, env, nowSeconds);
    if (warning) io.err(`token: ${warning}\n`);
    io.out(`${token}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) io.err(`token: configuration error: ${error.message}\n`);
    else if (error instanceof CliArgumentError) io.err(`token: ${error.message}\n${USAGE}\n`);
    else throw error;
    return 2;
  }
}
