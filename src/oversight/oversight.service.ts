import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { Access } from '../commands/access.js';
import { Clock } from '../clock/clock.js';
import { badArgument, decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { notFoundError } from '../common/results/not-found.js';
import { UnitsRepository, type UnitRow } from '../tree/units.repository.js';
import type { UnitModel } from '../units/unit.model.js';
import { toModel as toUnitModel } from '../units/units.service.js';
import { ActivityRepository, type Laggard, type Rusher } from './activity.repository.js';
import { MAX_POINTS, PHASE_COUNTERS, REGION_STATE_COUNTERS, type Counters } from './counters.js';
import {
  DEFAULT_IDLE_DAYS,
  DEFAULT_MIN_ATTEMPTS,
  DEFAULT_SINCE_DAYS,
  imbalanceOf,
  type ImbalanceView,
} from './imbalance.js';
import { campaignDay } from './rollup-maintainer.js';
import { RollupModel } from './rollup.models.js';
import type { SubtreeReport } from './report.js';
import { RollupsRepository } from './rollups.repository.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3_650;
/** Laggards named in a report (the list pages through the rest). */
const REPORT_LAGGARDS = 50;

export const progressIndexOf = (c: Counters): number => (c.units === 0 ? 0 : c.points / (MAX_POINTS * c.units));

export function toRollupModel(unitId: string, c: Counters): RollupModel {
  return Object.assign(new RollupModel(), {
    unitId,
    units: c.units,
    launched: c.launched,
    progressIndex: progressIndexOf(c),
    completedShare: c.units === 0 ? 0 : c.stage1_complete / c.units,
    byPhase: Object.entries(PHASE_COUNTERS).map(([phase, k]) => ({ phase, count: c[k] })),
    byRegionState: Object.entries(REGION_STATE_COUNTERS).map(([state, k]) => ({ state, count: c[k] })),
    openFindings: c.open_findings,
    unitsWithOpenFindings: c.units_with_open_findings,
    reforgesBegun: c.reforges_begun,
    counters: c,
  });
}

function days(name: string, value: number | null | undefined, fallback: number, min: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > MAX_DAYS)
    throw badArgument(`${name} must be a whole number from ${min} to ${MAX_DAYS}, got ${value}.`);
  return value;
}

function keyset<T>(cursor: string | null | undefined, parse: (a: string, b: string) => T | null): T | null {
  const key = decodeCursor(cursor);
  if (key === null) return null;
  const at = key.indexOf(':');
  const parsed = at > 0 ? parse(key.slice(0, at), key.slice(at + 1)) : null;
  if (parsed === null) throw badArgument(`after: "${cursor}" is not a cursor of this list.`);
  return parsed;
}

const wholeNumber = (s: string): number | null => (/^\d{1,16}$/.test(s) ? Number(s) : null);

/**
 * The most rows of refusals (a unit and a day each) one page of rushing may rank. It ranks them all in one statement,
 * which on SQLite holds the process: ~0.6 µs a row here, so ~65 ms at this bound (measured at 200,000 units). A wider
 * question — the whole country over months — is refused with where to look instead (each child's rollup counts its
 * refused stage events over any window in a few point reads).
 */
export const RUSHING_MAX_REFUSAL_DAYS = 100_000;

/** What the office and the supervisors read of a subtree: its rollup, its children's, laggards, rushing units. */
@Injectable()
export class OversightService {
  /** RUSHING_MAX_REFUSAL_DAYS; a test may lower it. */
  rushingMaxRefusalDays = RUSHING_MAX_REFUSAL_DAYS;

