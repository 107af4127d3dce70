import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignClient } from '../support/campaign-client.js';
import { ensureBuilt, ROOT } from '../support/instance-process.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/** `npm run audit -- export … | head -1`: the reader closes the pipe early, and the CLI stops without a word. */
(process.env.LOOKBACK_TEST_DB === 'pg' ? describe.skip : describe)(
  'the audit CLI on a pipe closed by its reader',
  () => {
    let sut: TestApp;
    let dir: string;
    beforeAll(async () => {
      ensureBuilt();
      dir = mkdtempSync(join(tmpdir(), 'lookback-pipe-'));
      sut = await startTestApp({ database: { type: 'sqlite', path: join(dir, 'audit.db') } });
      // a build of dist/ may come first
    }, 300_000);
    afterAll(async () => {
      await sut.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(['ndjson', 'csv'])(
      'export --format %s into a pipe already closed: exit 0, nothing on stderr',
      async (format) => {
        const id = await new CampaignClient(sut, ADMIN).createUnit('管道村', 'GRASSROOTS');
        await new CampaignClient(sut, ADMIN).mutate('fileStudyPlan', { unitId: id, topics: ['党章'], plannedDays: 2 });
        const child = spawn(
          process.execPath,
          [join(ROOT, 'dist', 'src', 'cli', 'audit.js'), 'export', '--unit', id, '--format', format],
          {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: {
              PATH: process.env.PATH ?? '',
              DATABASE_URL: `sqlite:${join(dir, 'audit.db')}`,
              LOOKBACK_AUDIT_KEY: sut.config.auditKey!,
            },
          },
        );
        // like `head -1` that has already gone: the read end is closed before the CLI writes its first line
        child.stdout.destroy();
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
        const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      },
    );
  },
);
