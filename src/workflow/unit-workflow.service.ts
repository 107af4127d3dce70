import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { explain, progress } from '../../machines/index.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, badArgument } from '../common/pagination.js';
import { Blocker } from '../common/results/error-results.js';
import { FindingModel, OpinionModel, ProblemModel } from '../evidence/evidence.models.js';
import { EventStoreRepository, UnitState } from './event-store.repository.js';
import { CommandAttemptModel, GateProgress, TransitionOption, toEventModel } from './models/workflow.models.js';
import { ReadModelsRepository } from './read-models.repository.js';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function seqCursor(after: string | null | undefined): number {
  const key = decodeCursor(after);
  if (key === null) return 0;
  const n = Number(key);
  if (!Number.isInteger(n) || n < 0) throw badArgument(`after: "${after}" is not a cursor from this service.`);
  return n;
}

/** What the API shows of a unit's workflow: status, what it may do next and why not, history, attempts. */
@Injectable()
export class UnitWorkflowService {
  constructor(
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(ReadModelsRepository) private readonly readModels: ReadModelsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  createStateLoader() {
    return new DataLoader<string, UnitState | null>(async (ids) => {
      const states = await this.store.statesByIds(ids);
      return ids.map((id) => states.get(id) ?? null);
    });
  }

  transitions(state: UnitState, parentPhase: string | null): TransitionOption[] {
    const parentLaunched = parentPhase === null || parentPhase !== 'registered';
    return explain(state.snapshot, this.clock.now().toISOString(), { parentLaunched }).map((option) =>
      Object.assign(new TransitionOption(), { ...option, earliestAt: option.earliestAt ? new Date(option.earliestAt) : null }),
    );
  }

  progress(state: UnitState): GateProgress[] {
    return progress(state.snapshot, this.clock.now().toISOString()).map((p) => Object.assign(new GateProgress(), p));
  }

  async history(unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.store.events(unitId, seqCursor(after), limit + 1);
    return toPage(rows, limit, (r) => r.seq, toEventModel);
  }

  async attempts(unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.store.attempts(unitId, seqCursor(after), limit + 1);
    return toPage(rows, limit, (r) => r.id, (r) =>
      Object.assign(new CommandAttemptModel(), {
        command: r.command,
        actor: r.actor,
        role: r.role,
        at: new Date(r.at),
        failure: r.failure,
        message: String(r.detail.message ?? ''),
        blockers: ((r.detail.blockers as Blocker[] | undefined) ?? []).map((b) => Object.assign(new Blocker(), b)),
        payload: JSON.stringify(r.payload),
      }),
    );
  }

  async opinions(unitId: string, unclaimedOnly: boolean, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.readModels.opinionsOf(unitId, decodeCursor(after), limit + 1, unclaimedOnly);
    return toPage(rows, limit, (r) => r.id, (r) =>
      Object.assign(new OpinionModel(), {
        ...r,
        occurredAt: new Date(r.occurredAt),
        recordedAt: new Date(r.recordedAt),
        claimedAt: date(r.claimedAt),
        routed: r.collectedByUnitId !== r.targetUnitId,
      }),
    );
  }

  async problems(unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.readModels.problemsOf(unitId, decodeCursor(after), limit + 1);
    return toPage(rows, limit, (r) => r.id, (r) =>
      Object.assign(new ProblemModel(), { ...r, dueAt: date(r.dueAt), identifiedAt: new Date(r.identifiedAt), rectifiedAt: date(r.rectifiedAt) }),
    );
  }

  async findings(unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.readModels.findingsOf(unitId, decodeCursor(after), limit + 1);
    return toPage(rows, limit, (r) => r.id, (r) =>
      Object.assign(new FindingModel(), { ...r, issuedAt: new Date(r.issuedAt), resolvedAt: date(r.resolvedAt) }),
    );
  }
}
