/** province → city → county → township/street → village/community, plus units hanging off any level. */
export const MAX_TREE_DEPTH = 6;
export const MAX_NAME_LENGTH = 200;

/** Ancestor ids of a new unit at fixed depths: the parent's, then its own id at its own depth. */
export function ancestorsFor(
  id: string,
  parent: { depth: number; ancestors: (string | null)[] } | null,
): (string | null)[] {
  const ancestors: (string | null)[] = new Array(MAX_TREE_DEPTH).fill(null);
  if (parent === null) {
    ancestors[0] = id;
    return ancestors;
  }
  for (let d = 0; d <= parent.depth; d++) ancestors[d] = parent.ancestors[d];
  ancestors[parent.depth + 1] = id;
  return ancestors;
}
