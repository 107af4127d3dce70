import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EXIT_FAILED, startServer } from '../../src/start-server.js';

/** What an operator sees when `npm start` cannot open its database. */
describe('operators are told which setting is wrong', () => {
  let out: string[];
  let err: string[];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const start = (env: NodeJS.ProcessEnv) =>
    startServer({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'fatal', LOOKBACK_NO_DEMO: '1', ...env }, io);
  beforeEach(() => {
    out = [];
    err = [];
  });

  it('an unreachable PostgreSQL names DATABASE_URL and PostgreSQL, not only "connect ECONNREFUSED"', async () => {
    expect(await start({ DATABASE_URL: 'postgres://lookback:secret@127.0.0.1:1/x' })).toBe(EXIT_FAILED);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^lookback: failed to start: cannot open the PostgreSQL database of DATABASE_URL \(postgres:\/\/lookback:\*\*\*@127\.0\.0\.1:1\/x\): .*ECONNREFUSED/,
    );
    expect(err[0]).not.toContain('secret');
  });

  it('a SQLite path whose folder does not exist is refused, not created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookback-paths-'));
    try {
      const missing = join(dir, 'no', 'such', 'dir');
      expect(await start({ DATABASE_URL: `sqlite:${join(missing, 'x.db')}` })).toBe(EXIT_FAILED);
      expect(err[0]).toContain(`the folder ${missing} does not exist`);
      expect(existsSync(join(dir, 'no'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the default data/ folder is created for a first start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookback-default-'));
    const cwd = process.cwd();
    process.chdir(dir);
    let app: NestFastifyApplication | number | undefined;
    try {
      app = await start({});
      expect(typeof app).not.toBe('number');
      expect(existsSync(join(dir, 'data', 'lookback.db'))).toBe(true);
    } finally {
      if (app && typeof app !== 'number') await app.close();
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
