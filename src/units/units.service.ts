import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { UNIT_KINDS, statusOf as statusView } from '../../machines/index.js';
import type { Principal } from '../auth/principal.js';
import { Access } from '../commands/access.js';
import { CommandBus } from '../commands/command-bus.js';
import { CommandListeners } from '../commands/command-listeners.js';
import { label, id as idRule, value, type InputShape } from '../commands/input-rules.js';
import { Clock } from '../clock/clock.js';
import { uuidv7 } from '../common/ids.js';
import { decodeCursor, Page, pageSize, toPage } from '../common/pagination.js';
import { IdempotencyKeyReused, InvalidInput, invalidInput, NotFound } from '../common/results/error-results.js';
import { notFoundError } from '../common/results/not-found.js';
import type { Tx } from '../database/db.js';
import { HistoryService } from '../history/history.service.js';
import type { UnitStatus } from '../history/unit-status.model.js';
import { UnitFilter, UnitRow, UnitsRepository } from '../tree/units.repository.js';
import { ancestorsFor, MAX_NAME_LENGTH, MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import type { CreateUnitInput } from './unit.inputs.js';
import { UnitModel } from './unit.model.js';
import { UnitCreated } from './unit.results.js';

export const MAX_LEADER_COUNT = 1000;

/** What createUnit stores of its input: the name (NFC, trimmed, 1–200 characters), the kind, the parent, the cadres. */
const CREATE_UNIT: InputShape = { name: label(MAX_NAME_LENGTH), kind: value, parentId: idRule, leaderCount: value };

/** Phase and leaf paths per stored state value: a few dozen configurations exist, so the cache stays small. */
const views = new Map<string, { phase: string; activeStates: string[] }>();
const MAX_VIEWS = 1000;

function statusOf(row: UnitRow): UnitStatus {
  if (!row.state) throw new Error(`unit ${row.id} has no stored state`);
  let view = views.get(row.state.value);
  if (!view) {
    view = statusView({ value: JSON.parse(row.state.value), context: null as never });
    if (views.size < MAX_VIEWS) views.set(row.state.value, view);
  }
  return {
    unitId: row.id,
    phase: view.phase,
    activeStates: [...view.activeStates],
    version: row.state.version,
    rulebookVersion: row.state.rulebookVersion,
  };
}

export function toModel(row: UnitRow): UnitModel {
  return Object.assign(new UnitModel(), {
    status: statusOf(row),
    id: row.id,
    name: row.name,
    kind: row.kind,
    leaderCount: row.leaderCount,
    depth: row.depth,
    createdAt: new Date(row.createdAt),
    parentId: row.parentId,
    phase: row.phase,
    ancestors: row.ancestors,
  });
}

@Injectable()
export class UnitsService {
  constructor(
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(Access) private readonly access: Access,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CommandListeners) private readonly listeners: CommandListeners,
  ) {}

  /** createUnit: admins, under a parent in their scope (a root needs an admin of the whole tree), through the command bus. */
  create(
    principal: Principal,
    input: CreateUnitInput,
  ): Promise<UnitCreated | NotFound | InvalidInput | IdempotencyKeyReused> {
    return this.bus.create(principal, {
      operation: 'createUnit',
      parentId: input.parentId ?? null,
      input,
      shape: CREATE_UNIT,
      body: (tx, normalised, parent) => this.insert(tx, normalised, parent),
      replay: async (stored, tx) =>
        Object.assign(new UnitCreated(), { unit: toModel((await this.units.findById(stored.unitId as string, tx))!) }),
      remember: (created) => ({ __typename: 'UnitCreated', unitId: created.unit.id }),
    });
  }

  /** The unit and its history's first snapshot, in the command's transaction. */
  private async insert(
    tx: Tx,
    input: Record<string, unknown>,
    parent: UnitRow | null,
  ): Promise<UnitCreated | InvalidInput> {
    const kind = input.kind as string;
    if (!(UNIT_KINDS as readonly string[]).includes(kind)) return invalidInput('kind is not a unit kind.', 'kind');
    const leaderCount = (input.leaderCount as number | null | undefined) ?? 0;
    if (!Number.isInteger(leaderCount) || leaderCount < 0 || leaderCount > MAX_LEADER_COUNT) {
      return invalidInput(`leaderCount must be a whole number from 0 to ${MAX_LEADER_COUNT}.`, 'leaderCount');
    }
    if (parent && parent.depth + 1 >= MAX_TREE_DEPTH) {
      return invalidInput(
        `the tree is at most ${MAX_TREE_DEPTH} levels deep: the parent is on the last level.`,
        'parentId',
      );
    }
    const now = this.clock.now().getTime();
    const id = uuidv7(now);
    const row: UnitRow = {
      id,
      name: input.name as string,
      kind,
      parentId: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      ancestors: ancestorsFor(id, parent),
      leaderCount,
      phase: 'registered',
      createdAt: now,
      updatedAt: now,
    };
    await this.units.insert(tx, row);
    const state = await this.history.start(tx, row);
    await this.listeners.created(tx, row, state);
    // read back inside the transaction: the unit with the snapshot its history starts from
    return Object.assign(new UnitCreated(), { unit: toModel((await this.units.findById(id, tx))!) });
  }

  async findById(id: string): Promise<UnitModel | null> {
    const row = await this.units.findById(id);
    return row ? toModel(row) : null;
  }

  /** unit(id): null if unknown to a whole-tree principal; FORBIDDEN out of scope (or unknown, for a scoped one). */
  async readable(principal: Principal, id: string): Promise<UnitModel | null> {
    const unit = await this.access.require(principal, 'read', id);
    return unit ? toModel(unit) : null;
  }

  /** A unit read through a loader (a parent): the same answer as `readable`. */
  visible(principal: Principal, unit: UnitModel | null): UnitModel | null {
    if (unit && this.access.inScope(principal, unit)) return unit;
    if (unit || principal.scopeUnitId !== null) return this.access.denied();
    return null;
  }

  async list(
    principal: Principal,
    filter: { parentId?: string | null; underId?: string | null; kind?: string | null; phase?: string | null },
    first?: number | null,
    after?: string | null,
  ): Promise<Page<UnitModel>> {
    const limit = pageSize(first);
    const afterId = decodeCursor(after);
    const query: UnitFilter = { parentId: filter.parentId, kind: filter.kind, phase: filter.phase };
    for (const [arg, id] of [
      ['parentId', filter.parentId],
      ['underId', filter.underId],
    ] as const) {
      if (!id) continue;
      const unit = await this.access.require(principal, 'read', id);
      if (!unit) throw notFoundError('Unit');
      if (arg === 'underId') query.under = { id: unit.id, depth: unit.depth };
    }
    if (principal.scopeUnitId !== null && !filter.parentId && !filter.underId) {
      const scope = await this.units.findById(principal.scopeUnitId);
      if (!scope) return toPage([], limit, (r: UnitRow) => r.id, toModel);
      query.scope = { id: scope.id, depth: scope.depth };
    }
    const rows = limit === 0 ? [] : await this.units.page(query, limit, afterId);
    return toPage(rows, limit, (r) => r.id, toModel);
  }

  /** Per-request batching: every `parent` of a page is one statement, every `children` of a page another. */
  createLoaders() {
    const byId = new DataLoader<string, UnitModel | null>(async (ids) => {
      const rows = new Map((await this.units.findByIds(ids)).map((r) => [r.id, r]));
      return ids.map((id) => {
        const row = rows.get(id);
        return row ? toModel(row) : null;
      });
    });
    const childrenLoaders = new Map<string, DataLoader<string, Page<UnitModel>>>();
    const children = (first: number | null | undefined, after: string | null | undefined) => {
      const limit = pageSize(first);
      const afterId = decodeCursor(after);
      const key = `${limit}:${afterId ?? ''}`;
      let loader = childrenLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, Page<UnitModel>>(async (parentIds) => {
          const pages =
            limit === 0 ? new Map<string, UnitRow[]>() : await this.units.childrenOf(parentIds, limit, afterId);
          return parentIds.map((id) => toPage(pages.get(id) ?? [], limit, (r) => r.id, toModel));
        });
        childrenLoaders.set(key, loader);
      }
      return loader;
    };
    return { byId, children };
  }
}

export type UnitLoaders = ReturnType<UnitsService['createLoaders']>;
