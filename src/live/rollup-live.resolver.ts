import { Inject, Logger } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { Access } from '../commands/access.js';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import { OversightService } from '../oversight/oversight.service.js';
import { RollupModel } from '../oversight/rollup.models.js';
import { ChangeFeed, subtreeTopic } from './change-feed.js';
import type { LiveContext } from './live-context.js';
import { LiveSubscription } from './live-subscription.js';
import { Pacer } from './pacer.js';

/** A rollup subscriber gets at most one message in this many milliseconds. */
export const ROLLUP_INTERVAL_MS = 1000;

/**
 * `rollupChanged`: a subtree's rollup after the commands in it, at most one message a second per subscription — the
 * changes of a second are coalesced into one message carrying the rollup as read after the last of them — and only
 * when the rollup differs from the last one sent (most evidence moves no counter). Scope as for `unitChanged`.
 */
@Resolver()
export class RollupLiveResolver {
  private readonly logger = new Logger('LiveUpdates');

  constructor(
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(Access) private readonly access: Access,
    @Inject(OversightService) private readonly oversight: OversightService,
  ) {}

  @Policy('read')
  @Subscription(() => RollupModel, {
    description:
      "The rollup of the unit's subtree after commands in it (on any instance): at most one message a second, the latest rollup.",
    resolve: (rollup: RollupModel) => rollup,
  })
  async rollupChanged(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Context() context: LiveContext,
  ): Promise<AsyncIterator<RollupModel>> {
    const connection = context.connection;
    if (!connection)
      throw apiError(
        ApiErrorCode.BAD_USER_INPUT,
        'subscriptions are served over WebSocket (graphql-transport-ws) on /graphql.',
      );
    const root = await this.oversight.root(context.principal(), unitId);
    let last = JSON.stringify((await this.oversight.rollupOf(root)).counters);
    const subscription = new LiveSubscription<RollupModel>(connection, () => true);
    let reading = false;
    let pacer: Pacer | null = null;
    const send = async () => {
      if (reading) return void pacer?.changed(); // a change during the read: one more message, a second later
      reading = true;
      try {
        const principal = connection.currentPrincipal();
        if (!principal || !this.access.inScope(principal, root)) return;
        const rollup = await this.oversight.rollupOf(root);
        const key = JSON.stringify(rollup.counters);
        if (key === last) return;
        last = key;
        if (!subscription.replaceQueued(rollup)) subscription.push(rollup);
      } catch (error) {
        this.logger.error(`rollupChanged could not read the rollup of ${root.id}: ${(error as Error).message}`);
      } finally {
        reading = false;
      }
    };
    pacer = new Pacer(ROLLUP_INTERVAL_MS, () => void send());
    const paced = pacer;
    const unsubscribe = this.feed.subscribe(subtreeTopic(root.id), () => paced.changed());
    return subscription.attach(() => {
      unsubscribe();
      paced.stop();
    });
  }
}
