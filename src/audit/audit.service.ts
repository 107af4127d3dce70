import { Inject, Injectable } from '@nestjs/common';
import { explain, statusOf, RULEBOOK_MIGRATED, type StoredSnapshot } from '../../machines/index.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { Clock } from '../clock/clock.js';
import { Cooperative } from '../common/cooperative.js';
import { EventStoreRepository, type EventRow } from '../history/event-store.repository.js';
import { foldEvent, versionsIn } from '../history/fold.js';
import type { GenesisFields } from '../history/hash-chain.js';
import { verifyUnitHistory, type CheckpointHead, type VerificationResult } from '../history/history-verifier.js';
import { RulebookStore, type RulebookLookup } from '../rulebooks/rulebook-store.js';
import type { UnitRow } from '../tree/units.repository.js';
import { AuditRepository, type CheckpointRow } from './audit.repository.js';
import { GENESIS_SIGNATURE, headsDigest, signatureValid, signCheckpoint } from './checkpoint.js';
import { HeavyWork } from './heavy-work.js';

export interface ReplayStepView extends EventRow {
  stateBefore: string[];
  stateAfter: string[];
  gates: ReturnType<typeof explain>;
  refusal: string | null;
}

export interface ReplayPage {
  unitId: string;
  steps: ReplayStepView[];
  /** more steps follow this page (at or before `until`) */
  hasMore: boolean;
  diverged: boolean;
}

export interface AsOf {
  snapshot: StoredSnapshot;
  version: number;
  rulebookVersion: number;
}

export interface CheckpointsVerification {
  ok: boolean;
  checked: number;
  firstBrokenCheckpointId: number | null;
  problem: string | null;
}

/** Events read per statement when a whole history is read. */
const HISTORY_PAGE = 500;

const refusalOf = (result: ReturnType<typeof foldEvent>) =>
  result.ok ? null : result.failure === 'BLOCKED' ? result.blockers.map((b) => b.code).join(', ') : result.message;

/**
 * Auditors: replay any unit's history step by step, verify it, read it as of any moment; checkpoints. Reading as
 * of a moment and a page of replay start from the nearest stored snapshot (at most SNAPSHOT_EVERY events to fold);
 * verification folds the whole history, giving the event loop back as it goes, a few at a time.
 */
@Injectable()
export class AuditService {
  private readonly heavy = new HeavyWork(2);

