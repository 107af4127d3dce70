export const ROLES = ['ADMIN', 'SUPERVISOR', 'OFFICER', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: a name, a role, and the unit whose subtree they may act on (null: the whole tree). */
export interface Principal {
  sub: string;
  role: Role;
  scopeUnitId: string | null;
}
