import { Readiness } from '../../src/health/readiness.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health for a balancer', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('/health/live answers while the process runs; /health/ready checks the database and its migrations', async () => {
    expect(await (await fetch(`${sut.url}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${sut.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as any;
    expect(body.status).toBe('ok');
    expect(body.info.database).toMatchObject({ status: 'up', dialect: sut.db.dialect });
    expect(body.info.migrations).toMatchObject({ status: 'up' });
  });

  it('/health/ready is 503 while a registered check fails (e.g. a LISTEN connection down), live stays 200', async () => {
    let up = false;
    sut.app.get(Readiness).register({
      name: 'listener',
      check: async () => {
        if (!up) throw new Error('the LISTEN connection is down');
        return { connected: true };
      },
    });
    const down = await fetch(`${sut.url}/health/ready`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as any;
    expect(body.error.listener).toMatchObject({ status: 'down' });
    expect((await fetch(`${sut.url}/health/live`)).status).toBe(200);
    up = true;
    expect((await fetch(`${sut.url}/health/ready`)).status).toBe(200);
  });
});
