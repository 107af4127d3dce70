import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { builtInRulebook, renderMermaid } from '../../machines/index.js';

/** The README is read before anything else: its diagram is the machine's, and every link lands in this repository. */
const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows the diagram machineDiagram(1) returns, as renderMermaid() draws it today', () => {
    const block = /<!-- machineDiagram\(1\) -->\n```mermaid\n([\s\S]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(renderMermaid(builtInRulebook(1)).trimEnd());
  });

  it('links only to files of this repository that exist', () => {
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1].split('#')[0]).filter((t) => t !== '');
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => /^[a-z]+:/i.test(t) || t.startsWith('/') || t.startsWith('..'))).toEqual([]);
    expect(targets.filter((t) => !existsSync(t))).toEqual([]);
  });

  it('no tracked file points outside the repository (README, docs, code, comments, schema descriptions)', () => {
    const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
      .split('\n')
      .filter(
        (f) =>
          /\.(ts|mts|mjs|js|md|graphql|json|tsx)$/.test(f) &&
          f !== 'package-lock.json' &&
          f !== 'test/contract/readme-contract.spec.ts',
      );
    const offenders = files.filter(
      (f) =>
        existsSync(f) && /\.\.\/shared\b|\bDOMAIN\.md\b|\bAPI\.md\b|\bENGINEERING\.md\b/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
