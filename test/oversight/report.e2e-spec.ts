import { runReport } from '../../src/cli/report-command.js';
import type { TestApp } from '../support/test-app.js';
import { DAY, launch, startStory, toRegionsMet, type StoryClient } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-ma', role: 'OFFICER', scopeUnitId: null } as const;

describe('the report upward: the subtree, one row per child, uneven children and laggards named', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let province: string;
  let ahead: string;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
    province = await admin.createUnit('河北省委', 'LEADERSHIP_BODY', null, 1);
    await launch(officer, province);
    ahead = await admin.createUnit('先进支部', 'NON_PUBLIC_SOCIAL', province);
    await admin.createUnit('后进镇', 'TOWNSHIP_STREET', province);
    await admin.createUnit('后进村', 'GRASSROOTS', province);
    await toRegionsMet(officer, ahead, 'NON_PUBLIC_SOCIAL');
    sut.clock.advanceDays(7);
    await officer.session(province, 'CONCENTRATED');
    expect((await officer.send(ahead, 'COMPLETE_STUDY')).__typename).toBe('NotAllowedInState'); // refused: already met
  });
  afterAll(async () => {
    await sut.close();
  });

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const db = sut.config.database;
    const url = db.type === 'sqlite' ? `sqlite:${db.path}` : `${db.url}?schema=${db.schema}`;
    const code = await runReport(argv, { DATABASE_URL: url }, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  it('over GraphQL, in Markdown: the totals, the uneven children, the laggards oldest first', async () => {
    const res = await sut.gql(`query($id: ID!) { report(unitId: $id) }`, { id: province });
    const text: string = res.data!.report;
    expect(text).toContain('# 河北省委: report of ');
    expect(text).toContain('4 units, 2 launched, 0 through stage 1 (0.0%)');
    expect(text).toMatch(/spread 0\.667 — \*\*uneven\*\* \(进展不平衡\); lagging: 后进镇, 后进村\./);
    expect(text).toMatch(
      /\| 先进支部 \| NON_PUBLIC_SOCIAL \| 1 \| 1 \| 1 \| 0 \| 0 \| 0\.0% \| 0\.667 \| 0 \| 1 \| {2}\|/,
    );
    expect(text).toMatch(/\| 后进镇 \| TOWNSHIP_STREET \| 1 \| 0 \| .* \| \*\*yes\*\* \|/);
    // the firm's last event (its third region met) was a day after the others were created: idle 7 days exactly
    const day = (daysAgo: number) => new Date(sut.clock.now().getTime() - daysAgo * DAY).toISOString().slice(0, 10);
    const laggards = text.slice(text.indexOf('## Laggards'));
    expect(laggards.match(/^- .*$/gm)).toEqual([
      `- 后进镇 (TOWNSHIP_STREET), idle since ${day(8)}`,
      `- 后进村 (GRASSROOTS), idle since ${day(8)}`,
      `- 先进支部 (NON_PUBLIC_SOCIAL), idle since ${day(7)}`,
    ]);
  });

  it('as CSV: a header, the root, one row per child with its lag flag', async () => {
    const res = await sut.gql(`query($id: ID!) { report(unitId: $id, format: CSV) }`, { id: province });
    const rows = (res.data!.report as string)
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    expect(rows[0].slice(0, 4)).toEqual(['id', 'name', 'kind', 'units']);
    expect(rows.slice(1).map((r) => [r[1], r[3], r[r.length - 1]])).toEqual([
      ['河北省委', '4', ''],
      ['先进支部', '1', 'no'],
      ['后进镇', '1', 'yes'],
      ['后进村', '1', 'yes'],
    ]);
  });

  it('npm run report prints the same rows; a bad root or format is a usage error', async () => {
    const csv = await cli('--root', province, '--format', 'csv');
    expect(csv.code).toBe(0);
    const viaApi = (await sut.gql(`query($id: ID!) { report(unitId: $id, format: CSV) }`, { id: province })).data!
      .report as string;
    expect(
      csv.out
        .split('\n')
        .slice(0, 5)
        .map((l) => l.split(',').slice(0, -2)),
    ).toEqual(
      viaApi
        .split('\n')
        .slice(0, 5)
        .map((l) => l.split(',').slice(0, -2)),
    );
    expect((await cli('--root', province)).out).toContain('lagging: 后进镇, 后进村.');
    expect(await cli('--root', 'nope')).toMatchObject({ code: 2, err: expect.stringContaining('no such unit') });
    expect(await cli('--root', province, '--format', 'pdf')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--format must be md or csv'),
    });
  });
});
