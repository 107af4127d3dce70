/** The rows of idleness (laggards) and refusals (rushing), as ActivityRepository reads and writes them. */

/** Where a unit stands for idleness: one row per unit, kept in the command's transaction. */
export interface ActivityRow {
  unitId: string;
  parentId: string | null;
  ancestors: (string | null)[];
  kind: string;
  registered: boolean;
  done: boolean;
  launchedAt: number | null;
  parentLaunchedAt: number | null;
  lastEventAt: number;
}

export interface SubtreeRoot {
  id: string;
  depth: number;
}

export interface Laggard {
  unitId: string;
  idleSince: number;
}

export interface Rusher {
  unitId: string;
  refused: number;
}

/** Idle since the last event — or, while registered, since the parent's launch if that came first (压茬启动). */
export function idleSinceOf(row: Pick<ActivityRow, 'registered' | 'parentLaunchedAt' | 'lastEventAt'>): number {
  return row.registered && row.parentLaunchedAt !== null
    ? Math.min(row.lastEventAt, row.parentLaunchedAt)
    : row.lastEventAt;
}

/** An accepted event, as idleness sees it. */
export interface Touch {
  unitId: string;
  /** set when the parent's launch matters: the unit is registered before or after the event */
  parentId: string | null;
  at: number;
  registered: boolean;
  done: boolean;
  launchedAt: number | null;
  /** the event left the phase (and the launch) as they were: evidence, most events */
  samePhase: boolean;
}
