import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { explain, progress } from '../../machines/index.js';
import { Clock } from '../clock/clock.js';
import { EventStoreRepository, type UnitState } from '../history/event-store.repository.js';
import { GateProgress, TransitionOption } from '../history/transition-option.model.js';
import { RulebookStore } from '../rulebooks/rulebook-store.js';

/** "Why can't I move on?": every stage event with its blockers, and each gate's progress — as of the server's clock. */
@Injectable()
export class TransitionQueries {
  constructor(
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  createStateLoader() {
    return new DataLoader<string, UnitState | null>(async (ids) => {
      const states = await this.store.statesByIds(ids);
      return ids.map((id) => states.get(id) ?? null);
    });
  }

  async transitions(state: UnitState, parentPhase: string | null): Promise<TransitionOption[]> {
    const parentLaunched = parentPhase === null || parentPhase !== 'registered';
    const rulebook = await this.rulebooks.rulebook(state.rulebookVersion);
    return explain(state.snapshot, this.clock.now().toISOString(), rulebook, {
      parentLaunched,
    }).map((option) =>
      Object.assign(new TransitionOption(), {
        ...option,
        earliestAt: option.earliestAt ? new Date(option.earliestAt) : null,
      }),
    );
  }

  async progress(state: UnitState): Promise<GateProgress[]> {
    const rulebook = await this.rulebooks.rulebook(state.rulebookVersion);
    return progress(state.snapshot, this.clock.now().toISOString(), rulebook).map((p) =>
      Object.assign(new GateProgress(), p),
    );
  }
}
