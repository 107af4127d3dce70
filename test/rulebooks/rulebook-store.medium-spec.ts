import { RULEBOOK_V1, RULEBOOK_V2 } from '../../machines/index.js';
import { builtInRecord, recordOf } from '../../src/rulebooks/rulebook-document.js';
import { RulebookStore, UnknownRulebook } from '../../src/rulebooks/rulebook-store.js';
import { RulebooksRepository } from '../../src/rulebooks/rulebooks.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';

/** The one rulebook store: seeded idempotently, read once per version, never a query for a cached one. */
describe('the rulebook store', () => {
  const medium = useMediumDatabase();

  it('seeds the built-in documents however often instances boot, and hands out the very objects machines/ ships', async () => {
    const stores = [RulebookStore.over(medium.db), RulebookStore.over(medium.db), RulebookStore.over(medium.db)];
    await Promise.all(stores.map((store) => store.onModuleInit()));
    const rows = await medium.db.query<{ version: number }>('SELECT version FROM rulebooks ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
    expect(await stores[0].rulebook(1)).toBe(RULEBOOK_V1);
    expect(await stores[0].rulebook(2)).toBe(RULEBOOK_V2);
    expect(await stores[0].currentVersion()).toBe(1);
  });

  it('reads a version once: a cached one costs no statement', async () => {
    const sut = RulebookStore.over(medium.db);
    const statements = async (work: () => Promise<unknown>) => {
      const before = medium.db.statementCount;
      await work();
      return medium.db.statementCount - before;
    };
    expect(await statements(() => sut.rulebook(2))).toBe(1);
    expect(await statements(() => sut.rulebook(2))).toBe(0);
    expect(await statements(() => sut.lookupFor([2, 2, 2]))).toBe(0);
    expect(sut.known(2)).toBe(RULEBOOK_V2);
    expect(() => sut.known(1)).toThrow(UnknownRulebook);
    await expect(sut.rulebook(42)).rejects.toThrow('There is no rulebook v42.');
  });

  it('loads a version another instance published, and makes it current', async () => {
    const sut = RulebookStore.over(medium.db);
    await sut.rulebook(1);
    const published = recordOf(
      { ...RULEBOOK_V1, version: 3, reworkDwellDays: 9 },
      { basedOn: 1, reason: '另一实例发布', publishedBy: 'admin', publishedAt: 1, builtIn: false },
    );
    await medium.db.transaction((tx) => new RulebooksRepository(medium.db).insertIfAbsent(tx, published));
    expect(await sut.currentVersion()).toBe(3);
    expect((await sut.rulebook(3)).reworkDwellDays).toBe(9);
    expect(Object.isFrozen((await sut.rulebook(3)).kinds)).toBe(true);
  });

  it('refuses a built-in document that differs from the one the build ships', async () => {
    // a database from another build: its v2 is not this build's v2 (its reads answered with another document)
    const foreign = builtInRecord({ ...RULEBOOK_V2, reworkDwellDays: 8 });
    const sut = RulebookStore.over(medium.db);
    const repository = (sut as unknown as { repository: RulebooksRepository }).repository;
    const find = repository.find.bind(repository);
    repository.find = async (version, tx) => {
      const row = await find(version, tx);
      return version === 2 ? foreign : row;
    };
    await expect(sut.onModuleInit()).rejects.toThrow(/not the built-in one this build ships/);
  });
});
