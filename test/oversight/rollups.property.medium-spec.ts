import type { Principal } from '../../src/auth/principal.js';
import { EvidenceRepository } from '../../src/evidence/evidence.repository.js';
import { EvidenceService } from '../../src/evidence/evidence.service.js';
import { ActivityRepository } from '../../src/oversight/activity.repository.js';
import { RollupMaintainer } from '../../src/oversight/rollup-maintainer.js';
import { RollupVerifier } from '../../src/oversight/rollup-verifier.js';
import { RollupsRepository } from '../../src/oversight/rollups.repository.js';
import { StageEventsService } from '../../src/stage-events/stage-events.service.js';
import { FindingsRepository } from '../../src/supervision/findings.repository.js';
import { SupervisionService } from '../../src/supervision/supervision.service.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { mediumServices } from '../support/medium-services.js';

/**
 * Property: whatever commands arrive — accepted or refused, stage events, evidence, findings, verdicts, new units,
 * days passing — every rollup equals a recount from the units after each batch (on PostgreSQL with the background
 * fold interleaved at random). ROLLUP_PROPERTY_COMMANDS sets the number of commands (10,000 by default).
 */
const COMMANDS = Number(process.env.ROLLUP_PROPERTY_COMMANDS ?? 10_000);
const BATCH = 500;
const CONCURRENT = 6;

