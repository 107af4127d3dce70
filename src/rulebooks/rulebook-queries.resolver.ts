import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { RulebookModel } from './rulebook.models.js';
import { RulebooksService } from './rulebooks.service.js';

@Resolver()
export class RulebookQueriesResolver {
  constructor(@Inject(RulebooksService) private readonly rulebooks: RulebooksService) {}

  @Policy('read')
  @Query(() => RulebookModel, {
    name: 'rulebook',
    description: 'A rulebook by version; without one, the current one (new units start on it).',
  })
  rulebook(@Args('version', { type: () => Int, nullable: true }) version?: number | null): Promise<RulebookModel> {
    return this.rulebooks.get(version);
  }

  @Policy('read')
  @Query(() => [RulebookModel], { name: 'rulebooks', description: 'Every rulebook, oldest first.' })
  rulebookList(): Promise<RulebookModel[]> {
    return this.rulebooks.list();
  }
}
