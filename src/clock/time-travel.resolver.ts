import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { forbidden } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import { Args, GraphQLISODateTime, Int, Mutation, Resolver } from '@nestjs/graphql';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import { Clock, TravellingClock } from './clock.js';

export const MAX_ADVANCE_DAYS = 3660;

/** Registered only in time-travel mode (LOOKBACK_TIME_TRAVEL=1), which production refuses. */
@Resolver()
export class TimeTravelResolver {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @Policy('advanceClock')
  @Mutation(() => GraphQLISODateTime, { description: 'Test mode only: moves the server clock forward by whole days.' })
  advanceClock(@Args('days', { type: () => Int }) days: number, @CurrentPrincipal() principal: Principal) {
    // the clock is the whole service's: only an admin of the whole tree moves it
    if (principal.scopeUnitId !== null) throw forbidden('only an admin of the whole tree may move the clock.');
    if (!Number.isInteger(days) || days < 1 || days > MAX_ADVANCE_DAYS) {
      throw apiError(
        ApiErrorCode.BAD_USER_INPUT,
        `days must be a whole number from 1 to ${MAX_ADVANCE_DAYS}: time never goes back.`,
      );
    }
    const clock = this.clock as Clock & { advanceDays?: (d: number) => Date | Promise<Date> };
    if (!(clock instanceof TravellingClock) && typeof clock.advanceDays !== 'function')
      throw new Error('the clock cannot travel');
    return clock.advanceDays!(days);
  }
}
