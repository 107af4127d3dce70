import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The newest released schema in `dir` (files named `<major>.<minor>.<patch>.graphql`). */
export function newestRelease(dir: string): string | null {
  const released = readdirSync(dir)
    .filter((f) => /^\d+\.\d+\.\d+\.graphql$/.test(f))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return released.at(-1) ?? null;
}

/** The changelog's section of the coming release: the text under its first `## ` heading. */
export const comingSection = (changelog: string): string => changelog.split(/^## /m)[1] ?? '';

/** Breaking changes from `before` to `after`, and those whose path the coming section does not name in backquotes. */
export async function breakingChanges(
  before: string,
  after: string,
  changelog: string,
): Promise<{ breaking: Change[]; unlisted: Change[] }> {
  const changes = await diff(buildSchema(before), buildSchema(after));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const coming = comingSection(changelog);
  return { breaking, unlisted: breaking.filter((c) => !coming.includes('`' + (c.path ?? '') + '`')) };
}

/** CI: `npm run schema:check` — exit 1 when a breaking change since the last release is not in docs/changelog.md. */
async function main(): Promise<void> {
  const root = process.cwd();
  const release = newestRelease(join(root, 'docs/schema'));
  if (!release) throw new Error('no released schema in docs/schema/');
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const { breaking, unlisted } = await breakingChanges(
    read(`docs/schema/${release}`),
    read('schema.graphql'),
    read('docs/changelog.md'),
  );
  console.log(
    `schema check against ${release}: ${breaking.length} breaking change(s), ${unlisted.length} not in the changelog`,
  );
  for (const change of breaking)
    console.log(`${unlisted.includes(change) ? '  MISSING' : '  listed '} ${change.path}: ${change.message}`);
  if (unlisted.length > 0) {
    console.error(
      'List each breaking change in docs/changelog.md under the coming release: its path in backquotes, and why.',
    );
    process.exitCode = 1;
  }
}

if (process.argv[1]?.endsWith('schema-check.js')) await main();
