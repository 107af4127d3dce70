/** `npm run rulebook -- migrate`: the office's console migration — a dry run's report, the real run, the same gaps. */
import { runRulebook } from '../../src/cli/rulebook-command.js';
import { StoryClient, launch } from '../support/campaign-client.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

describe('npm run rulebook -- migrate', () => {
  let sut: TestApp;
  let county: string;
  let village: string;

  beforeAll(async () => {
    sut = await startTestApp();
    const admin = new StoryClient(sut, ADMIN);
    county = await admin.createUnit('测试县', 'DIRECT_UNIT');
    village = await admin.createUnit('测试村', 'GRASSROOTS', county);
    await launch(admin, county);
  });
  afterAll(() => sut.close());

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const db = sut.config.database;
    const url = db.type === 'sqlite' ? `sqlite:${db.path}` : `${db.url}?schema=${db.schema}`;
    const code = await runRulebook(
      argv,
      { DATABASE_URL: url, LOOKBACK_AUDIT_KEY: sut.config.auditKey! },
      { out: (t) => (out += t), err: (t) => (err += t), tty: false },
    );
    return { code, out, err };
  }

  it('a dry run prints the report (Markdown), progress on stderr, and writes nothing', async () => {
    const run = await cli('migrate', '--root', county, '--to', '2', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.out).toContain('# Migration to rulebook v2 (dry run)');
    expect(run.out).toMatch(/\| REQUIRED_TOPICS_MISSING \| 1 \|/);
    expect(run.out).toContain('测试村');
    expect(run.err).toMatch(/\[#{30}\] 2\/2 units 100%/);
    const status = await sut.gql(`query($id: ID!) { unit(id: $id) { status { rulebookVersion } } }`, { id: county });
    expect(status.data!.unit.status.rulebookVersion).toBe(1);
  });

  it('the real run as CSV: one line per gap, the same gaps; the units are on v2 afterwards', async () => {
    const run = await cli('migrate', '--root', county, '--to', '2', '--format', 'csv');
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n');
    expect(lines[0]).toBe('unitId,name,kind,phase,fromVersion,toVersion,outcome,code,region,required,actual');
    expect(lines.filter((l) => l.startsWith(county)).map((l) => l.split(',')[7])).toContain('REQUIRED_TOPICS_MISSING');
    expect(lines.find((l) => l.startsWith(village))).toBe(`${village},测试村,GRASSROOTS,registered,1,2,MIGRATED,,,,`);
    for (const id of [county, village]) {
      const status = await sut.gql(`query($id: ID!) { unit(id: $id) { status { rulebookVersion } } }`, { id });
      expect(status.data!.unit.status.rulebookVersion).toBe(2);
    }
  });

  it('refuses a command line it does not understand, with the usage', async () => {
    const run = await cli('migrate', '--root', county);
    expect(run.code).toBe(2);
    expect(run.err).toContain('usage: npm run rulebook -- migrate');
  });
});
