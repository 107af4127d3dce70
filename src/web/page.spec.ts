import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerPage } from './page.js';

describe('the page at / (what the build wrote to dist/web)', () => {
  let folder: string;
  let fastify: FastifyInstance;
  const script = `console.log(${JSON.stringify('页面'.repeat(2000))});`;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lookback-web-'));
    mkdirSync(join(folder, 'assets'));
    mkdirSync(join(folder, '.vite'));
    writeFileSync(
      join(folder, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
    );
    writeFileSync(join(folder, 'assets', 'index-abc123.js'), script);
    writeFileSync(join(folder, '.vite', 'manifest.json'), '{}');
    fastify = Fastify();
    registerPage(fastify, folder);
    await fastify.ready();
  });
  afterAll(async () => {
    await fastify.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers / with index.html, revalidated, under a policy that allows only its own scripts and connections', async () => {
    const res = await fastify.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toMatch(
      /default-src 'self'; script-src 'self';.*connect-src 'self'/,
    );
    expect(res.body).toContain('/assets/index-abc123.js');
  });

  it('serves the content-hashed assets cached for good, gzipped for a browser that accepts it', async () => {
    const plain = await fastify.inject({ url: '/assets/index-abc123.js' });
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.body).toBe(script);
    const gzipped = await fastify.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(script);
    expect(gzipped.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 10);
  });

  it('does not serve the build manifest or anything it does not have', async () => {
    expect((await fastify.inject({ url: '/.vite/manifest.json' })).statusCode).toBe(404);
    expect((await fastify.inject({ url: '/assets/other.js' })).statusCode).toBe(404);
  });

  it('says how to build the page when it is not built', async () => {
    const bare = Fastify();
    registerPage(bare, join(folder, 'nothing-here'));
    const res = await bare.inject({ url: '/' });
    expect(res.body).toMatch(/npm run build/);
    await bare.close();
  });
});
