import { runAudit } from '../../../src/cli/audit-command.js';
import type { TestApp } from '../../support/test-app.js';

/** `npm run audit -- …` against a test app's database, its output captured. */
export async function auditCli(app: TestApp, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const database = app.config.database;
  const url = database.type === 'sqlite' ? `sqlite:${database.path}` : `${database.url}?schema=${database.schema}`;
  const code = await runAudit(
    argv,
    { DATABASE_URL: url, LOOKBACK_AUDIT_KEY: app.config.auditKey! },
    { out: (t) => (out += t), err: (t) => (err += t), tty: false },
  );
  return { code, out, err };
}

/** The line `verify` prints for a broken unit (its detail left out). */
export function brokenLine(unitId: string, name: string, problem: string, firstBrokenSeq: number | null): string {
  return `BROKEN ${unitId} ${JSON.stringify(name)} ${problem} firstBrokenSeq=${firstBrokenSeq ?? '-'} `;
}
