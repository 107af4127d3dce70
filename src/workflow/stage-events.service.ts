import { Inject, Injectable, Logger } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { STAGE_EVENTS, UNIT_KINDS, type StageEventType } from '../../machines/index.js';
import { AuthService } from '../auth/auth.service.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { invalidInput, InvalidInput, NotFound } from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import { UnitsRepository } from '../units/units.repository.js';
import { CommandGate, payloadOf } from './command-gate.js';
import { CommandRunner } from './command-runner.js';
import { accepted, TransitionAccepted } from './models/command-results.js';
import type { OverrideTransitionInput, SendEventInput, SendEventToSubtreeInput } from './workflow.inputs.js';
import { WorkflowService, type CommandFailure } from './workflow.service.js';

@ObjectType()
export class CodeCount {
  @Field()
  code: string;
  @Field(() => Int)
  count: number;
}

@ObjectType()
export class BulkEventSummary {
  readonly __typename = 'BulkEventSummary';
  @Field()
  event: string;
  @Field(() => Int, { description: 'Units the event was sent to.' })
  total: number;
  @Field(() => Int)
  accepted: number;
  @Field(() => [CodeCount], { description: 'Units whose gates blocked the event, counted by blocker code.' })
  blockedByCode: CodeCount[];
  @Field(() => Int)
  blocked: number;
  @Field(() => [CodeCount], { description: 'Units that refused for another reason, counted by error code.' })
  failedByCode: CodeCount[];
  @Field(() => Int)
  failed: number;
}

const BULK_PROGRESS_EVERY = 1000;

@Injectable()
export class StageEventsService {
  private readonly logger = new Logger('StageEvents');

  constructor(
    @Inject(WorkflowService) private readonly workflow: WorkflowService,
    @Inject(CommandGate) private readonly gate: CommandGate,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
  ) {}

  private stageEvent(event: string): StageEventType | InvalidInput {
    return (STAGE_EVENTS as readonly string[]).includes(event)
      ? (event as StageEventType)
      : invalidInput(`event must be one of ${STAGE_EVENTS.join(', ')}; got ${JSON.stringify(event)}.`, 'event');
  }

  /** LAUNCH needs to know whether the parent has launched (staggered launch): read in the command's transaction. */
  private async launchFacts(tx: Tx, unitId: string): Promise<{ parentLaunched: boolean }> {
    const [row] = await tx.query<{ phase: string | null }>(
      'SELECT p.phase AS phase FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ?',
      [unitId],
    );
    return { parentLaunched: row?.phase === null || row?.phase === undefined || row.phase !== 'registered' };
  }

  async send(principal: Principal, input: SendEventInput, options: { override?: boolean } = {}): Promise<TransitionAccepted | CommandFailure> {
    const event = this.stageEvent(input.event);
    const policy: CommandName = options.override ? 'overrideTransition' : (`sendEvent:${event instanceof InvalidInput ? 'LAUNCH' : event}` as CommandName);
    // Permission first (role, then scope), even for an unknown event name; the bad input is then a logged attempt.
    const unit = await this.gate.admit(principal, policy, input.unitId);
    if (unit instanceof NotFound) return unit;
    if (event === 'CONCLUDE_LOOKBACK') await this.commands.refuseSelfJudgement(principal, unit.id);
    const invalid =
      event instanceof InvalidInput ? event : options.override && !input.reason?.trim() ? invalidInput('reason is mandatory for an override.', 'reason') : null;
    const { unitId, ...rest } = payloadOf(input);
    return this.workflow.execute(principal, {
      name: policy,
      unitId: unitId as string,
      type: (event instanceof InvalidInput ? input.event : event) as StageEventType,
      payload: { unitId, ...rest },
      invalid,
      idempotencyKey: input.idempotencyKey,
      expectedVersion: input.expectedVersion,
      reason: input.reason,
      override: options.override,
      prepare: event === 'LAUNCH' ? (tx) => this.launchFacts(tx, unit.id) : undefined,
      accepted: (a) => accepted(TransitionAccepted, a.status, a.event.seq, { event: input.event }),
    });
  }

  override(principal: Principal, input: OverrideTransitionInput) {
    return this.send(principal, input, { override: true });
  }

  /**
   * An admin sends one stage event to every unit of a subtree (压茬启动: launching a county at once), parents
   * before children so that a staggered LAUNCH can pass. Each unit is its own command and transaction.
   */
  async sendToSubtree(principal: Principal, input: SendEventToSubtreeInput): Promise<BulkEventSummary | InvalidInput | NotFound> {
    this.auth.requireRole(principal, 'sendEventToSubtree');
    const event = this.stageEvent(input.event);
    if (event instanceof InvalidInput) return event;
    const kinds = input.kinds ?? null;
    const badKind = kinds?.find((k) => !(UNIT_KINDS as readonly string[]).includes(k));
    if (badKind !== undefined) return invalidInput(`kinds: ${badKind} is not a unit kind.`, 'kinds');
    const root = await this.gate.admit(principal, 'sendEventToSubtree', input.rootId);
    if (root instanceof NotFound) return root;

    const summary: BulkEventSummary = Object.assign(new BulkEventSummary(), { event, total: 0, accepted: 0, blocked: 0, failed: 0, blockedByCode: [] as CodeCount[], failedByCode: [] as CodeCount[] });
    const blocked = new Map<string, number>();
    const failed = new Map<string, number>();
    for await (const current of this.units.subtreeInTreeOrder(root.id, root.depth)) {
      if (kinds && !kinds.includes(current.kind)) continue;
      const result = await this.workflow.execute(principal, {
        name: `sendEvent:${event}` as CommandName,
        unitId: current.id,
        type: event,
        payload: { unitId: current.id, event, reason: input.reason ?? null, bulkRootId: root.id },
        reason: input.reason,
        prepare: event === 'LAUNCH' ? (tx) => this.launchFacts(tx, current.id) : undefined,
        accepted: (a) => accepted(TransitionAccepted, a.status, a.event.seq, { event }),
      });
      summary.total++;
      if (result.__typename === 'TransitionAccepted') summary.accepted++;
      else if (result.__typename === 'TransitionBlocked') {
        summary.blocked++;
        for (const b of result.blockers) blocked.set(b.code, (blocked.get(b.code) ?? 0) + 1);
      } else {
        summary.failed++;
        const code = (result as CommandFailure).errorCode;
        failed.set(code, (failed.get(code) ?? 0) + 1);
      }
      if (summary.total % BULK_PROGRESS_EVERY === 0) {
        this.logger.log(`${event} under ${root.id}: ${summary.total} units, ${summary.accepted} accepted, ${summary.blocked} blocked, ${summary.failed} failed`);
      }
    }
    const counts = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([code, count]) => Object.assign(new CodeCount(), { code, count }));
    summary.blockedByCode = counts(blocked);
    summary.failedByCode = counts(failed);
    this.logger.log(`${event} under ${root.id} done: ${summary.total} units, ${summary.accepted} accepted, ${summary.blocked} blocked, ${summary.failed} failed`);
    return summary;
  }
}
