import { seedDemoIfEmpty } from '../src/demo/demo-seed.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('the demo province that npm start loads on a new database', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it('loads about a hundred units once, and answers the README\'s first query', async () => {
    expect(await seedDemoIfEmpty(sut.app)).toBe(99);
    expect(await seedDemoIfEmpty(sut.app)).toBe(0);
    const res = await sut.gql('{ units(first: 5) { edges { node { name kind } } } }');
    expect(res.data!.units.edges[0].node).toEqual({ name: '河北省委领导班子', kind: 'LEADERSHIP_BODY' });
    expect(res.data!.units.edges).toHaveLength(5);
    const kinds = await sut.db.query<{ kind: string; n: number }>('SELECT kind, COUNT(*) AS n FROM units GROUP BY kind ORDER BY kind');
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      DIRECT_UNIT: 12,
      GRASSROOTS: 60,
      LEADERSHIP_BODY: 7,
      NON_PUBLIC_SOCIAL: 4,
      TOWNSHIP_STREET: 12,
      WINDOW_SERVICE: 4,
    });
  });
});
