import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { builtInRulebook, explain, progress } from '../../machines/index.js';
import { Clock } from '../clock/clock.js';
import { EventStoreRepository, type UnitState } from '../history/event-store.repository.js';
import { GateProgress, TransitionOption } from '../history/transition-option.model.js';

/** "Why can't I move on?": every stage event with its blockers, and each gate's progress — as of the server's clock. */
@Injectable()
export class TransitionQueries {
  constructor(
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
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
    return explain(state.snapshot, this.clock.now().toISOString(), builtInRulebook(state.rulebookVersion), {
      parentLaunched,
    }).map((option) =>
      Object.assign(new TransitionOption(), {
        ...option,
        earliestAt: option.earliestAt ? new Date(option.earliestAt) : null,
      }),
    );
  }

  progress(state: UnitState): GateProgress[] {
    return progress(state.snapshot, this.clock.now().toISOString(), builtInRulebook(state.rulebookVersion)).map((p) =>
      Object.assign(new GateProgress(), p),
    );
  }
}
