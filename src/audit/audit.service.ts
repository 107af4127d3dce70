import { Inject, Injectable } from '@nestjs/common';
import { explain, statusOf, type StoredSnapshot } from '../../machines/index.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { Clock } from '../clock/clock.js';
import { UnitsRepository, type UnitRow } from '../tree/units.repository.js';
import { EventStoreRepository, type EventRow } from '../history/event-store.repository.js';
import { AuditRepository, type CheckpointRow } from './audit.repository.js';
import { GENESIS_SIGNATURE, headsDigest, signatureValid, signCheckpoint } from './checkpoint.js';
import { foldEvent, genesisSnapshot } from '../history/fold.js';
import { verifyUnitHistory, type CheckpointHead, type VerificationResult } from '../history/history-verifier.js';

export interface ReplayStepView extends EventRow {
  stateBefore: string[];
  stateAfter: string[];
  gates: ReturnType<typeof explain>;
  refusal: string | null;
}

export interface ReplayView {
  unitId: string;
  steps: ReplayStepView[];
  final: { snapshot: StoredSnapshot; version: number; rulebookVersion: number };
  diverged: boolean;
}

export interface CheckpointsVerification {
  ok: boolean;
  checked: number;
  firstBrokenCheckpointId: number | null;
  problem: string | null;
}

/** Auditors: replay any unit's history step by step, verify it, read it as of any moment; checkpoints. */
@Injectable()
export class AuditService {
  constructor(
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Folds the unit's events up to `until` (inclusive), recording each step with the gates as evaluated then. */
  async replay(unit: UnitRow, until: Date | null, detailed = true): Promise<ReplayView> {
    const events = await this.audit.eventsOf(unit.id);
    let snapshot = genesisSnapshot(unit);
    const steps: ReplayStepView[] = [];
    let version = 0;
    let diverged = false;
    for (const event of events) {
      if (until !== null && event.at > until.getTime()) break;
      const before = snapshot;
      const result = foldEvent(snapshot, event);
      const refusal = result.ok ? null : result.failure === 'BLOCKED' ? result.blockers.map((b) => b.code).join(', ') : result.message;
      if (result.ok) {
        snapshot = result.snapshot;
        version = event.seq;
      }
      if (detailed) {
        steps.push({
          ...event,
          stateBefore: statusOf(before).activeStates,
          stateAfter: statusOf(snapshot).activeStates,
          gates: explain(before, new Date(event.at).toISOString(), { parentLaunched: event.type === 'LAUNCH' ? (event.payload.parentLaunched as boolean) : true }),
          refusal,
        });
      }
      if (!result.ok) {
        diverged = true;
        break;
      }
    }
    return { unitId: unit.id, steps, final: { snapshot, version, rulebookVersion: snapshot.context.rulebookVersion }, diverged };
  }

  /** The status the unit had at `at`: null if it did not exist yet. */
  async asOf(unit: UnitRow, at: Date) {
    if (unit.createdAt > at.getTime()) return null;
    const replayed = await this.replay(unit, at, false);
    const view = statusOf(replayed.final.snapshot);
    return { unitId: unit.id, phase: view.phase, activeStates: view.activeStates, version: replayed.final.version, rulebookVersion: replayed.final.rulebookVersion };
  }

  async verify(unit: UnitRow): Promise<VerificationResult> {
    const [events, states, checkpoint] = await Promise.all([
      this.audit.eventsOf(unit.id),
      this.store.statesByIds([unit.id]),
      this.checkpointHeadFor(unit.id),
    ]);
    return verifyUnitHistory({ unitId: unit.id, profile: unit, events, state: states.get(unit.id) ?? null, checkpoint });
  }

  /** Verifies many units with one read each of events, snapshots and checkpoint heads (CLI, bench). */
  async verifyBatch(units: UnitRow[], latest: CheckpointRow | null, latestValid: boolean): Promise<Map<string, VerificationResult>> {
    const ids = units.map((u) => u.id);
    const [events, states] = await Promise.all([this.audit.eventsOfUnits(ids), this.store.statesByIds(ids)]);
    const heads = latest ? await this.headsFor(latest.id, ids) : new Map<string, { seq: number; hash: string }>();
    const results = new Map<string, VerificationResult>();
    for (const unit of units) {
      const head = heads.get(unit.id);
      const checkpoint: CheckpointHead | null = latest && head ? { checkpointId: latest.id, seq: head.seq, hash: head.hash, valid: latestValid } : null;
      results.set(unit.id, verifyUnitHistory({ unitId: unit.id, profile: unit, events: events.get(unit.id) ?? [], state: states.get(unit.id) ?? null, checkpoint }));
    }
    return results;
  }

  private async headsFor(checkpointId: number, unitIds: string[]): Promise<Map<string, { seq: number; hash: string }>> {
    if (unitIds.length === 0) return new Map();
    const rows = await this.audit.db.query<Record<string, unknown>>(
      `SELECT unit_id, seq, hash FROM audit_checkpoint_heads WHERE checkpoint_id = ? AND unit_id IN (${unitIds.map(() => '?').join(', ')})`,
      [checkpointId, ...unitIds],
    );
    return new Map(rows.map((r) => [r.unit_id as string, { seq: Number(r.seq), hash: r.hash as string }]));
  }

  private key(): string {
    if (!this.config.auditKey) throw new Error('LOOKBACK_AUDIT_KEY is not set: checkpoints cannot be signed or checked.');
    return this.config.auditKey;
  }

  checkpointValid(row: CheckpointRow): boolean {
    return this.config.auditKey !== null && signatureValid(row, this.config.auditKey);
  }

  private async checkpointHeadFor(unitId: string): Promise<CheckpointHead | null> {
    const latest = await this.audit.latestCheckpoint();
    if (!latest) return null;
    const head = await this.audit.headOf(latest.id, unitId);
    return head ? { checkpointId: latest.id, seq: head.seq, hash: head.hash, valid: this.checkpointValid(latest) } : null;
  }

  /** A signed digest over every unit's chain head, chained to the previous checkpoint. */
  async createCheckpoint(): Promise<CheckpointRow> {
    const key = this.key();
    return this.audit.db.transaction(async (tx) => {
      const heads = await this.audit.heads(tx);
      const previous = await this.audit.latestCheckpoint(tx);
      const fields = { createdAt: this.clock.now().getTime(), unitCount: heads.length, digest: headsDigest(heads), prevSignature: previous?.signature ?? GENESIS_SIGNATURE };
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
      if (heads.length !== row.unitCount || headsDigest(heads) !== row.digest) return bad('the heads do not match the signed digest');
      prev = row.signature;
      checked++;
    }
    return { ok: true, checked, firstBrokenCheckpointId: null, problem: null };
  }

  async events(unitId: string): Promise<EventRow[]> {
    return this.audit.eventsOf(unitId);
  }
}
