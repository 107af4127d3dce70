import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { cut } from '../commands/attempt-record.js';
import { CommandBus } from '../commands/command-bus.js';
import { versionConflict, type VersionConflict } from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import { applyChanges, inputReasons, MAX_REASON_LENGTH, type RefusalReason } from './rulebook-changes.js';
import { recordOf } from './rulebook-document.js';
import { RulebookStore, UnknownRulebook } from './rulebook-store.js';
import { RulebooksRepository } from './rulebooks.repository.js';
import { RulebookPublished, rulebookRefused, type RulebookRefused } from './publish.models.js';
import { toRulebookModel } from './rulebooks.service.js';

export interface PublishRequest {
  basedOn: number;
  changes: unknown;
  reason: string;
}

type PublishFailure = RulebookRefused | VersionConflict;

/**
 * Publishing a rulebook version (rule 5's "admins may publish a new version that changes numbers and lists"): an
 * admin of the whole tree, through the command bus. The number is the highest stored + 1 as read before the
 * transaction; the insert claims it or finds it taken (another publication won: VersionConflict, nothing written).
 */
@Injectable()
export class RulebookPublisher {
  private readonly logger = new Logger('Rulebooks');

  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(RulebookStore) private readonly store: RulebookStore,
    @Inject(RulebooksRepository) private readonly repository: RulebooksRepository,
  ) {}

  publish(principal: Principal, request: PublishRequest): Promise<RulebookPublished | PublishFailure> {
    return this.bus.wholeTree<RulebookPublished, PublishFailure>(principal, {
      operation: 'publishRulebook',
      input: { ...request },
      detail: (failure) =>
        'reasons' in failure
          ? {
              reasons: failure.reasons
                .slice(0, 30)
                .map((r) => ({ path: r.path.slice(0, 200), message: r.message.slice(0, 300) })),
            }
          : {},
      prepare: async () => {
        const version = (await this.repository.highest()) + 1;
        const base = await this.base(request.basedOn);
        const reasons: RefusalReason[] = inputReasons(request.reason, base !== null, request.basedOn);
        const outcome = base ? applyChanges(base, request.changes, version) : null;
        if (outcome && !outcome.ok) reasons.push(...outcome.reasons);
        return async (tx: Tx, now: number) => {
          if (reasons.length || !outcome?.ok) return rulebookRefused(reasons);
          const record = recordOf(outcome.document, {
            basedOn: request.basedOn,
            // stored as well-formed Unicode (a lone surrogate replaced), like every text the service keeps
            reason: cut(request.reason.trim(), MAX_REASON_LENGTH),
            publishedBy: principal.sub,
            publishedAt: now,
            builtIn: false,
          });
          if ((await this.repository.insertIfAbsent(tx, record)) === 0) {
            const current = await this.repository.highest(tx);
            return Object.assign(versionConflict(current, version - 1), {
              // the conflict is about the rulebooks, not a unit (the Chinese message says so)
              subject: 'rulebook',
              message: `rulebook v${version} was published while this one was being checked (the newest is now v${current}): read it, then publish again.`,
            });
          }
          tx.afterCommit(() => {
            this.store.remember(record);
            this.logger.log(`rulebook v${version} published by ${principal.sub} (based on v${request.basedOn})`);
          });
          return Object.assign(new RulebookPublished(), { rulebook: toRulebookModel(record, version) });
        };
      },
    });
  }

  private async base(version: number) {
    try {
      return await this.store.rulebook(version);
    } catch (error) {
      if (error instanceof UnknownRulebook) return null;
      throw error;
    }
  }
}
