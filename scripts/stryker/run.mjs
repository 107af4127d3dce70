#!/usr/bin/env node
// `npm run test:mutation [-- --mutate 'src/commands/**/*.ts' …]`: Stryker with this project's config. A `--mutate`
// given on the command line replaces the config's list, so the exclusions (tests, type-only files, modules, models)
// are appended to it here; every other argument goes to `stryker run` as is.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXCLUDED } from '../../stryker.config.mjs';

const args = process.argv.slice(2).map((arg, i, all) => {
  if (all[i - 1] === '--mutate' || all[i - 1] === '-m') return [arg, ...EXCLUDED].join(',');
  if (arg.startsWith('--mutate=')) return `--mutate=${[arg.slice('--mutate='.length), ...EXCLUDED].join(',')}`;
  return arg;
});
const stryker = fileURLToPath(new URL('../../node_modules/@stryker-mutator/core/bin/stryker.js', import.meta.url));
const { status } = spawnSync(process.execPath, [stryker, 'run', ...args], { stdio: 'inherit' });
process.exit(status ?? 1);
