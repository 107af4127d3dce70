import { Module } from '@nestjs/common';
import { UnitsRepository } from './units.repository.js';

/** The unit tree's table: read by the access rule and every feature, written by unit creation and stage events. */
@Module({ providers: [UnitsRepository], exports: [UnitsRepository] })
export class TreeModule {}
