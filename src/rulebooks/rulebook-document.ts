import { createHash } from 'node:crypto';
import type { Rulebook } from '../../machines/index.js';
import { canonicalJson } from '../common/canonical-json.js';

/** A rulebook as the `rulebooks` table keeps it: the document as canonical JSON, its hash, and who published it. */
export interface RulebookRecord {
  version: number;
  ruleset: number;
  basedOn: number | null;
  /** canonical JSON (keys sorted): equal content, equal text, equal hash */
  document: string;
  /** sha256 of `document`, hex */
  contentHash: string;
  reason: string | null;
  publishedBy: string | null;
  /** epoch ms; null for the built-in documents (they were never published, they ship with the service) */
  publishedAt: number | null;
  builtIn: boolean;
}

export const contentHashOf = (document: string): string => createHash('sha256').update(document).digest('hex');

/** The record of a document: its canonical text and hash, with the publication's facts. */
export function recordOf(
  rulebook: Rulebook,
  publication: Pick<RulebookRecord, 'basedOn' | 'reason' | 'publishedBy' | 'publishedAt' | 'builtIn'>,
): RulebookRecord {
  const document = canonicalJson(rulebook);
  const { basedOn, reason, publishedBy, publishedAt, builtIn } = publication;
  return {
    version: rulebook.version,
    ruleset: rulebook.ruleset,
    basedOn,
    document,
    contentHash: contentHashOf(document),
    reason,
    publishedBy,
    publishedAt,
    builtIn,
  };
}

/** The built-in documents' records (seed data): no base, no publisher, no time. */
export const builtInRecord = (rulebook: Rulebook): RulebookRecord =>
  recordOf(rulebook, { basedOn: null, reason: null, publishedBy: null, publishedAt: null, builtIn: true });
