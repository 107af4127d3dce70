// Builds dist/ if any source is newer than the last build (tsc --incremental makes a no-op build cheap).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.tsbuildinfo');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

export function ensureBuilt() {
  const sources = ['src', 'machines', 'bench', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json']
    .map((p) => join(root, p))
    .filter(existsSync);
  if (existsSync(stamp) && Math.max(...sources.map(newest)) <= statSync(stamp).mtimeMs) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error('lookback: the build failed (see above).');
    process.exit(result.status ?? 1);
  }
}

/** Builds the page (web/ → dist/web) if any of its sources is newer than the last build. */
export function ensureWebBuilt() {
  const page = join(root, 'dist', 'web', 'index.html');
  const sources = [join(root, 'web')].filter(existsSync);
  if (sources.length === 0) return;
  if (existsSync(page) && Math.max(...sources.map(newest)) <= statSync(page).mtimeMs) return;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    console.error(
      'lookback: the page (web/) is not built and Vite is not installed (npm install): serving GraphQL only.',
    );
    return;
  }
  const result = spawnSync(process.execPath, [vite, 'build', '-c', join(root, 'web', 'vite.config.mjs')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error("lookback: the page's build failed (see above).");
    process.exit(result.status ?? 1);
  }
}

// node scripts/ensure-built.mjs: the service; with --web: the page only
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--web')) ensureWebBuilt();
  else ensureBuilt();
}
