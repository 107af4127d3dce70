import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { ChangeFeed } from './change-feed.js';
import { LiveResolver } from './live.resolver.js';
import { LiveUpdatesPublisher } from './live-updates.publisher.js';

/** Live updates: `unitChanged` subscriptions, fed after commit by this instance or, on PostgreSQL, any instance. */
@Module({
  imports: [CommandsModule],
  providers: [ChangeFeed, LiveUpdatesPublisher, LiveResolver],
  exports: [ChangeFeed],
})
export class LiveModule {}
