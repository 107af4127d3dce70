import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/cli/audit-command.js';
import { runImport } from '../../src/cli/import-command.js';
import { CountryImporter } from '../../src/country/country-import.js';
import { CountryLoadRepository } from '../../src/country/country-load.repository.js';
import { generateCountry, levelCounts } from '../../src/country/country-shape.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('npm run import: a generated country loaded all or nothing, with its rollups', () => {
  let sut: TestApp;
  let dir: string;

  beforeAll(async () => {
    sut = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'lookback-import-'));
  });
  afterAll(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => {
    const db = sut.config.database;
    return {
      DATABASE_URL: db.type === 'sqlite' ? `sqlite:${db.path}` : `${db.url}?schema=${db.schema}`,
      LOOKBACK_AUDIT_KEY: sut.config.auditKey!,
    };
  };
  async function cli(run: typeof runImport | typeof runAudit, ...argv: string[]) {
    let out = '';
    let err = '';
    const code = await run(argv, env(), { out: (t) => (out += t), err: (t) => (err += t), tty: false });
    return { code, out, err };
  }
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const count = async () => Number((await sut.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM units'))[0].n);

  it('generates a tree shaped like the country: the levels scaled, parents first, the same for the same seed', () => {
    expect(levelCounts(4_304_000)).toEqual([31, 333, 2_850, 40_000, 4_260_786]);
    const units = [...generateCountry(3_000, 5)];
    expect(units).toHaveLength(3_000);
    const seen = new Set<string>();
    for (const u of units) {
      expect(u.parentId === null || seen.has(u.parentId)).toBe(true);
      seen.add(u.id);
    }
    expect([...generateCountry(3_000, 5)]).toEqual(units);
    expect(new Set(units.map((u) => u.kind))).toEqual(
      new Set([
        'LEADERSHIP_BODY',
        'TOWNSHIP_STREET',
        'DIRECT_UNIT',
        'WINDOW_SERVICE',
        'GRASSROOTS',
        'NON_PUBLIC_SOCIAL',
      ]),
    );
  });

  it('refuses a bad row by its line number and leaves nothing of the file behind', async () => {
    const units = [...generateCountry(50, 2)];
    const lines = units.map((u) => JSON.stringify(u));
    lines[30] = JSON.stringify({ ...units[30], kind: 'VILLAGE' });
    const bad = await cli(runImport, file('bad.ndjson', lines));
    expect(bad).toMatchObject({ code: 1, err: expect.stringContaining('line 31: kind must be one of') });
    expect(bad.err).toContain('nothing was imported');
    expect(await count()).toBe(0);

    const orphan = [...lines.slice(0, 30), JSON.stringify({ ...units[40], parentId: 'nowhere' })];
    expect((await cli(runImport, file('orphan.ndjson', orphan))).err).toContain(
      'line 31: parentId nowhere is neither earlier in the file nor in the database',
    );
    expect((await cli(runImport, file('twice.ndjson', [...lines.slice(0, 30), lines[3]]))).err).toContain(
      `line 31: id ${units[3].id} appears twice in the file`,
    );
    expect((await cli(runImport, file('json.ndjson', [lines[0], '{"id": ']))).err).toContain(
      'line 2: not a JSON object',
    );
    expect(await count()).toBe(0);
  });

  it('loads NDJSON and CSV, each unit registered with its history started, and every rollup recounts', async () => {
    const units = [...generateCountry(2_000, 3)];
    const ndjson = await cli(
      runImport,
      file(
        'country.ndjson',
        units.map((u) => JSON.stringify(u)),
      ),
    );
    expect(ndjson).toMatchObject({ code: 0, out: expect.stringMatching(/^imported 2000 units from 2000 lines/) });
    const root = units[0];
    const rollup = await sut.gql(
      `query($id: ID!) { rollup(unitId: $id) { units byPhase { phase count } } unit(id: $id) { status { phase version } } }`,
      { id: root.id },
    );
    expect(rollup.data!.rollup.units).toBe(2_000);
    expect(rollup.data!.unit.status).toEqual({ phase: 'registered', version: 0 });

    // a CSV branch under one of the imported counties (a quoted name with a comma), then the whole tree recounted
    const county = units.find((u) => u.name === '县委1')!;
    const csv = file('branch.csv', [
      'id,parentId,name,kind,leaderCount',
      `branch-1,${county.id},"新村,一组",GRASSROOTS,0`,
      `branch-2,branch-1,"""二组""",GRASSROOTS,`,
      'branch-3,branch-2,三组,GRASSROOTS,0',
      'branch-4,branch-3,四组,GRASSROOTS,0',
    ]);
    expect(await cli(runImport, csv)).toMatchObject({
      code: 1,
      err: expect.stringContaining('line 5: the tree is at most 6 levels deep'),
    });
    const shallow = file('shallow.csv', [
      'id,parentId,name,kind,leaderCount',
      `branch-1,${county.id},"新村,一组",GRASSROOTS,0`,
    ]);
    expect((await cli(runImport, shallow)).code).toBe(0);
    const names = await sut.gql(`query { unit(id: "branch-1") { name depth } }`);
    expect(names.data!.unit).toEqual({ name: '新村,一组', depth: 3 });
    expect(
      (await sut.gql(`query($id: ID!) { rollup(unitId: $id) { units } }`, { id: root.id })).data!.rollup.units,
    ).toBe(2_001);
    expect((await cli(runAudit, 'verify-rollups')).out).toMatch(/^OK: 2001 rollups recounted/);
    expect((await cli(runAudit, 'verify', '--root', county.id)).code).toBe(0);
  });

  const indexes = async () =>
    (sut.db.dialect === 'sqlite'
      ? await sut.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
      : await sut.db.query<{ name: string }>(
          'SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname',
        )
    ).map((r) => r.name);

  it('with --indexes after, sets the indexes aside for the load and builds them again, or leaves them as they were', async () => {
    const before = await indexes();
    expect(before).toEqual(expect.arrayContaining(['ix_units_l2_kind', 'ix_unit_activity_l3_kind', 'ix_units_parent']));
    const units = [...generateCountry(600, 7)];
    const lines = units.map((u) => JSON.stringify(u));
    const bad = await cli(
      runImport,
      file('bad-late.ndjson', [...lines, JSON.stringify({ ...units[9], id: 'late', leaderCount: -1 })]),
      '--indexes',
      'after',
    );
    expect(bad.err).toContain('line 601: leaderCount must be a whole number');
    expect(await indexes()).toEqual(before);
    const good = await cli(runImport, file('after.ndjson', lines), '--indexes', 'after');
    expect(good.out).toMatch(/^imported 600 units .*, indexes built after the load in/);
    expect(await indexes()).toEqual(before);
    // the rebuilt indexes serve the reads: a county's subtree, counted along its level's index, is its rollup
    const county = units.find((u) => u.name === '县委1')!;
    const rollup = await sut.gql(`query($id: ID!) { rollup(unitId: $id) { units } }`, { id: county.id });
    const below = await sut.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM units WHERE l2_id = ?', [county.id]);
    expect(rollup.data!.rollup.units).toBe(Number(below[0].n));
    expect((await cli(runAudit, 'verify-rollups')).out).toMatch(/^OK: \d+ rollups recounted/);

    const again = await cli(runImport, file('again.ndjson', [lines[5]]));
    expect(again.err).toContain(`line 1: unit ${units[5].id} already exists in the database`);
  });

  it('reads parents back from the database when they have left its memory, and writes any name byte for byte', async () => {
    const units = [...generateCountry(1_500, 11)];
    units[units.length - 1].name = 'a\tb\\c"d\u00e9\ne';
    const path = file(
      'small-cache.ndjson',
      units.map((u) => JSON.stringify(u)),
    );
    const importer = new CountryImporter(new CountryLoadRepository(sut.db), () => Date.now(), { parentCache: 8 });
    expect(await importer.importFile(path, 'ndjson')).toMatchObject({ units: 1_500 });
    const last = units[units.length - 1];
    expect((await sut.gql(`query($id: ID!) { unit(id: $id) { name } }`, { id: last.id })).data!.unit.name).toBe(
      'a\tb\\c"d\u00e9\ne',
    );
    expect((await cli(runAudit, 'verify-rollups')).out).toMatch(/^OK: \d+ rollups recounted/);
    const sample = units.filter((_, i) => i % 100 === 0);
    for (const u of sample.slice(0, 5)) expect((await cli(runAudit, 'verify', '--root', u.id)).code).toBe(0);
  });
  it("leaves the service's page cache as it found it, whichever caches the load and the index build used", async () => {
    const cache = () => sut.db.transaction((tx) => tx.query<{ cache_size: number }>('PRAGMA cache_size'));
    if (sut.db.dialect !== 'sqlite') return;
    const before = await cache();
    const path = file(
      'cache.ndjson',
      [...generateCountry(300, 13)].map((u) => JSON.stringify(u)),
    );
    const importer = new CountryImporter(new CountryLoadRepository(sut.db), () => Date.now(), { indexes: 'after' });
    expect(await importer.importFile(path, 'ndjson')).toMatchObject({ units: 300, indexesAfterLoad: true });
    expect(await cache()).toEqual(before);
  });
});
