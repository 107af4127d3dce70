import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { Db } from '../database/db.js';
import { AuthService } from '../auth/auth.service.js';
import { forbidden } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../common/clock.js';
import { uuidv7 } from '../common/ids.js';
import { decodeCursor, Page, pageSize, toPage, badArgument } from '../common/pagination.js';
import { IdempotencyKeyReused, idempotencyKeyReused, InvalidInput, invalidInput, NotFound, notFound } from '../common/results/error-results.js';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository.js';
import { canonicalJson } from '../common/canonical-json.js';
import { createHash } from 'node:crypto';
import { UNIT_KINDS } from '../../machines/vocabulary.js';
import { statusOf as statusView } from '../../machines/index.js';
import type { UnitStatus } from './unit-status.model.js';
import { UnitFilter, UnitRow, UnitsRepository } from './units.repository.js';
import { ancestorsFor, MAX_NAME_LENGTH, MAX_TREE_DEPTH } from './unit-tree.js';
import { UnitModel } from './unit.model.js';
import { UnitCreated } from './unit.results.js';
import { UnitCreationHooks } from './unit-creation-hooks.js';

export interface CreateUnitCommand {
  name: string;
  kind: string;
  parentId?: string | null;
  leaderCount?: number | null;
}

export const MAX_LEADER_COUNT = 1000;

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
  return { unitId: row.id, phase: view.phase, activeStates: [...view.activeStates], version: row.state.version, rulebookVersion: row.state.rulebookVersion };
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
    @Inject(Db) private readonly db: Db,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(UnitCreationHooks) private readonly hooks: UnitCreationHooks,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(IdempotencyRepository) private readonly idempotency: IdempotencyRepository,
  ) {}

  /** createUnit over the API: admins only, under a parent in their scope (a root needs an unscoped admin). */
  async createAs(principal: Principal, command: CreateUnitCommand & { idempotencyKey?: string | null }): Promise<UnitCreated | NotFound | InvalidInput | IdempotencyKeyReused> {
    this.auth.requireRole(principal, 'createUnit');
    if (command.parentId) {
      const parent = await this.units.findById(command.parentId);
      if (parent) this.auth.requireScope(principal, parent.id, parent.ancestors);
      else if (principal.scopeUnitId !== null) throw forbidden(`unit ${command.parentId} is outside your scope.`);
    } else if (principal.scopeUnitId !== null) {
      throw forbidden('only an admin of the whole tree may create a root unit.');
    }
    return this.create(command, { principal: principal.sub, key: command.idempotencyKey ?? null });
  }

  async create(command: CreateUnitCommand, idempotency: { principal: string; key: string | null } = { principal: '', key: null }): Promise<UnitCreated | NotFound | InvalidInput | IdempotencyKeyReused> {
    const name = command.name.trim();
    if (name.length === 0) return invalidInput('name must not be empty.', 'name');
    if (name.length > MAX_NAME_LENGTH) return invalidInput(`name must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}.`, 'name');
    if (!(UNIT_KINDS as readonly string[]).includes(command.kind)) return invalidInput(`kind ${command.kind} is not a unit kind.`, 'kind');
    const leaderCount = command.leaderCount ?? 0;
    if (!Number.isInteger(leaderCount) || leaderCount < 0 || leaderCount > MAX_LEADER_COUNT) {
      return invalidInput(`leaderCount must be a whole number from 0 to ${MAX_LEADER_COUNT}.`, 'leaderCount');
    }
    const key = idempotency.key;
    if (key !== null && (key.length === 0 || key.length > 200)) return invalidInput('idempotencyKey must be 1–200 characters.', 'idempotencyKey');
    const requestHash = createHash('sha256')
      .update(canonicalJson({ command: 'createUnit', name, kind: command.kind, parentId: command.parentId ?? null, leaderCount }))
      .digest('hex');
    return this.db.transaction(async (tx) => {
      if (key !== null) {
        const prior = await this.idempotency.find(tx, idempotency.principal, key);
        if (prior) {
          if (prior.requestHash !== requestHash) return idempotencyKeyReused(key);
          const unit = await this.units.findById(prior.unitId, tx);
          return Object.assign(new UnitCreated(), { unit: toModel(unit!) });
        }
      }
      let parent: UnitRow | null = null;
      if (command.parentId) {
        parent = await this.units.findById(command.parentId, tx);
        if (!parent) return notFound('Unit', command.parentId);
        if (parent.depth + 1 >= MAX_TREE_DEPTH) {
          return invalidInput(`the tree is at most ${MAX_TREE_DEPTH} levels deep: ${parent.name} is on the last level.`, 'parentId');
        }
      }
      const now = this.clock.now().getTime();
      const id = uuidv7(now);
      const row: UnitRow = {
        id,
        name,
        kind: command.kind,
        parentId: parent?.id ?? null,
        depth: parent ? parent.depth + 1 : 0,
        ancestors: ancestorsFor(id, parent),
        leaderCount,
        phase: 'registered',
        createdAt: now,
        updatedAt: now,
      };
      await this.units.insert(tx, row);
      await this.hooks.afterInsert(tx, row);
      if (key !== null) await this.idempotency.store(tx, idempotency.principal, key, { requestHash, unitId: id, response: { __typename: 'UnitCreated', unitId: id } }, now);
      // read back inside the transaction: the unit with the state the creation hooks stored
      return Object.assign(new UnitCreated(), { unit: toModel((await this.units.findById(id, tx))!) });
    });
  }

  async findById(id: string): Promise<UnitModel | null> {
    const row = await this.units.findById(id);
    return row ? toModel(row) : null;
  }

  /** A unit the principal may read: null if unknown (FORBIDDEN instead for a scoped principal), FORBIDDEN out of scope. */
  readable(principal: Principal, unit: UnitModel | null, id: string): UnitModel | null {
    if (!unit) {
      if (principal.scopeUnitId !== null) throw forbidden(`unit ${id} is outside your scope.`);
      return null;
    }
    this.auth.requireScope(principal, unit.id, unit.ancestors);
    return unit;
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
    for (const [arg, id] of [['parentId', filter.parentId], ['underId', filter.underId]] as const) {
      if (!id) continue;
      const unit = await this.units.findById(id);
      if (!unit) {
        if (principal.scopeUnitId !== null) throw forbidden(`unit ${id} is outside your scope.`);
        throw badArgument(`${arg}: unit ${id} was not found.`);
      }
      this.auth.requireScope(principal, unit.id, unit.ancestors);
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
          const pages = limit === 0 ? new Map<string, UnitRow[]>() : await this.units.childrenOf(parentIds, limit, afterId);
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
