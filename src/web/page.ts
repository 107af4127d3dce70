import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { filesUnder, projectRoot, StaticFile } from './static-files.js';

/**
 * The page runs only its own scripts and talks only to this service (GraphQL over HTTP and WebSocket); the statechart
 * renderer writes inline styles into its SVG.
 */
const POLICY = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Lookback</title>
<p>The page is not built yet: run <code>npm run build</code> (or <code>npm start</code>, which builds what is missing).</p>
<p>GraphQL is served at <code>/graphql</code>.</p></html>`;

/**
 * The page people open (office, supervisors, auditors): the files `npm run build` writes to dist/web, served at `/`
 * from memory. Vite names every asset after its content, so those are cached for good; index.html is revalidated.
 */
export function registerPage(fastify: FastifyInstance, folder = join(projectRoot(), 'dist', 'web')): number {
  const files = filesUnder(folder, (path) => path.startsWith('/assets/'));
  const built = files.get('/index.html');
  const index = new StaticFile(built?.body ?? Buffer.from(NOT_BUILT), 'text/html; charset=utf-8', false, POLICY);
  fastify.get('/', (request, reply) => index.send(request, reply));
  // dist/web/.vite holds the build's manifest (for the size script), not a file for browsers
  for (const [path, file] of files)
    if (path !== '/index.html' && !path.startsWith('/.'))
      fastify.get(path, (request, reply) => file.send(request, reply));
  return files.size;
}
