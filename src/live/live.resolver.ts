import { Inject } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { Access } from '../commands/access.js';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import { notFoundError } from '../common/results/not-found.js';
import { UnitStatus } from '../history/unit-status.model.js';
import { ChangeFeed, unitTopic, type UnitChange } from './change-feed.js';
import type { LiveContext } from './live-context.js';
import { LiveSubscription } from './live-subscription.js';

/**
 * Live updates over graphql-ws on /graphql. Scope is checked when a subscription starts (a unit outside it answers
 * as a missing one does) and again for every update before it is queued; an update is sent only after its command
 * committed, once per new version, in commit order.
 */
@Resolver()
export class LiveResolver {
  constructor(
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(Access) private readonly access: Access,
  ) {}

  @Policy('read')
  @Subscription(() => UnitStatus, {
    description:
      "The unit's status after every command accepted on it (on any instance), sent once the command has committed.",
    resolve: (change: UnitChange) => change.status!,
  })
  async unitChanged(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Context() context: LiveContext,
  ): Promise<AsyncIterator<UnitChange>> {
    const connection = context.connection;
    if (!connection)
      throw apiError(
        ApiErrorCode.BAD_USER_INPUT,
        'subscriptions are served over WebSocket (graphql-transport-ws) on /graphql.',
      );
    const unit = await this.access.requireNamed(context.principal(), unitId);
    if (!unit) throw notFoundError('Unit');
    // versions after the one read here: a catch-up that finds the unit as it was sends nothing
    let version = unit.state?.version ?? 0;
    const subscription = new LiveSubscription<UnitChange>(connection, (change) => {
      const principal = connection.currentPrincipal();
      if (!principal || !change.status || !this.access.inScope(principal, change) || change.status.version <= version)
        return false;
      version = change.status.version;
      return true;
    });
    return subscription.attach(this.feed.subscribe(unitTopic(unit.id), (change) => subscription.push(change)));
  }
}
