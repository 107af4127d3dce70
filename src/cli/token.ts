import { runToken } from './token-command.js';

/** Prints a bearer token signed with LOOKBACK_JWT_SECRET (the dev secret outside production, like the server). */
process.exitCode = runToken(process.argv.slice(2), process.env);
