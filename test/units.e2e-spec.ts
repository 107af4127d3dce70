import { startTestApp, TestApp } from './support/test-app.js';

const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) {
  __typename
  ... on UnitCreated { unit { id name kind depth leaderCount parent { id } } }
  ... on ErrorResult { errorCode message }
  ... on InvalidInput { field }
  ... on NotFound { entity id }
} }`;

describe('the unit tree over GraphQL', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  async function create(input: Record<string, unknown>) {
    const res = await sut.gql(CREATE, { input });
    expect(res.errors).toBeUndefined();
    return res.data!.createUnit;
  }

  async function createOk(input: Record<string, unknown>): Promise<string> {
    const result = await create(input);
    expect(result.__typename).toBe('UnitCreated');
    return result.unit.id;
  }

  async function unitCount(): Promise<number> {
    const [row] = await sut.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM units');
    return Number(row.n);
  }

  it('creates a province and a child that points back to it', async () => {
    const province = await create({ name: ' 河北省 ', kind: 'LEADERSHIP_BODY', leaderCount: 13 });
    expect(province.unit).toMatchObject({
      name: '河北省',
      kind: 'LEADERSHIP_BODY',
      depth: 0,
      leaderCount: 13,
      parent: null,
    });
    const city = await create({ name: '石家庄市', kind: 'LEADERSHIP_BODY', parentId: province.unit.id });
    expect(city.unit).toMatchObject({ depth: 1, leaderCount: 0, parent: { id: province.unit.id } });
  });

  it('answers an unknown parent with NotFound and writes nothing', async () => {
    const before = await unitCount();
    const result = await create({ name: 'x', kind: 'GRASSROOTS', parentId: '00000000-0000-7000-8000-000000000000' });
    expect(result).toMatchObject({
      __typename: 'NotFound',
      errorCode: 'NOT_FOUND',
      entity: 'Unit',
      id: '00000000-0000-7000-8000-000000000000',
    });
    expect(await unitCount()).toBe(before);
  });

  it('answers an empty or over-long name, or a bad leaderCount, with InvalidInput and writes nothing', async () => {
    const before = await unitCount();
    expect(await create({ name: '   ', kind: 'GRASSROOTS' })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'name',
    });
    expect(await create({ name: 'x'.repeat(201), kind: 'GRASSROOTS' })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'name',
    });
    expect(await create({ name: 'y'.repeat(200), kind: 'GRASSROOTS', leaderCount: -1 })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'leaderCount',
    });
    expect(await unitCount()).toBe(before);
    expect((await create({ name: 'y'.repeat(200), kind: 'GRASSROOTS' })).__typename).toBe('UnitCreated');
  });

  it('refuses an invalid kind with a GraphQL validation error', async () => {
    const res = await sut.gql(CREATE, { input: { name: 'x', kind: 'CASTLE' } });
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].message).toMatch(/CASTLE/);
  });

  it('refuses a seventh level: the tree is at most six levels deep', async () => {
    let parentId = await createOk({ name: 'L0', kind: 'LEADERSHIP_BODY' });
    for (let depth = 1; depth < 6; depth++)
      parentId = await createOk({ name: `L${depth}`, kind: 'GRASSROOTS', parentId });
    expect(await create({ name: 'L6', kind: 'GRASSROOTS', parentId })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'parentId',
    });
  });

  describe('listing', () => {
    let root: string;
    let townships: string[];
    beforeAll(async () => {
      root = await createOk({ name: '县', kind: 'LEADERSHIP_BODY' });
      townships = [];
      for (let t = 0; t < 3; t++) {
        const township = await createOk({ name: `镇${t}`, kind: 'TOWNSHIP_STREET', parentId: root });
        townships.push(township);
        for (let v = 0; v < 4; v++) await createOk({ name: `镇${t}村${v}`, kind: 'GRASSROOTS', parentId: township });
      }
    });

    it('pages through direct children with Relay cursors, in creation order', async () => {
      const q = `query($p: ID!, $after: String) { units(parentId: $p, first: 2, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;
      const page1 = (await sut.gql(q, { p: root })).data!.units;
      expect(page1.edges.map((e: any) => e.node.name)).toEqual(['镇0', '镇1']);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (await sut.gql(q, { p: root, after: page1.pageInfo.endCursor })).data!.units;
      expect(page2.edges.map((e: any) => e.node.name)).toEqual(['镇2']);
      expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0].cursor });
    });

    it('filters a whole subtree by kind', async () => {
      const q = `query($u: ID!) { units(underId: $u, kind: GRASSROOTS, first: 100) { edges { node { name parent { name } } } } }`;
      const edges = (await sut.gql(q, { u: townships[1] })).data!.units.edges;
      expect(edges.map((e: any) => e.node.name)).toEqual(['镇1村0', '镇1村1', '镇1村2', '镇1村3']);
      const all = (
        await sut.gql(`query($u: ID!) { units(underId: $u, first: 100) { edges { node { name } } } }`, { u: root })
      ).data!.units;
      expect(all.edges).toHaveLength(15);
    });

    it('pages children of many units at once', async () => {
      const q = `query($p: ID!) { units(parentId: $p) { edges { node { name children(first: 2) { edges { node { name } } pageInfo { hasNextPage } } } } } }`;
      const edges = (await sut.gql(q, { p: root })).data!.units.edges;
      expect(edges.map((e: any) => e.node.children.edges.map((c: any) => c.node.name))).toEqual([
        ['镇0村0', '镇0村1'],
        ['镇1村0', '镇1村1'],
        ['镇2村0', '镇2村1'],
      ]);
      expect(edges.every((e: any) => e.node.children.pageInfo.hasNextPage)).toBe(true);
    });

    it('refuses a page size over 100 and a forged cursor', async () => {
      const big = await sut.gql(`{ units(first: 101) { edges { cursor } } }`);
      expect(big.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/first must be between 0 and 100/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const forged = await sut.gql(`{ units(after: "not a cursor!") { edges { cursor } } }`);
      expect(forged.errors?.[0].message).toMatch(/not a cursor/);
    });
  });

  it('reads a page of 100 units with their parents and children in a constant number of SQL statements', async () => {
    const county = await createOk({ name: '大县', kind: 'LEADERSHIP_BODY' });
    const q = `query($u: ID!, $n: Int) { units(underId: $u, first: $n) { edges { node { name parent { name parent { name } } children(first: 3) { edges { node { name } } } } } } }`;
    const statementsFor = async (n: number) => {
      const before = sut.db.statementCount;
      const res = await sut.gql(q, { u: county, n });
      expect(res.errors).toBeUndefined();
      expect(res.data!.units.edges).toHaveLength(n);
      return sut.db.statementCount - before;
    };
    for (let i = 0; i < 100; i++) await createOk({ name: `单位${i}`, kind: 'DIRECT_UNIT', parentId: county });
    const forTen = await statementsFor(10);
    const forHundred = await statementsFor(100);
    expect(forHundred).toBe(forTen);
    expect(forHundred).toBeLessThanOrEqual(5);
  });
});
