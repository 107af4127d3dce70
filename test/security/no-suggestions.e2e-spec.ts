import { raw } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

/** graphql-js's suggestions enumerate the schema one typo at a time; production has no introspection, nor these. */
describe('no "Did you mean" in production', () => {
  let production: TestApp;
  let development: TestApp;

  beforeAll(async () => {
    [production, development] = await Promise.all([startTestApp({ production: true }), startTestApp()]);
  });
  afterAll(async () => {
    await Promise.all([production?.close(), development?.close()]);
  });

  /** A typo of each kind graphql-js makes suggestions for: field, argument, type, enum literal, enum variable, input field. */
  const TYPOS: [string, Record<string, unknown> | undefined][] = [
    ['{ unitz(id: "x") { id } }', undefined],
    ['{ unit(id: "x") { nam } }', undefined],
    ['{ units(frist: 1) { edges { node { id } } } }', undefined],
    ['query($k: UnitKnd) { units(kind: $k) { edges { node { id } } } }', undefined],
    ['{ units(kind: GRASROOTS) { edges { node { id } } } }', undefined],
    ['query($k: UnitKind) { units(kind: $k) { edges { node { id } } } }', { k: 'GRASROOTS' }],
    [
      'mutation($i: CreateUnitInput!) { createUnit(input: $i) { __typename } }',
      { i: { nme: 'x', kind: 'GRASSROOTS' } },
    ],
    ['mutation { createUnit(input: { nme: "x", kind: GRASSROOTS }) { __typename } }', undefined],
    ['{ unit(id: "x") { ... on Unitt { id } } }', undefined],
  ];

  it.each(TYPOS)('%s', async (query, variables) => {
    const answer = await raw(production, { as: ADMIN, body: { query, variables } });
    expect(answer.json.errors.length).toBeGreaterThan(0);
    expect(answer.text).not.toMatch(/did you mean/i);
    // the same typo outside production is answered with the suggestion (this document does draw one)
    const helped = await raw(development, { as: ADMIN, body: { query, variables } });
    expect(helped.text).toMatch(/Did you mean/);
  });
});
