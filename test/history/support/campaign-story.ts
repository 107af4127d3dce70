import type { Principal } from '../../../src/auth/principal.js';
import type { Db } from '../../../src/database/db.js';
import { EvidenceRepository } from '../../../src/evidence/evidence.repository.js';
import { EvidenceService } from '../../../src/evidence/evidence.service.js';
import type { UnitStatus } from '../../../src/history/unit-status.model.js';
import { StageEventsService } from '../../../src/stage-events/stage-events.service.js';
import { mediumServices } from '../../support/medium-services.js';

export const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };
export const OFFICER: Principal = { sub: 'officer', role: 'OFFICER', scopeUnitId: null };

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The command path of mediumServices plus the officers' features on top of it (each command goes through `bus.submit`). */
export function campaignServices(db: Db, overrides: Parameters<typeof mediumServices>[1] = {}) {
  const services = mediumServices(db, overrides);
  const evidence = new EvidenceService(services.bus, new EvidenceRepository(db));
  const stageEvents = new StageEventsService(services.bus, services.access, services.units);
  return { ...services, evidence, stageEvents };
}

export type CampaignServices = ReturnType<typeof campaignServices>;

/** One accepted command of a story: the seq it appended, the time the gates saw, the status it answered. */
export interface StoryStep {
  seq: number;
  at: number;
  type: string;
  status: UnitStatus;
}

export async function createGrassroots(services: CampaignServices, name: string): Promise<string> {
  const created = await services.unitsService.create(ADMIN, { name, kind: 'GRASSROOTS' });
  if (!('unit' in created)) throw new Error(`createUnit: ${JSON.stringify(created)}`);
  return created.unit.id;
}

/**
 * Where a long GRASSROOTS story moves on, by seq: the regions complete one by one (crossing the stored snapshot at
 * seq 64 with the unit in a new configuration) and the unit enters the look-back; every other step is evidence.
 */
const MILESTONES: Record<number, string> = {
  1: 'plan',
  2: 'LAUNCH',
  70: 'COMPLETE_STUDY',
  130: 'COMPLETE_LISTENING',
  140: 'problem',
  150: 'COMPLETE_CORRECTING',
  190: 'REQUEST_LOOKBACK',
};
const EVIDENCE = ['session', 'film', 'lecture', 'opinion'] as const;

/**
 * Records `count` legal commands on a GRASSROOTS unit as an officer, 30 minutes apart (ten days before the look-back
 * request, for its stage dwell), each through the command bus; throws on any refusal. Returns every step as answered.
 */
export async function recordStory(
  services: CampaignServices,
  unitId: string,
  count: number,
  firstSeq = 1,
): Promise<StoryStep[]> {
  const { clock, evidence, stageEvents } = services;
  const steps: StoryStep[] = [];
  for (let seq = firstSeq; seq < firstSeq + count; seq++) {
    clock.advanceMs(seq === 190 ? 10 * DAY : 30 * MINUTE);
    const occurredAt = new Date(clock.now().getTime() - MINUTE);
    const what = MILESTONES[seq] ?? EVIDENCE[seq % EVIDENCE.length];
    let answer: { __typename: string; status?: UnitStatus; eventSeq?: number };
    switch (what) {
      case 'plan':
        answer = await evidence.fileStudyPlan(OFFICER, { unitId, topics: ['群众路线', '焦裕禄精神'], plannedDays: 2 });
        break;
      case 'session':
        answer = await evidence.recordStudySession(OFFICER, {
          unitId,
          format: 'GROUP_DISCUSSION',
          occurredAt,
          hours: 2,
          attendees: 12,
          topic: `学习 ${seq}`,
        });
        break;
      case 'film':
        answer = await evidence.recordFilmScreening(OFFICER, { unitId, title: '焦裕禄', occurredAt });
        break;
      case 'lecture':
        answer = await evidence.recordPartyLecture(OFFICER, { unitId, lecturer: `讲师${seq % 3}`, occurredAt });
        break;
      case 'opinion':
        answer = await evidence.recordOpinion(OFFICER, {
          targetUnitId: unitId,
          collectedByUnitId: unitId,
          channel: 'FORUM',
          category: 'HEDONISM',
          text: `意见 ${seq}`,
          occurredAt,
        });
        break;
      case 'problem':
        answer = await evidence.identifyProblem(OFFICER, {
          unitId,
          category: '吃喝',
          description: '公款吃喝',
          fixAtOnce: false,
          dueAt: new Date(clock.now().getTime() + 60 * DAY),
        });
        break;
      default:
        answer = await stageEvents.send(OFFICER, { unitId, event: what });
    }
    if (!answer.status || answer.eventSeq !== seq)
      throw new Error(`story step ${seq} (${what}) was not accepted: ${JSON.stringify(answer)}`);
    steps.push({ seq, at: clock.now().getTime(), type: what, status: answer.status });
  }
  return steps;
}
