// Jest test environment for mutation runs: Node's, plus a record, made during Stryker's initial (perTest coverage)
// run, of which mutants each test file's tests reached. jest-filter.cjs reads it so that a mutant's run loads only
// the files whose tests cover it (Stryker itself filters by test name only, so every file would be loaded).
import { TestEnvironment } from 'jest-environment-node';
import { mutantsByTestFile } from './coverage-by-file.mjs';

function fullName(test) {
  const names = [];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return [...names, test.name].join(' ');
}

class MutationTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const testPath = context.testPath;
    const inner = this.handleTestEvent;
    // an own property: Stryker's wrapper calls it unbound
    this.handleTestEvent = async (event, state) => {
      if (inner) await inner.call(this, event, state);
      if (event.name !== 'test_done') return;
      const covered = this.global.__stryker__?.mutantCoverage?.perTest?.[fullName(event.test)];
      if (!covered) return;
      const mutants = mutantsByTestFile.get(testPath) ?? new Set();
      for (const id of Object.keys(covered)) mutants.add(id);
      mutantsByTestFile.set(testPath, mutants);
    };
  }
}

export default MutationTestEnvironment;
