// Shared between the test environment and the Jest filter (which reads the same global) of a mutation run (one process: Stryker runs Jest in band).
const key = Symbol.for('lookback.mutation.mutantsByTestFile');
globalThis[key] ??= new Map();
/** @type {Map<string, Set<string>>} test file path → ids of the mutants its tests covered in the initial run */
export const mutantsByTestFile = globalThis[key];
