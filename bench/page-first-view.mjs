/* global window, document, performance, MutationObserver, fetch -- the functions given to page.evaluate run in the browser */
// npm run bench:page: how long the first view of the demo province takes in Debian's Chromium — from navigation to the
// rollup and the children table on screen — against the service started as `npm start` starts it (a new SQLite
// database with the demo province). The reference, measured in the same run: the same view's GraphQL query alone,
// sent from Node. Prints figures, no verdict beyond the 1 s target.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS ?? 5);
const TARGET_MS = 1000;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

// what the subtree view asks for (web/src/queries.ts SUBTREE)
const VIEW_QUERY = `query($id: ID!) {
  unit(id: $id) {
    id name kind parent { id name } status { phase }
    rollup { unitId units launched progressIndex completedShare openFindings unitsWithOpenFindings reforgesBegun
      refusedStageEvents(sinceDays: 7) byPhase { phase count } imbalance { spread uneven laggingChildren } }
    children(first: 100) { edges { node { id name kind status { phase }
      rollup { unitId units progressIndex completedShare openFindings refusedStageEvents(sinceDays: 7) } } } }
  }
  laggards(underId: $id, first: 20) { edges { node { id name kind status { phase } } } }
  rushing(underId: $id, first: 20) { edges { node { id name kind status { phase } } } }
}`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'lookback-page-'));
const port = await freePort();
const env = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
  LOOKBACK_LOG_LEVEL: 'warn',
};
delete env.NODE_ENV;
const server = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
let browser;
try {
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => String(chunk).includes('Lookback is serving') && resolve());
    server.on('exit', (code) => reject(new Error(`the service exited (${code})`)));
  });
  const token = spawnSync(
    process.execPath,
    [join(root, 'dist', 'src', 'cli', 'token.js'), '--role', 'ADMIN', '--sub', 'bench'],
    { env, encoding: 'utf8' },
  ).stdout.trim();
  const gql = async (query, variables = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()).data;
  };
  const province = (await gql('{ units(first: 1) { edges { node { id name } } } }')).units.edges[0].node;

  browser = await chromium.launch({
    executablePath: process.env.LOOKBACK_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const view = [];
  const wall = [];
  const phases = [];
  const reference = [];
  for (let run = 0; run < RUNS; run++) {
    // a new browser context each run: nothing cached, the token already pasted
    const context = await browser.newContext();
    await context.addInitScript((t) => {
      window.localStorage.setItem('lookback.token', t);
      // the moment (ms since navigation start) the children table first has a row
      new MutationObserver((_, observer) => {
        if (document.querySelector('table.children tbody tr')) {
          window.__firstView = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, token);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${url}/#/subtree/${province.id}`);
    await page
      .locator('table.children tbody tr')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async (error) => {
        console.error(await page.locator('body').innerText());
        throw error;
      });
    wall.push(Date.now() - started);
    view.push(Math.round(await page.evaluate(() => window.__firstView)));
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const query = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/graphql'));
      return {
        html: Math.round(nav.responseEnd),
        scripts: Math.round(nav.domContentLoadedEventEnd),
        graphql: query.map((q) => `${Math.round(q.startTime)}–${Math.round(q.responseEnd)}`).join(', '),
      };
    });
    phases.push(timing);
    await context.close();

    const t0 = Date.now();
    await gql(VIEW_QUERY, { id: province.id });
    reference.push(Date.now() - t0);
  }
  const v = median(view);
  const r = median(reference);
  console.log(
    `first view of ${province.name} (rollup + children table), from navigation start, new browser context each, ${RUNS} runs:`,
  );
  console.log(
    `  median ${v} ms (min ${Math.min(...view)}, max ${Math.max(...view)}) — target ${TARGET_MS} ms: ${v <= TARGET_MS ? 'within' : 'OVER'}`,
  );
  console.log(
    `  wall clock from goto() in a new context (the browser's own start-up of a page included): median ${median(wall)} ms`,
  );
  for (const p of phases)
    console.log(`  run: html ${p.html} ms, scripts ready ${p.scripts} ms, GraphQL ${p.graphql} ms`);
  console.log(
    `  reference, the view's GraphQL query alone from Node: median ${r} ms; the view costs ${(v / Math.max(r, 1)).toFixed(1)}× it`,
  );
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
