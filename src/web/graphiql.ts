import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { StaticFile } from './static-files.js';

/** The three libraries GraphiQL runs on, from their npm packages (nothing fetched from the internet). */
const ASSETS: Readonly<Record<string, [string, string]>> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css'],
};

const HINT = 'paste a token: npm run --silent token -- --role ADMIN --sub you';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lookback · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/start.js"></script>
</body>
</html>
`;

// The header editor starts with the bearer token the page signed in with, or a line that says how to get one.
const START = `(function () {
  var token = null;
  try { token = window.localStorage.getItem('lookback.token'); } catch (e) { token = null; }
  var headers = JSON.stringify({ Authorization: 'Bearer ' + (token || ${JSON.stringify(`<${HINT}>`)}) }, null, 2);
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: headers,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: '# ${HINT.replace(/'/g, "\\'")}\\n{\\n  serverTime\\n  units(first: 5) { edges { node { id name kind status { phase } } } }\\n}\\n'
    })
  );
})();
`;

/**
 * GraphiQL at /graphiql, served by the service from the npm packages (graphiql, react, react-dom), so it works on
 * a network without internet; its header editor is prefilled for the bearer token. Outside production only: the
 * caller does not register it there. Without the packages (a production install), nothing is registered.
 */
export function registerGraphiql(fastify: FastifyInstance): boolean {
  const require = createRequire(import.meta.url);
  const files = new Map<string, StaticFile>();
  try {
    for (const [name, [pkg, file]] of Object.entries(ASSETS)) {
      files.set(name, StaticFile.of(join(dirname(require.resolve(`${pkg}/package.json`)), file)));
    }
  } catch {
    return false;
  }
  files.set('start.js', new StaticFile(Buffer.from(START), 'text/javascript; charset=utf-8', false));
  const page = new StaticFile(Buffer.from(PAGE), 'text/html; charset=utf-8', false);
  fastify.get('/graphiql', (request, reply) => page.send(request, reply));
  fastify.get<{ Params: { file: string } }>('/graphiql/:file', (request, reply) => {
    const file = files.get(request.params.file);
    return file ? file.send(request, reply) : reply.code(404).send({ message: 'Not found' });
  });
  return true;
}
