import { Inject, Injectable, Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { STAGE_EVENTS, UNIT_KINDS, type StageEventType } from '../../machines/index.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { accepted } from '../commands/accepted.js';
import { Access } from '../commands/access.js';
import { CommandBus } from '../commands/command-bus.js';
import { readMeta } from '../commands/command-meta.js';
import { clip } from '../commands/attempt-record.js';
import {
  invalidInput,
  InvalidInput,
  notFound,
  NotFound,
  type StageEventFailure,
} from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import { UnitsRepository } from '../tree/units.repository.js';
import {
  BULK_STAGE_EVENT,
  STAGE_EVENT,
  type OverrideTransitionInput,
  type SendEventInput,
  type SendEventToSubtreeInput,
} from './stage-event.inputs.js';
import { BulkEventSummary, CodeCount, TransitionAccepted } from './stage-event.results.js';

const isStageEvent = (event: string): event is StageEventType => (STAGE_EVENTS as readonly string[]).includes(event);
const unknownEvent = (event: string) =>
  invalidInput(`event must be one of ${STAGE_EVENTS.join(', ')}; got ${JSON.stringify(clip(event, 40))}.`, 'event');
const BULK_PROGRESS_EVERY = 1000;

/** Stage events: sent by officers and supervisors, overridden by admins, or sent by an admin to a whole subtree. */
@Injectable()
export class StageEventsService {
  private readonly logger = new Logger('StageEvents');

  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(Access) private readonly access: Access,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
  ) {}

  /** LAUNCH needs to know whether the parent has launched (staggered launch, 压茬启动): read in the command's transaction. */
  private launchFacts = (unitId: string) => async (tx: Tx) => ({
    parentLaunched: (await this.units.parentPhase(tx, unitId)) !== 'registered',
  });

  async send(
    principal: Principal,
    input: SendEventInput | OverrideTransitionInput,
    override = false,
  ): Promise<TransitionAccepted | StageEventFailure> {
    const event = input.event;
    // the role of a stage event comes from the policy table; a name that is no stage event needs a role that sends some
    const operation: CommandName = override
      ? 'overrideTransition'
      : isStageEvent(event)
        ? `sendEvent:${event}`
        : 'sendEvent';
    const invalid = !isStageEvent(event)
      ? unknownEvent(event)
      : override && !(typeof input.reason === 'string' && input.reason.trim() !== '')
        ? invalidInput('reason is mandatory for an override.', 'reason')
        : null;
    return this.bus.submit(principal, {
      operation,
      type: (isStageEvent(event) ? event : 'LAUNCH') as StageEventType,
      unitId: input.unitId,
      input,
      shape: STAGE_EVENT,
      override,
      invalid,
      prepare: event === 'LAUNCH' ? this.launchFacts(input.unitId) : undefined,
      accepted: (a) => accepted(TransitionAccepted, a.status, a.event.seq, { event }),
    });
  }

  /**
   * An admin sends one stage event to every unit of a subtree (压茬启动: launching a county at once), parents
   * before children so that a staggered LAUNCH can pass. Each unit is its own command through the command bus —
   * the same permission, separation of duties and transaction as one sent alone.
   */
  async sendToSubtree(
    principal: Principal,
    input: SendEventToSubtreeInput,
  ): Promise<BulkEventSummary | InvalidInput | NotFound> {
    this.access.requireRole(principal, 'sendEventToSubtree');
    if (!isStageEvent(input.event)) return unknownEvent(input.event);
    const event = input.event;
    const kinds = input.kinds ?? null;
    const badKind = kinds?.find((k) => !(UNIT_KINDS as readonly string[]).includes(k));
    if (badKind !== undefined) return invalidInput(`kinds: ${clip(badKind, 40)} is not a unit kind.`, 'kinds');
    // the reason goes into every unit's command: refused once, up front, rather than once per unit
    const { meta } = readMeta({ reason: input.reason });
    if (meta.invalid) return meta.invalid;
    const root = await this.access.require(principal, 'sendEventToSubtree', input.rootId);
    if (!root) return notFound('Unit', input.rootId);

    const summary = Object.assign(new BulkEventSummary(), { event, total: 0, accepted: 0, blocked: 0, failed: 0 });
    const blocked = new Map<string, number>();
    const failed = new Map<string, number>();
    const count = (m: Map<string, number>, code: string) => m.set(code, (m.get(code) ?? 0) + 1);
    for await (const unit of this.units.subtreeInTreeOrder(root.id, root.depth)) {
      if (kinds && !kinds.includes(unit.kind)) continue;
      summary.total++;
      try {
        const result = await this.bus.submit(principal, {
          operation: `sendEvent:${event}`,
          type: event,
          unitId: unit.id,
          input: { unitId: unit.id, event, reason: meta.reason, bulkRootId: root.id },
          shape: BULK_STAGE_EVENT,
          prepare: event === 'LAUNCH' ? this.launchFacts(unit.id) : undefined,
          accepted: (a) => accepted(TransitionAccepted, a.status, a.event.seq, { event }),
        });
        if (result.__typename === 'TransitionAccepted') summary.accepted++;
        else if (result.__typename === 'TransitionBlocked') {
          summary.blocked++;
          for (const b of result.blockers) count(blocked, b.code);
        } else {
          summary.failed++;
          count(failed, result.errorCode);
        }
      } catch (error) {
        // a unit the admin may not act on (the requester judging its own look-back): counted, never skipped silently
        const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
        if (typeof code !== 'string') throw error;
        summary.failed++;
        count(failed, code);
      }
      if (summary.total % BULK_PROGRESS_EVERY === 0)
        this.logger.log(`${event} in a subtree: ${summary.total} units, ${summary.accepted} accepted`);
    }
    const counts = (m: Map<string, number>) =>
      [...m]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, n]) => Object.assign(new CodeCount(), { code, count: n }));
    summary.blockedByCode = counts(blocked);
    summary.failedByCode = counts(failed);
    return summary;
  }
}
