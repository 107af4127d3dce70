/* global module */
// Jest `filter` for mutation runs (CommonJS: Jest require()s it): while Stryker has a mutant active, only the test
// files whose tests covered it in the initial run are loaded (see test-environment.mjs); the initial run, or a
// mutant no recorded file covers, runs them all.
const mutantsByTestFile = (globalThis[Symbol.for('lookback.mutation.mutantsByTestFile')] ??= new Map());

module.exports = async function mutantTestFiles(testPaths) {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (active === undefined || mutantsByTestFile.size === 0) return { filtered: testPaths };
  const covering = testPaths.filter((path) => mutantsByTestFile.get(path)?.has(active));
  return { filtered: covering.length > 0 ? covering : testPaths };
};
