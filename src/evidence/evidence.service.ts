import { Inject, Injectable } from '@nestjs/common';
import type { CampaignEventType } from '../../machines/index.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { uuidv7 } from '../common/ids.js';
import { invalidInput, InvalidInput, notFound, NotFound } from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import { CommandGate, payloadOf } from '../workflow/command-gate.js';
import type { UnitState } from '../workflow/event-store.repository.js';
import { accepted, EvidenceRecorded, OpinionRecorded, ProblemIdentified } from '../workflow/models/command-results.js';
import { ReadModelsRepository } from '../workflow/read-models.repository.js';
import type {
  ClaimOpinionInput,
  CommandInput,
  FileStudyPlanInput,
  IdentifyProblemInput,
  RecordCollectiveDeliberationInput,
  RecordFilmScreeningInput,
  RecordOpinionInput,
  RecordPartyLectureInput,
  RecordStudySessionInput,
  RectifyProblemInput,
} from '../workflow/workflow.inputs.js';
import { AcceptedCommand, CommandFailure, WorkflowCommand, WorkflowService } from '../workflow/workflow.service.js';
import { checkTexts } from './text-limits.js';

type Extra<S extends { __typename: string }> = Pick<WorkflowCommand<S>, 'prepare' | 'project'>;

/** The evidence unit officers record. Each method is one command on one unit. */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(WorkflowService) private readonly workflow: WorkflowService,
    @Inject(CommandGate) private readonly gate: CommandGate,
    @Inject(ReadModelsRepository) private readonly readModels: ReadModelsRepository,
  ) {}

  private async command<S extends { __typename: string }>(
    principal: Principal,
    name: CommandName,
    type: CampaignEventType,
    unitId: string,
    input: CommandInput,
    accept: (a: AcceptedCommand) => S,
    extra: Extra<S> = {},
    texts: Record<string, unknown> = {},
  ): Promise<S | CommandFailure> {
    const unit = await this.gate.admit(principal, name, unitId);
    if (unit instanceof NotFound) return unit;
    return this.workflow.execute(principal, {
      invalid: checkTexts(texts),
      name,
      unitId,
      type,
      payload: payloadOf(input),
      idempotencyKey: input.idempotencyKey,
      expectedVersion: input.expectedVersion,
      accepted: accept,
      ...extra,
    });
  }

  private recorded = (a: AcceptedCommand) => accepted(EvidenceRecorded, a.status, a.event.seq);

  fileStudyPlan(principal: Principal, input: FileStudyPlanInput) {
    return this.command(principal, 'fileStudyPlan', 'FILE_STUDY_PLAN', input.unitId, input, this.recorded, {}, { topics: input.topics });
  }

  recordStudySession(principal: Principal, input: RecordStudySessionInput) {
    return this.command(principal, 'recordStudySession', 'STUDY_SESSION', input.unitId, input, this.recorded, {}, { topic: input.topic });
  }

  recordPartyLecture(principal: Principal, input: RecordPartyLectureInput) {
    const prepare = async (tx: Tx): Promise<CommandFailure | void> => {
      if (input.audienceUnitId && !(await unitExists(tx, input.audienceUnitId))) return notFound('Unit', input.audienceUnitId);
    };
    return this.command(principal, 'recordPartyLecture', 'PARTY_LECTURE', input.unitId, input, this.recorded, { prepare }, { lecturer: input.lecturer });
  }

  recordFilmScreening(principal: Principal, input: RecordFilmScreeningInput) {
    return this.command(principal, 'recordFilmScreening', 'FILM_SCREENING', input.unitId, input, this.recorded, {}, { title: input.title });
  }

  /** An opinion is a command on its target unit, whoever collected it (下去一把抓、回来再分家). */
  recordOpinion(principal: Principal, input: RecordOpinionInput) {
    const prepare = async (tx: Tx): Promise<CommandFailure | Record<string, unknown>> => {
      if (!(await unitExists(tx, input.collectedByUnitId))) return notFound('Unit', input.collectedByUnitId);
      return { opinionId: uuidv7() };
    };
    const project = (tx: Tx, a: AcceptedCommand) =>
      this.readModels.insertOpinion(tx, {
        id: a.event.payload.opinionId as string,
        targetUnitId: input.targetUnitId,
        collectedByUnitId: input.collectedByUnitId,
        channel: input.channel,
        category: input.category,
        text: input.text,
        occurredAt: input.occurredAt.getTime(),
        recordedAt: a.at,
        claimedAt: null,
      });
    const accept = (a: AcceptedCommand) => accepted(OpinionRecorded, a.status, a.event.seq, { opinionId: a.event.payload.opinionId as string });
    return this.command(principal, 'recordOpinion', 'OPINION_RECORDED', input.targetUnitId, input, accept, { prepare, project }, { text: input.text });
  }

  claimOpinion(principal: Principal, input: ClaimOpinionInput) {
    const prepare = async (tx: Tx): Promise<CommandFailure | void> => {
      const opinion = await this.readModels.findOpinion(tx, input.opinionId);
      if (!opinion) return notFound('Opinion', input.opinionId);
      if (opinion.targetUnitId !== input.unitId) return invalidInput(`Opinion ${input.opinionId} is routed to another unit.`, 'opinionId');
    };
    const project = (tx: Tx, a: AcceptedCommand) => this.readModels.claimOpinion(tx, input.opinionId, a.at);
    return this.command(principal, 'claimOpinion', 'OPINION_CLAIMED', input.unitId, input, this.recorded, { prepare, project });
  }

  recordCollectiveDeliberation(principal: Principal, input: RecordCollectiveDeliberationInput) {
    return this.command(principal, 'recordCollectiveDeliberation', 'COLLECTIVE_DELIBERATION', input.unitId, input, this.recorded);
  }

  identifyProblem(principal: Principal, input: IdentifyProblemInput) {
    const prepare = async (tx: Tx): Promise<CommandFailure | Record<string, unknown>> => {
      if (input.sourceOpinionId) {
        const opinion = await this.readModels.findOpinion(tx, input.sourceOpinionId);
        if (!opinion) return notFound('Opinion', input.sourceOpinionId);
        if (opinion.targetUnitId !== input.unitId) return invalidInput(`Opinion ${input.sourceOpinionId} is about another unit.`, 'sourceOpinionId');
      }
      return { problemId: uuidv7() };
    };
    const project = (tx: Tx, a: AcceptedCommand) =>
      this.readModels.insertProblem(tx, {
        id: a.event.payload.problemId as string,
        unitId: input.unitId,
        category: input.category.trim(),
        description: input.description,
        fixAtOnce: input.fixAtOnce,
        dueAt: input.dueAt ? input.dueAt.getTime() : null,
        sourceOpinionId: input.sourceOpinionId ?? null,
        identifiedAt: a.at,
        rectifiedAt: null,
        action: null,
      });
    const accept = (a: AcceptedCommand) => accepted(ProblemIdentified, a.status, a.event.seq, { problemId: a.event.payload.problemId as string });
    return this.command(principal, 'identifyProblem', 'PROBLEM_IDENTIFIED', input.unitId, input, accept, { prepare, project }, {
      category: input.category,
      description: input.description,
    });
  }

  rectifyProblem(principal: Principal, input: RectifyProblemInput) {
    const prepare = async (tx: Tx, _state: UnitState): Promise<CommandFailure | void> => {
      const problem = await this.readModels.findProblem(tx, input.problemId);
      if (!problem) return notFound('Problem', input.problemId);
      if (problem.unitId !== input.unitId) return invalidInput(`Problem ${input.problemId} belongs to another unit.`, 'problemId');
    };
    const project = (tx: Tx, a: AcceptedCommand) => this.readModels.rectifyProblem(tx, input.problemId, a.at, input.action);
    return this.command(principal, 'rectifyProblem', 'PROBLEM_RECTIFIED', input.unitId, input, this.recorded, { prepare, project }, { action: input.action });
  }
}

async function unitExists(tx: Tx, id: string): Promise<boolean> {
  return (await tx.query('SELECT id FROM units WHERE id = ?', [id])).length === 1;
}

export type { InvalidInput };
