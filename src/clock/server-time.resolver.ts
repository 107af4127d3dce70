import { Inject } from '@nestjs/common';
import { GraphQLISODateTime, Query, Resolver } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { Clock } from './clock.js';

@Resolver()
export class ServerTimeResolver {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @Policy('read')
  @Query(() => GraphQLISODateTime, {
    description: "The server's clock: the time the gates see (the test clock in time-travel mode).",
  })
  serverTime() {
    return this.clock.now();
  }
}
