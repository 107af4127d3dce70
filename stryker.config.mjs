// Mutation testing (StrykerJS + its Jest runner) over the statechart package and the service's command path,
// access rule, history and audit code. Not part of CI: `npm run test:mutation`, one folder at a time, e.g.
//   npm run test:mutation -- --mutate 'src/commands/**/*.ts'
// (scripts/stryker/run.mjs appends EXCLUDED to a --mutate given on the command line)
// See docs/mutation.md for the scores and every surviving mutant.

/** Never mutated: tests, type-only files, Nest modules, entities, GraphQL models and resolvers without logic. */
export const EXCLUDED = [
  '!**/*.spec.ts',
  '!**/*.e2e-spec.ts',
  '!**/*.medium-spec.ts',
  '!machines/spec-support.ts',
  '!machines/index.ts',
  '!**/*.module.ts',
  '!**/*.entity.ts',
  '!**/*.entities.ts',
  '!**/*.model.ts',
  '!src/audit/audit.models.ts',
  '!src/commands/command-input.ts',
  '!**/*.resolver.ts',
];

/**
 * What is worth mutating: the statechart package, the command path (access rule included), history and audit, and
 * the pure logic of the live-updates edge (the WebSocket message screen, a connection's caps, the rate limiter).
 */
const MUTATE = [
  'machines/**/*.ts',
  'src/commands/**/*.ts',
  'src/history/**/*.ts',
  'src/audit/**/*.ts',
  'src/live/live-messages.ts',
  'src/live/live-connection.ts',
  'src/auth/rate-limiter.ts',
  ...EXCLUDED,
];

/** The value of `--mutate` on the command line, if any (comma-separated globs). */
function mutateArgument() {
  const i = process.argv.findIndex((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
  if (i < 0) return null;
  return process.argv[i].startsWith('--mutate=')
    ? process.argv[i].slice('--mutate='.length)
    : (process.argv[i + 1] ?? null);
}

/**
 * The tests run against the mutants: unit and medium specs only (an end-to-end file boots a whole app, far too slow
 * to run per mutant on a shared machine). machines/ is proven by its own specs; the service folders by the unit and
 * medium specs of the service. MUTATION_TESTS (comma-separated globs from the repository root) overrides this.
 */
function testMatch() {
  if (process.env.MUTATION_TESTS)
    return process.env.MUTATION_TESTS.split(',').map((glob) => `<rootDir>/${glob.trim()}`);
  const mutate = mutateArgument();
  if (
    mutate &&
    mutate
      .split(',')
      .filter((glob) => !glob.trim().startsWith('!'))
      .every((glob) => glob.trim().startsWith('machines/'))
  )
    return ['<rootDir>/machines/**/*.spec.ts'];
  return ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.medium-spec.ts'];
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Jest runs this project's ESM tests only with Node's VM modules; the Stryker test-runner processes get the flag
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  jest: {
    configFile: 'jest.config.js',
    enableFindRelatedTests: false,
    // a mutant's run loads only the test files whose tests covered it (see scripts/stryker/jest-filter.cjs)
    config: {
      testMatch: testMatch(),
      // test/history/verification-yields.medium-spec.ts measures the event loop's wait in milliseconds: instrumented
      // code on a loaded machine fails it (bench material). machines/campaign.property.spec.ts walks 10,000 random
      // sequences per unit kind and rulebook (fewer do not reach every gate, and it says so): minutes per mutant on
      // instrumented code. The statechart's mutants are judged by its other specs.
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/history/verification-yields.medium-spec.ts',
        '/machines/campaign.property.spec.ts',
      ],
      testEnvironment: './scripts/stryker/test-environment.mjs',
      filter: '<rootDir>/scripts/stryker/jest-filter.cjs',
    },
  },
  coverageAnalysis: 'perTest',
  // a mutant only evaluated while a module loads (a table of constants) would need every test run for it: ignored,
  // and counted in docs/mutation.md; a mutant also reached by a test is tested as usual
  ignoreStatic: true,
  mutate: MUTATE,
  ignorers: ['decorators'],
  plugins: ['@stryker-mutator/*', './scripts/stryker/ignore-decorators.mjs', './scripts/stryker/live-reporter.mjs'],
  // the machine is shared: one test-runner process; a slow machine needs generous timeouts
  concurrency: 1,
  // the specs run against mutants are unit and medium specs of a few seconds: a mutant that loops for ever (a loop's
  // condition mutated) is cut off after about 15 s, and counted as detected
  // the initial run (every spec, coverage per test) takes minutes on a loaded machine: Stryker's default 5 is too short
  dryRunTimeoutMinutes: 30,
  timeoutMS: 15000,
  timeoutFactor: 1.5,
  // results are kept in reports/stryker-incremental.json: a second run tests only what changed since
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html', 'live'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['dist', 'data', 'coverage', 'reports', '.tmp', 'bench'],
  thresholds: { high: 90, low: 80, break: null },
};
