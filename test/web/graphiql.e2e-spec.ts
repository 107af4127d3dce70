import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GraphiQL at /graphiql', () => {
  describe('outside production', () => {
    let sut: TestApp;
    beforeAll(async () => {
      sut = await startTestApp();
    });
    afterAll(async () => sut.close());

    it('is a page whose scripts and styles are all served by the service (nothing from the internet)', async () => {
      const page = await fetch(`${sut.url}/graphiql`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets).toEqual([
        '/graphiql/graphiql.min.css',
        '/graphiql/react.production.min.js',
        '/graphiql/react-dom.production.min.js',
        '/graphiql/graphiql.min.js',
        '/graphiql/start.js',
      ]);
      for (const asset of assets) {
        const response = await fetch(`${sut.url}${asset}`);
        expect([asset, response.status]).toEqual([asset, 200]);
        expect(response.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
      }
      expect(html).not.toMatch(/https?:\/\//);
    });

    it('opens with the header editor prefilled for the bearer token (the signed-in token, or how to get one)', async () => {
      const start = await (await fetch(`${sut.url}/graphiql/start.js`)).text();
      expect(start).toMatch(
        /Authorization: 'Bearer ' \+ \(token \|\| "<paste a token: npm run --silent token -- --role ADMIN --sub you>"\)/,
      );
      expect(start).toMatch(/isHeadersEditorEnabled: true/);
      expect(start).toMatch(/defaultEditorToolsVisibility: 'headers'/);
      expect(start).not.toMatch(/https?:\/\//);
    });

    it('answers 404 for a file it does not have', async () => {
      expect((await fetch(`${sut.url}/graphiql/nothing.js`)).status).toBe(404);
    });
  });

  it('is not served in production', async () => {
    const sut = await startTestApp({ production: true });
    try {
      expect((await fetch(`${sut.url}/graphiql`)).status).toBe(404);
      expect((await fetch(`${sut.url}/graphiql/graphiql.min.js`)).status).toBe(404);
    } finally {
      await sut.close();
    }
  });
});
