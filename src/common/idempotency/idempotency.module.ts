import { Global, Module } from '@nestjs/common';
import { IdempotencyPruner } from './idempotency-pruner.js';
import { IdempotencyRepository } from './idempotency.repository.js';

@Global()
@Module({ providers: [IdempotencyRepository, IdempotencyPruner], exports: [IdempotencyRepository] })
export class IdempotencyModule {}
