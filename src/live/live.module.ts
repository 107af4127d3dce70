import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { ChangeFeed } from './change-feed.js';
import { ChangeNotificationsRepository } from './change-notifications.repository.js';
import { LiveResolver } from './live.resolver.js';
import { LiveUpdatesPublisher } from './live-updates.publisher.js';
import { OversightModule } from '../oversight/oversight.module.js';
import { RollupLiveResolver } from './rollup-live.resolver.js';

/** Live updates: `unitChanged` and `rollupChanged`, fed after commit by this instance or, on PostgreSQL, any instance. */
@Module({
  imports: [CommandsModule, OversightModule],
  providers: [ChangeFeed, ChangeNotificationsRepository, LiveUpdatesPublisher, LiveResolver, RollupLiveResolver],
  exports: [ChangeFeed],
})
export class LiveModule {}