const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };
const OFFICER: Principal = { sub: 'officer', role: 'OFFICER', scopeUnitId: null };
const SUPERVISOR: Principal = { sub: 'supervisor', role: 'SUPERVISOR', scopeUnitId: null };
const KINDS = ['DIRECT_UNIT', 'GRASSROOTS', 'NON_PUBLIC_SOCIAL', 'NON_PUBLIC_SOCIAL'] as const;
const STAGE = [
  'LAUNCH',
  'COMPLETE_STUDY',
  'COMPLETE_LISTENING',
  'COMPLETE_CORRECTING',
  'REQUEST_LOOKBACK',
  'CONCLUDE_LOOKBACK',
];
const FORMATS = ['CONCENTRATED', 'THEMATIC_SEMINAR', 'GROUP_DISCUSSION', 'SELF_STUDY', 'ETHICS_TRAINING'];
const CHANNELS = ['FACE_TO_FACE', 'HOME_VISIT', 'FORUM', 'CONDUCT_REVIEW', 'PHONE'];
const CATEGORIES = ['FORMALISM', 'BUREAUCRATISM', 'WORK'];
const ITEMS = ['STUDY', 'LISTENING', 'COMBINED', 'STYLE'];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('rollups equal a recount from the units, whatever the commands', () => {
  const medium = useMediumDatabase();

  it(`${COMMANDS} seeded random commands over a generated tree: every rollup recounts exactly after each batch of ${BATCH}`, async () => {
    const { clock, unitsService, bus, access, units, listeners, store } = mediumServices(medium.db);
    const rollups = new RollupsRepository(medium.db);
    const activity = new ActivityRepository(medium.db);
    new RollupMaintainer(listeners, rollups, activity).onModuleInit();
    const stage = new StageEventsService(bus, access, units);
    const evidence = new EvidenceService(bus, new EvidenceRepository(medium.db));
    const supervision = new SupervisionService(bus, new FindingsRepository(medium.db));
    const verifier = new RollupVerifier(units, store, rollups, activity);
    const random = prng(20140301);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

    const tree: { id: string; depth: number }[] = [];
    const create = async (parent: { id: string; depth: number } | null) => {
      const created = await unitsService.create(ADMIN, {
        name: `单位${tree.length}`,
        kind: parent ? pick(KINDS) : 'LEADERSHIP_BODY',
        parentId: parent?.id ?? null,
        leaderCount: 1,
      });
      if (!('unit' in created)) throw new Error(JSON.stringify(created));
      tree.push({ id: created.unit.id, depth: created.unit.depth });
    };
    // a small province (2 cities × 2 counties × 2 townships): each unit gets hundreds of commands, enough to go round
    await create(null);
    for (let level = 0, from = 0; level < 3; level++) {
      const parents = tree.slice(from);
      from = tree.length;
      for (const parent of parents) for (let i = 0; i < 2; i++) await create(parent);
    }

    const problems = new Map<string, string[]>();
    const findings = new Map<string, string[]>();
    const now = () => clock.now();
    let accepted = 0;
    const note = (r: object) => {
      if (!('errorCode' in r)) accepted++;
    };

    /** One random command on the unit; resolves when it is answered (accepted or refused). */
    const command = async (unitId: string, roll: number): Promise<void> => {
      if (roll < 0.3) {
        const event = pick(STAGE);
        return note(await stage.send(event === 'CONCLUDE_LOOKBACK' ? SUPERVISOR : OFFICER, { unitId, event } as never));
      }
      if (roll < 0.33)
        return note(await evidence.fileStudyPlan(OFFICER, { unitId, topics: ['党章'], plannedDays: 5 } as never));
      if (roll < 0.47)
        return note(
          await evidence.recordStudySession(OFFICER, {
            unitId,
            format: pick(FORMATS),
            occurredAt: now(),
            hours: 4,
            attendees: 10,
          } as never),
        );
      if (roll < 0.51)
        return note(
          await evidence.recordFilmScreening(OFFICER, { unitId, title: '焦裕禄', occurredAt: now() } as never),
        );
      if (roll < 0.55)
        return note(
          await evidence.recordPartyLecture(OFFICER, {
            unitId,
            lecturer: `讲师${Math.floor(random() * 3)}`,
            occurredAt: now(),
          } as never),
        );
      if (roll < 0.67) {
        const input = {
          targetUnitId: unitId,
          collectedByUnitId: unitId,
          channel: pick(CHANNELS),
          category: pick(CATEGORIES),
          text: '意见',
          occurredAt: now(),
        };
        return note(await evidence.recordOpinion(OFFICER, input as never));
      }
      if (roll < 0.69)
        return note(
          await evidence.recordCollectiveDeliberation(OFFICER, {
            unitId,
            occurredAt: now(),
            opinionsDiscussed: 30,
          } as never),
        );
      if (roll < 0.72) {
        const r = await evidence.identifyProblem(OFFICER, {
          unitId,
          category: '其他',
          description: '问题',
          fixAtOnce: random() < 0.5,
        } as never);
        if ('problemId' in r) problems.set(unitId, [...(problems.get(unitId) ?? []), r.problemId as string]);
        return note(r);
      }
      if (roll < 0.77) {
        const problemId = problems.get(unitId)?.shift();
        if (problemId)
          return note(
            await evidence.rectifyProblem(OFFICER, { unitId, problemId, action: '已改', occurredAt: now() } as never),
          );
        return;
      }
      if (roll < 0.78) {
        const r = await supervision.issueFinding(SUPERVISOR, { unitId, kind: 'SHALLOW_STUDY', note: '浅' } as never);
        if ('findingId' in r) findings.set(unitId, [...(findings.get(unitId) ?? []), r.findingId as string]);
        return note(r);
      }
      if (roll < 0.84) {
        const findingId = findings.get(unitId)?.shift();
        if (findingId)
          return note(await supervision.resolveFinding(SUPERVISOR, { unitId, findingId, response: '已改' } as never));
        return;
      }
      if (roll < 0.997)
        return note(
          await supervision.recordLookBackVerdict(SUPERVISOR, {
            unitId,
            item: pick(ITEMS),
            verdict: random() < 0.75 ? 'PASS' : 'FAIL',
            note: '评',
          } as never),
        );
      const parent = tree.find((u) => u.id === unitId)!;
      if (parent.depth < 5) await create(parent);
    };

    for (let done = 0; done < COMMANDS;) {
      for (let i = 0; i < BATCH && done < COMMANDS;) {
        // up to CONCURRENT commands at once, on distinct units (they share commits, as concurrent clients do)
        const group = new Set<string>();
        while (group.size < CONCURRENT && i + group.size < BATCH && done + group.size < COMMANDS)
          group.add(pick(tree).id);
        await Promise.all([...group].map((unitId) => command(unitId, random())));
        i += group.size;
        done += group.size;
        if (random() < 0.08) clock.advanceDays(1);
        if (medium.db.dialect === 'postgres' && random() < 0.1) await rollups.fold(1 + Math.floor(random() * 50));
      }
      const result = await verifier.verify(null);
      expect(result.differences).toEqual([]);
      expect(result.units).toBe(tree.length);
    }
    const [root] = tree;
    const total = (await rollups.read([root.id])).get(root.id)!;
    // the commands did move units along: some launched, some past stage 1 or into a re-forge, some refused
    expect(total.launched).toBeGreaterThan(0);
    expect(total.refused_stage_events).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    if (COMMANDS >= 10_000)
      expect({ reforgesBegun: total.reforges_begun > 0, completed: total.stage1_complete > 0 }).toEqual({
        reforgesBegun: true,
        completed: true,
      });
  }, 600_000);
});