  constructor(
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  /** The rulebooks a fold of these events needs, read from the database if this instance has not seen them. */
  private lookupFor(startVersion: number, events: readonly EventRow[]): Promise<RulebookLookup> {
    return this.rulebooks.lookupFor(versionsIn(startVersion, events));
  }

  /** The unit after event `seq`: the nearest stored snapshot, then the events after it folded. */
  private async stateAfter(unitId: string, seq: number): Promise<AsOf> {
    const start = await this.store.snapshotAtOrBefore(unitId, seq);
    if (!start) throw new Error(`unit ${unitId} has no first snapshot`);
    let snapshot = start.snapshot;
    let version = start.seq;
    const events = await this.store.eventsBetween(unitId, start.seq, seq);
    const rulebooks = await this.lookupFor(start.rulebookVersion, events);
    for (const event of events) {
      const result = foldEvent(snapshot, event, rulebooks, await this.priorIfMigration(event));
      if (!result.ok) break; // an illegal stored step: the state stays where the rules left it (verifyHistory says why)
      snapshot = result.snapshot;
      version = event.seq;
    }
    return { snapshot, version, rulebookVersion: snapshot.context.rulebookVersion };
  }

  /** The unit as it stood at `at`: null if it did not exist yet. */
  async asOf(unit: UnitRow, at: Date): Promise<AsOf | null> {
    if (unit.createdAt > at.getTime()) return null;
    return this.stateAfter(unit.id, await this.store.lastSeqAtOrBefore(unit.id, at.getTime()));
  }

  /** A page of the replay: the steps after `afterSeq` (up to `until`), each with its state before/after and the gates then. */
  async replay(
    unit: UnitRow,
    until: Date | null,
    afterSeq: number,
    first: number,
  ): Promise<ReplayPage & { final: AsOf }> {
    const lastSeq =
      until === null ? (unit.state?.version ?? 0) : await this.store.lastSeqAtOrBefore(unit.id, until.getTime());
    const events = await this.store.eventsBetween(unit.id, afterSeq, Math.min(lastSeq, afterSeq + first + 1));
    const page = events.slice(0, first);
    let { snapshot } = await this.stateAfter(unit.id, afterSeq);
    const rulebooks = await this.lookupFor(snapshot.context.rulebookVersion, page);
    const steps: ReplayStepView[] = [];
    let diverged = false;
    for (const event of page) {
      const before = snapshot;
      const result = foldEvent(snapshot, event, rulebooks, await this.priorIfMigration(event));
      if (result.ok) snapshot = result.snapshot;
      const parentLaunched = event.type === 'LAUNCH' ? (event.payload.parentLaunched as boolean) : true;
      steps.push({
        ...event,
        stateBefore: statusOf(before).activeStates,
        stateAfter: statusOf(snapshot).activeStates,
        gates: explain(before, new Date(event.at).toISOString(), rulebooks(before.context.rulebookVersion), {
          parentLaunched,
        }),
        refusal: refusalOf(result),
      });
      if (!result.ok) {
        diverged = true;
        break;
      }
    }
    const final = await this.stateAfter(unit.id, lastSeq);
    return { unitId: unit.id, steps, hasMore: !diverged && events.length > first, diverged, final };
  }

  /** A migration folds from the unit's events before it (every migration also stores a snapshot, so this is rare). */
  private async priorIfMigration(event: EventRow): Promise<EventRow[] | undefined> {
    return event.type === RULEBOOK_MIGRATED ? this.store.eventsBetween(event.unitId, 0, event.seq - 1) : undefined;
  }

  async verify(unit: UnitRow): Promise<VerificationResult> {
    return this.heavy.run(async () => {
      const cooperative = new Cooperative();
      const [events, states, snapshots, checkpoint] = await Promise.all([
        this.readHistory(unit.id, cooperative),
        this.store.statesByIds([unit.id]),
        this.store.snapshotsOf([unit.id]),
        this.checkpointHeadFor(unit.id),
      ]);
      const history = {
        unitId: unit.id,
        profile: unit,
        events,
        snapshots: snapshots.get(unit.id) ?? [],
        state: states.get(unit.id) ?? null,
        checkpoint,
      };
      const rulebooks = await this.lookupFor(history.snapshots[0]?.rulebookVersion ?? 0, history.events);
      return verifyUnitHistory(history, rulebooks, cooperative);
    });
  }

  /** A whole history, read a page at a time (one statement per page; a long history never blocks in one read). */
  private async readHistory(unitId: string, cooperative: Cooperative): Promise<EventRow[]> {
    const events: EventRow[] = [];
    for (;;) {
      const page = await this.store.events(unitId, events.at(-1)?.seq ?? 0, HISTORY_PAGE);
      events.push(...page);
      if (page.length < HISTORY_PAGE) return events;
      await cooperative.pause();
    }
  }

  /** Verifies many units with one read each of events, snapshots, states and checkpoint heads (CLI, bench). */
  async verifyBatch(
    units: UnitRow[],
    latest: CheckpointRow | null,
    latestValid: boolean,
  ): Promise<Map<string, VerificationResult>> {
    const ids = units.map((u) => u.id);
    const [events, states, snapshots] = await Promise.all([
      this.audit.eventsOfUnits(ids),
      this.store.statesByIds(ids),
      this.store.snapshotsOf(ids),
    ]);
    const heads = latest ? await this.audit.headsFor(latest.id, ids) : new Map<string, { seq: number; hash: string }>();
    const results = new Map<string, VerificationResult>();
    for (const unit of units) {
      const head = heads.get(unit.id);
      const checkpoint: CheckpointHead | null =
        latest && head ? { checkpointId: latest.id, seq: head.seq, hash: head.hash, valid: latestValid } : null;
      const history = {
        unitId: unit.id,
        profile: unit,
        events: events.get(unit.id) ?? [],
        snapshots: snapshots.get(unit.id) ?? [],
        state: states.get(unit.id) ?? null,
        checkpoint,
      };
      const rulebooks = await this.lookupFor(history.snapshots[0]?.rulebookVersion ?? 0, history.events);
      results.set(unit.id, await verifyUnitHistory(history, rulebooks));
    }
    return results;
  }

  private key(): string {
    if (!this.config.auditKey)
      throw new Error('LOOKBACK_AUDIT_KEY is not set: checkpoints cannot be signed or checked.');
    return this.config.auditKey;
  }

  checkpointValid(row: CheckpointRow): boolean {
    return this.config.auditKey !== null && signatureValid(row, this.config.auditKey);
  }

  private async checkpointHeadFor(unitId: string): Promise<CheckpointHead | null> {
    const latest = await this.audit.latestCheckpoint();
    if (!latest) return null;
    const head = await this.audit.headOf(latest.id, unitId);
    return head
      ? { checkpointId: latest.id, seq: head.seq, hash: head.hash, valid: this.checkpointValid(latest) }
      : null;
  }

  /** A signed digest over every unit's chain head, chained to the previous checkpoint. */
  async createCheckpoint(): Promise<CheckpointRow> {
    const key = this.key();
    return this.audit.inTransaction(async (tx) => {
      const heads = await this.audit.heads(tx);
      const previous = await this.audit.latestCheckpoint(tx);
      const fields = {
        createdAt: this.clock.now().getTime(),
        unitCount: heads.length,
        digest: headsDigest(heads),
        prevSignature: previous?.signature ?? GENESIS_SIGNATURE,
      };
      const signature = signCheckpoint(fields, key);
      const id = await this.audit.insertCheckpoint(tx, { ...fields, signature }, heads);
      return { id, ...fields, signature };
    });
  }

  /** Every checkpoint: its chain to the previous one, its signature, and its digest recomputed from its heads. */
  async verifyCheckpoints(): Promise<CheckpointsVerification> {
    const key = this.key();
    let prev = GENESIS_SIGNATURE;
    let checked = 0;
    for (const row of await this.audit.checkpoints()) {
      const bad = (problem: string) => ({ ok: false, checked, firstBrokenCheckpointId: row.id, problem });
      if (row.prevSignature !== prev) return bad('the chain to the previous checkpoint is broken');
      if (!signatureValid(row, key)) return bad('the signature does not match');
      const heads = await this.audit.headsOf(row.id);
      if (heads.length !== row.unitCount || headsDigest(heads) !== row.digest)
        return bad('the heads do not match the signed digest');
      prev = row.signature;
      checked++;
    }
    return { ok: true, checked, firstBrokenCheckpointId: null, problem: null };
  }

  /** What a unit's chain starts from: the hash of these fields is its first event's prevHash. */
  async genesisOf(unit: UnitRow): Promise<GenesisFields> {
    const first = await this.store.snapshotAtOrBefore(unit.id, 0);
    if (!first) throw new Error(`unit ${unit.id} has no first snapshot`);
    return { unitId: unit.id, kind: unit.kind, leaderCount: unit.leaderCount, rulebookVersion: first.rulebookVersion };
  }

  async events(unitId: string): Promise<EventRow[]> {
    return this.audit.eventsOf(unitId);
  }
}
