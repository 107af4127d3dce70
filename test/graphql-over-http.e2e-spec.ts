import { auditServer } from 'graphql-http';
import { ADMIN, startTestApp, TestApp } from './support/test-app.js';

describe('GraphQL over HTTP (graphql-http audit)', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  /** every GraphQL request needs a bearer token: the audit's requests carry one */
  const withToken = (input: string | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${sut.token(ADMIN)}`);
    return fetch(input, { ...init, headers });
  };

  it('passes every MUST and SHOULD of the spec', async () => {
    const results = await auditServer({ url: `${sut.url}/graphql`, fetchFn: withToken });
    const failures = results
      .filter((r) => r.status === 'error' || r.status === 'warn')
      .map((r) => `${r.status} ${r.id} ${r.name}`);
    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });

  it('answers plain JSON clients 200 on a validation error, and graphql-response+json clients 400 without data', async () => {
    const body = JSON.stringify({ query: '{ noSuchField }' });
    const json = await withToken(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({
      data: null,
      errors: [expect.objectContaining({ message: expect.stringMatching(/noSuchField/) })],
    });
    const gr = await withToken(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body,
    });
    expect(gr.status).toBe(400);
    expect(gr.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await gr.json()).not.toHaveProperty('data');
  });

  it('reports the database in GET /health', async () => {
    const res = await fetch(`${sut.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', dialect: sut.db.dialect } },
    });
  });
});
