import { Module } from '@nestjs/common';
import { EventStoreRepository } from './event-store.repository.js';
import { HistoryService } from './history.service.js';

/** Each unit's append-only history: snapshots, hash-chained events, refused attempts. */
@Module({ providers: [EventStoreRepository, HistoryService], exports: [EventStoreRepository, HistoryService] })
export class HistoryModule {}
