import { jest } from '@jest/globals';
import type { Principal } from '../../src/auth/principal.js';
import { raw, type RawRequest } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

/** What one request makes the server write to stdout (its JSON log lines), and the answer. */
async function logged(sut: TestApp, request: RawRequest) {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write);
  try {
    const answer = await raw(sut, request);
    const text = chunks.join('');
    const lines = text.split('\n').filter((line) => line !== '');
    return { answer, bytes: Buffer.byteLength(text), lines, entries: lines.map((line) => JSON.parse(line)) };
  } finally {
    spy.mockRestore();
  }
}

const OUTSIDER: Principal = {
  sub: 'officer-elsewhere',
  role: 'OFFICER',
  scopeUnitId: '0190a000-0000-7000-8000-00000000beef',
};

describe('request logs of a production app: bounded, whatever the client sends', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ production: true, logLevel: 'info' });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('a 20 KB request refused in 50 places writes one line without a stack, its operation name cut', async () => {
    const operationName = `Probe${'X'.repeat(5_000)}`;
    const fields = Array.from(
      { length: 50 },
      (_, i) => `a${i}: unit(id: "0190a000-0000-7000-8000-${String(i).padStart(12, '0')}") { name }`,
    );
    const document = `query ${operationName} {\n${fields.join('\n')}\n}\n# ${'padding '.repeat(850)}`;
    const body = { query: document, operationName };
    expect(JSON.stringify(body).length).toBeGreaterThan(20_000);
    expect(JSON.stringify(body).length).toBeLessThan(21_000);

    const { answer, bytes, entries } = await logged(sut, { body, as: OUTSIDER });

    expect(answer.json.errors).toHaveLength(50);
    expect(new Set(answer.json.errors.map((e: any) => e.extensions.code))).toEqual(new Set(['FORBIDDEN']));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 30,
      errorCount: 50,
      codes: { FORBIDDEN: 50 },
      err: { code: 'FORBIDDEN', type: 'GraphQLError' },
    });
    expect(entries[0].err.stack).toBeUndefined();
    expect(entries[0].operationName).toBe(`${operationName.slice(0, 200)}…(+${operationName.length - 200})`);
    expect(bytes).toBeLessThan(1_000);
  });

  it('an error message that echoes 20 KB of input is cut to 200 characters and a "…(+N)" marker', async () => {
    const cursor = 'C'.repeat(20_000);
    const { answer, bytes, entries } = await logged(sut, {
      body: { query: `{ units(first: 1, after: "${cursor}") { edges { cursor } } }` },
      as: ADMIN,
    });
    expect(answer.json.errors[0]).toMatchObject({
      message: `after: "${cursor}" is not a cursor from this service.`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0].err).toEqual({
      type: 'GraphQLError',
      code: 'BAD_USER_INPUT',
      path: 'units',
      message: `after: "${'C'.repeat(192)}…(+19844)`,
    });
    expect(bytes).toBeLessThan(1_000);
  });

  it('so is a document error that quotes a variable, which is now logged with its own message', async () => {
    const { answer, entries } = await logged(sut, {
      body: { query: 'query($id: ID!) { unit(id: $id) { name } }', variables: { id: { huge: 'A'.repeat(20_000) } } },
      as: ADMIN,
    });
    expect(answer.json.errors[0].message).toContain('A'.repeat(20_000));
    expect(entries).toHaveLength(1);
    expect(entries[0].err.message).toMatch(/^Variable "\$id" got invalid value \{ huge: "A+…\(\+\d+\)$/);
    expect(entries[0].err.message.length).toBeLessThan(220);
  });

  it('an unexpected error keeps its stack, logged once, its message cut there too', async () => {
    const clock = sut.clock as unknown as { now(): Date };
    const now = clock.now;
    clock.now = () => {
      throw new TypeError(`clock broke: ${'Z'.repeat(5_000)}`);
    };
    try {
      const { answer, entries } = await logged(sut, {
        body: {
          query: 'mutation($i: CreateUnitInput!) { createUnit(input: $i) { __typename } }',
          variables: { i: { name: 'x', kind: 'GRASSROOTS', parentId: null, leaderCount: 0 } },
        },
        as: ADMIN,
      });
      expect(answer.json.errors.map((e: any) => e.message)).toEqual(['Internal server error']);
      expect(entries).toHaveLength(1);
      const [entry] = entries;
      expect(entry).toMatchObject({ level: 50, path: 'createUnit', err: { type: 'TypeError' } });
      // 'TypeError: clock broke: ' and 5,000 Z: the first 200 characters, then how many more
      expect(entry.err.stack).toMatch(/^TypeError: clock broke: Z{176}…\(\+4824\)\n {4}at /);
      expect(entry.msg).toBe(`clock broke: ${'Z'.repeat(187)}…(+4813)`);
    } finally {
      clock.now = now;
    }
  });
});
