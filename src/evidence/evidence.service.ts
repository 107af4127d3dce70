import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { accepted } from '../commands/accepted.js';
import { CommandBus } from '../commands/command-bus.js';
import type { AcceptedCommand } from '../commands/unit-transaction.js';
import { uuidv7 } from '../common/ids.js';
import { mustBelong, type EventCommandFailure } from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import * as I from './evidence.inputs.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceRecorded, OpinionRecorded, ProblemIdentified } from './evidence.results.js';

type Answer<S> = Promise<S | EventCommandFailure>;

/** The evidence unit officers record. Each method is one command on one unit, through the command bus. */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(EvidenceRepository) private readonly evidence: EvidenceRepository,
  ) {}

  private recorded = (a: AcceptedCommand) => accepted(EvidenceRecorded, a.status, a.event.seq);

  fileStudyPlan(principal: Principal, input: I.FileStudyPlanInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'fileStudyPlan',
      type: 'FILE_STUDY_PLAN',
      unitId: input.unitId,
      input,
      shape: I.FILE_STUDY_PLAN,
      accepted: this.recorded,
    });
  }

  recordStudySession(principal: Principal, input: I.RecordStudySessionInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'recordStudySession',
      type: 'STUDY_SESSION',
      unitId: input.unitId,
      input,
      shape: I.RECORD_STUDY_SESSION,
      accepted: this.recorded,
    });
  }

  /** The audience must be a unit the officer may act for: no lectures recorded in the name of units outside the scope. */
  recordPartyLecture(principal: Principal, input: I.RecordPartyLectureInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'recordPartyLecture',
      type: 'PARTY_LECTURE',
      unitId: input.unitId,
      input,
      shape: I.RECORD_PARTY_LECTURE,
      named: [input.audienceUnitId],
      accepted: this.recorded,
    });
  }

  recordFilmScreening(principal: Principal, input: I.RecordFilmScreeningInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'recordFilmScreening',
      type: 'FILM_SCREENING',
      unitId: input.unitId,
      input,
      shape: I.RECORD_FILM_SCREENING,
      accepted: this.recorded,
    });
  }

  /**
   * An opinion is a command on its target unit, whoever collected it (下去一把抓、回来再分家); who collected it
   * must be in the recorder's scope too: nobody records opinions in another unit's name.
   */
  recordOpinion(principal: Principal, input: I.RecordOpinionInput): Answer<OpinionRecorded> {
    return this.bus.submit(principal, {
      operation: 'recordOpinion',
      type: 'OPINION_RECORDED',
      unitId: input.targetUnitId,
      input,
      shape: I.RECORD_OPINION,
      named: [input.collectedByUnitId],
      prepare: async () => ({ opinionId: uuidv7() }),
      project: (tx: Tx, a: AcceptedCommand) =>
        this.evidence.insertOpinion(tx, {
          id: a.event.payload.opinionId as string,
          targetUnitId: a.unitId,
          collectedByUnitId: a.event.payload.collectedByUnitId as string,
          channel: a.event.payload.channel as string,
          category: a.event.payload.category as string,
          text: a.event.payload.text as string,
          occurredAt: a.event.occurredAt as number,
          recordedAt: a.at,
          claimedAt: null,
        }),
      accepted: (a) =>
        accepted(OpinionRecorded, a.status, a.event.seq, { opinionId: a.event.payload.opinionId as string }),
    });
  }

  claimOpinion(principal: Principal, input: I.ClaimOpinionInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'claimOpinion',
      type: 'OPINION_CLAIMED',
      unitId: input.unitId,
      input,
      shape: I.CLAIM_OPINION,
      prepare: async (tx) => {
        const opinion = await this.evidence.findOpinion(tx, input.opinionId);
        const ref = {
          entity: 'Opinion',
          id: input.opinionId,
          field: 'opinionId',
          unitId: input.unitId,
          elsewhere: 'the opinion is routed to another unit.',
        };
        return mustBelong(opinion?.targetUnitId, ref);
      },
      project: (tx, a) => this.evidence.claimOpinion(tx, input.opinionId, a.at),
      accepted: this.recorded,
    });
  }

  recordCollectiveDeliberation(
    principal: Principal,
    input: I.RecordCollectiveDeliberationInput,
  ): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'recordCollectiveDeliberation',
      type: 'COLLECTIVE_DELIBERATION',
      unitId: input.unitId,
      input,
      shape: I.RECORD_COLLECTIVE_DELIBERATION,
      accepted: this.recorded,
    });
  }

  identifyProblem(principal: Principal, input: I.IdentifyProblemInput): Answer<ProblemIdentified> {
    return this.bus.submit(principal, {
      operation: 'identifyProblem',
      type: 'PROBLEM_IDENTIFIED',
      unitId: input.unitId,
      input,
      shape: I.IDENTIFY_PROBLEM,
      prepare: async (tx) => {
        if (input.sourceOpinionId) {
          const opinion = await this.evidence.findOpinion(tx, input.sourceOpinionId);
          const ref = {
            entity: 'Opinion',
            id: input.sourceOpinionId,
            field: 'sourceOpinionId',
            unitId: input.unitId,
            elsewhere: 'the source opinion is about another unit.',
          };
          const refused = mustBelong(opinion?.targetUnitId, ref);
          if (refused) return refused;
        }
        return { problemId: uuidv7() };
      },
      project: (tx, a) =>
        this.evidence.insertProblem(tx, {
          id: a.event.payload.problemId as string,
          unitId: a.unitId,
          category: a.event.payload.category as string,
          description: a.event.payload.description as string,
          fixAtOnce: a.event.payload.fixAtOnce as boolean,
          dueAt: input.dueAt ? input.dueAt.getTime() : null,
          sourceOpinionId: input.sourceOpinionId ?? null,
          identifiedAt: a.at,
          rectifiedAt: null,
          action: null,
        }),
      accepted: (a) =>
        accepted(ProblemIdentified, a.status, a.event.seq, { problemId: a.event.payload.problemId as string }),
    });
  }

  rectifyProblem(principal: Principal, input: I.RectifyProblemInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'rectifyProblem',
      type: 'PROBLEM_RECTIFIED',
      unitId: input.unitId,
      input,
      shape: I.RECTIFY_PROBLEM,
      prepare: async (tx) => {
        const problem = await this.evidence.findProblem(tx, input.problemId);
        const ref = {
          entity: 'Problem',
          id: input.problemId,
          field: 'problemId',
          unitId: input.unitId,
          elsewhere: 'the problem belongs to another unit.',
        };
        return mustBelong(problem?.unitId, ref);
      },
      project: (tx, a) => this.evidence.rectifyProblem(tx, input.problemId, a.at, a.event.payload.action as string),
      accepted: this.recorded,
    });
  }

  recordProvinceActivity(principal: Principal, input: I.RecordProvinceActivityInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'recordProvinceActivity',
      type: 'PROVINCE_ACTIVITY',
      unitId: input.unitId,
      input,
      shape: I.RECORD_PROVINCE_ACTIVITY,
      accepted: this.recorded,
    });
  }

  fileSelfAssessment(principal: Principal, input: I.FileSelfAssessmentInput): Answer<EvidenceRecorded> {
    return this.bus.submit(principal, {
      operation: 'fileSelfAssessment',
      type: 'SELF_ASSESSMENT_FILED',
      unitId: input.unitId,
      input,
      shape: I.FILE_SELF_ASSESSMENT,
      accepted: this.recorded,
    });
  }
}