  constructor(
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
    @Inject(ActivityRepository) private readonly activity: ActivityRepository,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(Access) private readonly access: Access,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The unit the caller asks about: in scope, or NOT_FOUND (FORBIDDEN out of scope). */
  async root(principal: Principal, unitId: string): Promise<UnitRow> {
    const unit = await this.access.require(principal, 'read', unitId);
    if (!unit) throw notFoundError('Unit');
    return unit;
  }

  async rollupOf(unit: Pick<UnitRow, 'id'>): Promise<RollupModel> {
    const counters = (await this.rollups.read([unit.id])).get(unit.id);
    if (!counters) throw new Error(`unit ${unit.id} has no rollup`);
    return toRollupModel(unit.id, counters);
  }

  async rollup(principal: Principal, unitId: string): Promise<RollupModel> {
    return this.rollupOf(await this.root(principal, unitId));
  }

  async refusedStageEvents(rollup: RollupModel, sinceDays: number | null | undefined): Promise<number> {
    if (sinceDays === null || sinceDays === undefined) return rollup.counters.refused_stage_events;
    const window = days('sinceDays', sinceDays, DEFAULT_SINCE_DAYS, 1);
    return this.rollups.refusedSince(rollup.unitId, this.windowStart(window));
  }

  async imbalance(unitId: string): Promise<ImbalanceView> {
    const children = await this.rollups.ofChildren(unitId);
    return imbalanceOf(new Map([...children].map(([id, c]) => [id, progressIndexOf(c)])));
  }

  /** The children's rollups, in the order of `Unit.children` (by id). */
  async children(
    unitId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<RollupModel>> {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.rollups.childrenPage(unitId, limit + 1, decodeCursor(after));
    return toPage(
      rows,
      limit,
      ([id]) => id,
      ([id, counters]) => toRollupModel(id, counters),
    );
  }

  async laggards(
    principal: Principal,
    args: {
      underId: string;
      idleDays?: number | null;
      kind?: string | null;
      first?: number | null;
      after?: string | null;
    },
  ): Promise<Page<UnitModel>> {
    const root = await this.root(principal, args.underId);
    const limit = pageSize(args.first);
    const idleDays = days('idleDays', args.idleDays, DEFAULT_IDLE_DAYS, 0);
    const after = keyset<Laggard>(args.after, (a, b) =>
      wholeNumber(a) === null ? null : { idleSince: wholeNumber(a)!, unitId: b },
    );
    const rows =
      limit === 0
        ? []
        : await this.activity.laggards(
            root,
            this.clock.now().getTime() - idleDays * DAY_MS,
            args.kind ?? null,
            limit,
            after,
          );
    return this.unitPage(rows, limit, (r) => `${r.idleSince}:${r.unitId}`);
  }

  async rushing(
    principal: Principal,
    args: {
      underId: string;
      sinceDays?: number | null;
      minAttempts?: number | null;
      first?: number | null;
      after?: string | null;
    },
  ): Promise<Page<UnitModel>> {
    const root = await this.root(principal, args.underId);
    const limit = pageSize(args.first);
    const window = days('sinceDays', args.sinceDays, DEFAULT_SINCE_DAYS, 1);
    const minAttempts = args.minAttempts ?? DEFAULT_MIN_ATTEMPTS;
    if (!Number.isInteger(minAttempts) || minAttempts < 1)
      throw badArgument(`minAttempts must be a whole number of at least 1, got ${minAttempts}.`);
    const after = keyset<Rusher>(args.after, (a, b) =>
      wholeNumber(a) === null ? null : { refused: wholeNumber(a)!, unitId: b },
    );
    if (limit === 0) return this.unitPage([], limit, (r: Rusher) => r.unitId);
    const fromDay = this.windowStart(window);
    if (await this.activity.refusalDaysOver(root, fromDay, this.rushingMaxRefusalDays))
      throw badArgument(
        `rushing under this unit over ${window} days would rank more than ${this.rushingMaxRefusalDays.toLocaleString('en')} ` +
          'days of refused stage events at once: ask under a unit lower in the tree, or for fewer sinceDays ' +
          "(each child's rollup gives its refusedStageEvents(sinceDays)).",
      );
    const rows = await this.activity.rushing(root, fromDay, minAttempts, limit, after);
    return this.unitPage(rows, limit, (r) => `${r.refused}:${r.unitId}`);
  }

  /** The report upward of a subtree: its rollup, every child's, the imbalance among them, the first laggards. */
  async report(root: UnitRow, laggardsShown = REPORT_LAGGARDS): Promise<SubtreeReport> {
    const now = this.clock.now().getTime();
    const week = this.windowStart(DEFAULT_SINCE_DAYS);
    const reportUnit = async (unit: UnitRow) => ({
      id: unit.id,
      name: unit.name,
      kind: unit.kind,
      rollup: await this.rollupOf(unit),
      refusedThisWeek: await this.rollups.refusedSince(unit.id, week),
    });
    const imbalance = await this.imbalance(root.id);
    const lagging = new Set(imbalance.laggingChildren);
    const children: SubtreeReport['children'] = [];
    for await (const child of this.childrenInOrder(root.id))
      children.push({ ...(await reportUnit(child)), lagging: lagging.has(child.id) });
    const idle = await this.activity.laggards(root, now - DEFAULT_IDLE_DAYS * DAY_MS, null, laggardsShown, null);
    const named = new Map((await this.units.findByIds(idle.map((l) => l.unitId))).map((u) => [u.id, u]));
    return {
      generatedAt: new Date(now),
      root: await reportUnit(root),
      children,
      imbalance,
      laggards: idle.slice(0, laggardsShown).map((l) => ({
        id: l.unitId,
        name: named.get(l.unitId)!.name,
        kind: named.get(l.unitId)!.kind,
        idleSince: new Date(l.idleSince),
      })),
      moreLaggards: idle.length > laggardsShown,
      idleDays: DEFAULT_IDLE_DAYS,
    };
  }

  /** The first campaign day of a window of `window` days ending today. */
  windowStart(window: number): number {
    return campaignDay(this.clock.now().getTime()) - window + 1;
  }

  private async *childrenInOrder(parentId: string, size = 500): AsyncGenerator<UnitRow> {
    let after: string | null = null;
    for (;;) {
      const page = await this.units.page({ parentId }, size, after);
      yield* page.slice(0, size);
      if (page.length <= size) return;
      after = page[size - 1].id;
    }
  }

  private async unitPage<R extends { unitId: string }>(
    rows: R[],
    limit: number,
    key: (r: R) => string,
  ): Promise<Page<UnitModel>> {
    const units = new Map((await this.units.findByIds(rows.map((r) => r.unitId))).map((u) => [u.id, u]));
    return toPage(rows, limit, key, (r) => toUnitModel(units.get(r.unitId)!));
  }
}
