import { Module } from '@nestjs/common';
import { RulebookStore } from '../rulebooks/rulebook-store.js';
import { RulebooksRepository } from '../rulebooks/rulebooks.repository.js';
import { EventStoreRepository } from './event-store.repository.js';
import { HistoryService } from './history.service.js';

/** Each unit's append-only history (snapshots, hash-chained events, refused attempts) and the rulebooks it runs under. */
@Module({
  providers: [EventStoreRepository, HistoryService, RulebooksRepository, RulebookStore],
  exports: [EventStoreRepository, HistoryService, RulebookStore, RulebooksRepository],
})
export class HistoryModule {}
