import { Inject, Injectable } from '@nestjs/common';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import type { RulebookRecord } from './rulebook-document.js';
import { RulebookStore, UnknownRulebook } from './rulebook-store.js';
import { RulebookModel } from './rulebook.models.js';

export const toRulebookModel = (record: RulebookRecord, currentVersion: number): RulebookModel =>
  Object.assign(new RulebookModel(), {
    version: record.version,
    ruleset: record.ruleset,
    basedOn: record.basedOn,
    current: record.version === currentVersion,
    builtIn: record.builtIn,
    publishedAt: record.publishedAt === null ? null : new Date(record.publishedAt),
    publishedBy: record.publishedBy,
    reason: record.reason,
    document: record.document,
    contentHash: record.contentHash,
  });

/** The rulebooks the service runs: the built-in documents and every published one, read from the rulebook store. */
@Injectable()
export class RulebooksService {
  constructor(@Inject(RulebookStore) private readonly store: RulebookStore) {}

  async list(): Promise<RulebookModel[]> {
    const [records, current] = await Promise.all([this.store.all(), this.store.currentVersion()]);
    return records.map((record) => toRulebookModel(record, current));
  }

  async get(version: number | null | undefined): Promise<RulebookModel> {
    const current = await this.store.currentVersion();
    try {
      return toRulebookModel(await this.store.record(version ?? current), current);
    } catch (error) {
      if (error instanceof UnknownRulebook) throw apiError(ApiErrorCode.NOT_FOUND, error.message);
      throw error;
    }
  }
}
