import { ConfigError, loadConfig } from '../config/app-config.js';
import { signToken } from '../auth/jwt.js';
import { ROLES, type Role } from '../auth/principal.js';
import { parseArgs } from './cli-args.js';

const USAGE = 'usage: npm run --silent token -- --role ADMIN|SUPERVISOR|OFFICER|AUDITOR [--scope UNIT_ID] --sub NAME [--expires-in-hours N]';

/** Prints a bearer token signed with LOOKBACK_JWT_SECRET (the dev secret outside production, like the server). */
function main(): number {
  try {
    const { positional, options } = parseArgs(process.argv.slice(2), { role: 'value', scope: 'value', sub: 'value', 'expires-in-hours': 'value' });
    if (positional.length > 0) throw new Error(`unexpected argument ${positional[0]}`);
    const role = options.role as string | undefined;
    if (!role || !ROLES.includes(role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const sub = options.sub as string | undefined;
    if (!sub || sub.trim() === '' || sub.length > 200) throw new Error('--sub NAME is required (1–200 characters)');
    const hours = options['expires-in-hours'] === undefined ? null : Number(options['expires-in-hours']);
    if (hours !== null && (!Number.isFinite(hours) || hours <= 0)) throw new Error('--expires-in-hours must be a positive number');
    const config = loadConfig(process.env);
    const token = signToken({ sub, role: role as Role, scopeUnitId: (options.scope as string | undefined) ?? null }, config.jwtSecret, {
      expiresInSeconds: hours === null ? undefined : Math.round(hours * 3600),
    });
    process.stdout.write(token + '\n');
    return 0;
  } catch (error) {
    const message = error instanceof ConfigError ? `configuration error: ${error.message}` : (error as Error).message;
    process.stderr.write(`token: ${message}\n${USAGE}\n`);
    return 2;
  }
}

process.exitCode = main();
