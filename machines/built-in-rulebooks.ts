/** The rulebooks that ship with machines/: seed data for the service's rulebook store, not a registry it runs from. */
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';

export const BUILT_IN_RULEBOOKS: readonly Rulebook[] = Object.freeze([RULEBOOK_V1, RULEBOOK_V2]);

/** A built-in rulebook by number; an unknown number is an error, never a fallback. */
export function builtInRulebook(version: number): Rulebook {
  const rulebook = BUILT_IN_RULEBOOKS.find((r) => r.version === version);
  if (!rulebook)
    throw new Error(
      `No built-in rulebook v${version} (built in: ${BUILT_IN_RULEBOOKS.map((r) => `v${r.version}`).join(', ')}).`,
    );
  return rulebook;
}
