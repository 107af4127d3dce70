import { Inject, Injectable } from '@nestjs/common';
import type { CampaignEventType } from '../../machines/index.js';
import { forbidden } from '../auth/auth-errors.js';
import type { Tx } from '../database/db.js';
import type { Principal } from '../auth/principal.js';
import { HistoryService } from '../history/history.service.js';

/**
 * Separation of duties, in one place: the events that judge a look-back (a verdict, concluding it — by a
 * supervisor, an admin, an override or a bulk send alike) may not come from the principal who requested it.
 */
const JUDGES_THE_LOOKBACK: ReadonlySet<CampaignEventType> = new Set<CampaignEventType>([
  'LOOKBACK_VERDICT',
  'CONCLUDE_LOOKBACK',
]);

@Injectable()
export class SeparationOfDuties {
  constructor(@Inject(HistoryService) private readonly history: HistoryService) {}

  /** In the command's transaction, after the unit's snapshot is locked: the requester cannot change under it. */
  async check(tx: Tx, principal: Principal, unitId: string, type: CampaignEventType): Promise<void> {
    if (!JUDGES_THE_LOOKBACK.has(type)) return;
    const requester = await this.history.lastActorOf(tx, unitId, 'REQUEST_LOOKBACK');
    if (requester === principal.sub) throw forbidden('you requested this look-back and may not judge it.');
  }
}
