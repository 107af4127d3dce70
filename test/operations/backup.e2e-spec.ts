import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runAudit } from '../../src/cli/audit-command.js';
import { runBackup } from '../../src/cli/backup-command.js';
import { CampaignClient } from '../support/campaign-client.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DATABASE_URL, TEST_ON_POSTGRES } from '../support/test-database.js';

const io = () => {
  const captured = { out: '', err: '' };
  return {
    captured,
    io: { out: (t: string) => (captured.out += t), err: (t: string) => (captured.err += t), tty: false },
  };
};

async function verifyAt(url: string, auditKey: string): Promise<{ code: number; out: string }> {
  const { captured, io: sink } = io();
  const code = await runAudit(['verify'], { DATABASE_URL: url, LOOKBACK_AUDIT_KEY: auditKey }, sink);
  return { code, out: captured.out };
}

/** Units with a little history each, created through the API. */
async function someHistory(client: CampaignClient, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await client.createUnit(`备份村${i}`, 'GRASSROOTS');
    await client.mutate('fileStudyPlan', { unitId: id, topics: ['党章'], plannedDays: 2 });
    ids.push(id);
  }
  return ids;
}

(TEST_ON_POSTGRES ? describe.skip : describe)('SQLite backup and restore (npm run backup / restore)', () => {
  let sut: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lookback-backup-'));
    sut = await startTestApp({ database: { type: 'sqlite', path: join(dir, 'live.db') } });
  });
  afterAll(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken while commands keep arriving restores to a database whose every history verifies', async () => {
    const client = new CampaignClient(sut, ADMIN);
    const before = await someHistory(client, 5);
    // writes keep arriving during the backup
    let writing = true;
    const load = (async () => {
      let i = 0;
      while (writing)
        await client.mutate('fileStudyPlan', {
          unitId: before[i++ % before.length],
          topics: [`修订${i}`],
          plannedDays: 3,
        });
    })();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'live.db')}` };
    const backup = io();
    expect(await runBackup('backup', [join(dir, 'copy.db')], env, backup.io)).toBe(0);
    writing = false;
    await load;
    expect(backup.captured.out).toMatch(/^backed up .* to .*copy\.db: \d+ units, \d+ events\n$/);

    const restoredEnv = { DATABASE_URL: `sqlite:${join(dir, 'restored.db')}` };
    const restored = io();
    expect(await runBackup('restore', [join(dir, 'copy.db')], restoredEnv, restored.io)).toBe(0);
    const verified = await verifyAt(restoredEnv.DATABASE_URL, sut.config.auditKey!);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/^OK: (\d+) units/m);
    expect(Number(/^OK: (\d+) units/m.exec(verified.out)![1])).toBeGreaterThanOrEqual(before.length);
  });

  it('restore refuses to overwrite a database without --force, and refuses a file that is not a Lookback backup', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'restored.db')}` };
    const again = io();
    expect(await runBackup('restore', [join(dir, 'copy.db')], env, again.io)).toBe(2);
    expect(again.captured.err).toContain('exists: stop every instance, then restore with --force');
    expect(await runBackup('restore', [join(dir, 'copy.db'), '--force'], env, io().io)).toBe(0);

    writeFileSync(join(dir, 'notes.txt'), 'not a database');
    const junk = io();
    expect(await runBackup('restore', [join(dir, 'notes.txt'), '--force'], env, junk.io)).toBe(2);
    expect(junk.captured.err).toContain('is not a Lookback database');
    expect((await verifyAt(env.DATABASE_URL, sut.config.auditKey!)).code).toBe(0);
  });

  it('backup and restore say what they need on PostgreSQL, and what is wrong with their arguments', async () => {
    const onPg = io();
    expect(await runBackup('backup', ['x.dump'], { DATABASE_URL: 'postgres://u@127.0.0.1:5432/x' }, onPg.io)).toBe(2);
    expect(onPg.captured.err).toContain('on PostgreSQL use pg_dump and pg_restore');
    const none = io();
    expect(await runBackup('backup', [], { DATABASE_URL: `sqlite:${join(dir, 'live.db')}` }, none.io)).toBe(2);
    expect(none.captured.err).toContain('backup needs one FILE');
  });
});

(TEST_ON_POSTGRES ? describe : describe.skip)(
  'PostgreSQL: the pg_dump / pg_restore recipe of docs/operations.md',
  () => {
    it('a dump restored into a new database verifies', async () => {
      const sut = await startTestApp();
      const database = `lookback_restore_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      const dir = mkdtempSync(join(tmpdir(), 'lookback-pgdump-'));
      try {
        await someHistory(new CampaignClient(sut, ADMIN), 3);
        const config = sut.config.database as { url: string; schema: string };
        const dump = join(dir, 'lookback.dump');
        execFileSync('pg_dump', ['--format=custom', `--schema=${config.schema}`, `--file=${dump}`, TEST_DATABASE_URL]);
        await admin.query(`CREATE DATABASE ${database}`);
        const target = new URL(TEST_DATABASE_URL);
        target.pathname = `/${database}`;
        execFileSync('pg_restore', ['--no-owner', `--dbname=${target.toString()}`, dump]);
        target.searchParams.set('schema', config.schema);
        const verified = await verifyAt(target.toString(), sut.config.auditKey!);
        expect(verified.out).toMatch(/^OK: [1-9]\d* units/m);
        expect(verified.code).toBe(0);
      } finally {
        await sut.close();
        await admin.query(`DROP DATABASE IF EXISTS ${database}`);
        await admin.end();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
