import { readFileSync } from 'node:fs';
import { blockerCodesOf, FINDING_KINDS, RULEBOOK_V1, RULEBOOK_V2, STAGE_EVENTS } from '../../machines/index.js';
import { COMMAND_POLICY } from '../../src/auth/policy.js';
import { VERIFICATION_PROBLEMS } from '../../src/history/history-verifier.js';

/**
 * The docs/ pages name what clients and auditors switch on: a code the code can answer must be explained there,
 * so that adding one without documenting it fails here rather than surprising a reader.
 */
const page = (name: string) => readFileSync(`docs/${name}.md`, 'utf8');
const named = (text: string, code: string) => text.includes(`\`${code}\``);

describe('docs/ explains every code the service can answer', () => {
  const domain = page('domain');
  const api = page('api');
  const auditTrail = page('audit-trail');

  it('domain.md lists every blocker code, including those the engine adds beside the gates', () => {
    const codes = blockerCodesOf(RULEBOOK_V1);
    expect(codes.filter((code) => !named(domain, code))).toEqual([]);
  });

  it('rulebooks.md lists every blocker code rulebook v2 adds, and the migration event', () => {
    const added = blockerCodesOf(RULEBOOK_V2).filter((code) => !blockerCodesOf(RULEBOOK_V1).includes(code));
    expect(added.length).toBeGreaterThan(0);
    expect([...added, 'RULEBOOK_MIGRATED'].filter((code) => !named(page('rulebooks'), code))).toEqual([]);
  });

  it('domain.md names every finding kind and every stage event', () => {
    expect([...FINDING_KINDS, ...STAGE_EVENTS].filter((code) => !named(domain, code))).toEqual([]);
  });

  it('audit-trail.md explains every verification problem, and api.md names them', () => {
    expect(VERIFICATION_PROBLEMS.filter((problem) => !named(auditTrail, problem))).toEqual([]);
    expect(VERIFICATION_PROBLEMS.filter((problem) => !named(api, problem))).toEqual([]);
  });

  it('api.md names every mutation and query of the policy table', () => {
    const operations = Object.keys(COMMAND_POLICY).filter((name) => name !== 'read' && !name.startsWith('sendEvent:'));
    expect(operations.filter((name) => !named(api, name))).toEqual([]);
  });

  it('the pages stand on their own: no link outside the repository', () => {
    for (const text of [domain, api, auditTrail, page('glossary'), page('rulebooks')])
      expect(text).not.toMatch(/\.\.\/\.\.\/|\.\.\/shared|DOMAIN\.md|API\.md/);
  });
});
