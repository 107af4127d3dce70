export const ROLES = ['ADMIN', 'SUPERVISOR', 'OFFICER', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: a name, a role, and the unit whose subtree they may act on (null: the whole tree). */
export interface Principal {
  sub: string;
  role: Role;
  scopeUnitId: string | null;
}

export const MAX_SUB_LENGTH = 200;

/**
 * Control characters (C0, DEL, C1), format characters (zero-width and bidirectional marks) and line or paragraph
 * separators: none belongs in a name, and each can make two names look alike in the audit trail or forge log lines.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Why `sub` cannot name a principal, or null when it can. A sub is the actor of every event it writes, the owner of
 * its idempotency keys and the party separation of duties compares: one person must have exactly one spelling, so
 * surrounding whitespace is refused rather than trimmed away.
 */
export function subProblem(sub: unknown): string | null {
  if (typeof sub !== 'string' || sub.trim() === '') return 'sub must be a non-empty name';
  if (sub !== sub.trim()) return 'sub must not begin or end with whitespace';
  if (sub.length > MAX_SUB_LENGTH) return `sub must be at most ${MAX_SUB_LENGTH} characters`;
  if (INVISIBLE_OR_CONTROL.test(sub)) return 'sub must not contain control or invisible characters';
  // a lone surrogate would be hashed as sent but stored as U+FFFD in every event the principal writes
  if (!(sub as string & { isWellFormed(): boolean }).isWellFormed()) return 'sub must be well-formed Unicode';
  return null;
}
