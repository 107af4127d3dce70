import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { Access } from '../commands/access.js';
import { badArgument, decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { Blocker } from '../common/results/error-results.js';
import { EventStoreRepository } from '../history/event-store.repository.js';
import { CommandAttemptModel, toEventModel, unitIdsOf } from '../history/history.models.js';

function seqCursor(after: string | null | undefined): number {
  const key = decodeCursor(after);
  if (key === null) return 0;
  const n = Number(key);
  if (!Number.isInteger(n) || n < 0) throw badArgument('after is not a cursor from this service.');
  return n;
}

/** A unit's history and refused attempts, a page at a time, with units outside the reader's scope not named. */
@Injectable()
export class UnitHistoryService {
  constructor(
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(Access) private readonly access: Access,
  ) {}

  async history(principal: Principal, unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.store.events(unitId, seqCursor(after), limit + 1);
    const visible =
      principal.scopeUnitId === null
        ? null
        : await this.access.visibleIds(
            principal,
            rows.flatMap((r) => unitIdsOf(r.payload)),
          );
    return toPage(
      rows,
      limit,
      (r) => r.seq,
      (r) => toEventModel(r, visible),
    );
  }

  async attempts(principal: Principal, unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.store.attempts(unitId, seqCursor(after), limit + 1);
    const visible =
      principal.scopeUnitId === null
        ? null
        : await this.access.visibleIds(
            principal,
            rows.flatMap((r) => unitIdsOf(r.payload)),
          );
    return toPage(
      rows,
      limit,
      (r) => r.id,
      (r) =>
        Object.assign(new CommandAttemptModel(), {
          command: r.command,
          actor: r.actor,
          role: r.role,
          at: new Date(r.at),
          failure: r.failure,
          message: String(r.detail.message ?? ''),
          field: typeof r.detail.field === 'string' ? r.detail.field : null,
          blockers: ((r.detail.blockers as Blocker[] | undefined) ?? []).map((b) => Object.assign(new Blocker(), b)),
          payload: JSON.stringify(visible ? redactedIds(r.payload, visible) : r.payload),
        }),
    );
  }
}

function redactedIds(payload: Record<string, unknown>, visible: ReadonlySet<string>): Record<string, unknown> {
  const copy = { ...payload };
  for (const id of unitIdsOf(payload))
    if (!visible.has(id)) for (const [k, v] of Object.entries(copy)) if (v === id) copy[k] = null;
  return copy;
}
