import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { uuidv7 } from '../common/ids.js';
import { invalidInput, notFound } from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import { CommandRunner } from '../workflow/command-runner.js';
import { AuthService } from '../auth/auth.service.js';
import { forbidden } from '../auth/auth-errors.js';
import { UnitsRepository } from '../units/units.repository.js';
import type { UnitState } from '../workflow/event-store.repository.js';
import { accepted, EvidenceRecorded, OpinionRecorded, ProblemIdentified } from '../workflow/models/command-results.js';
import { ReadModelsRepository } from '../workflow/read-models.repository.js';
import type {
  ClaimOpinionInput,
  FileStudyPlanInput,
  IdentifyProblemInput,
  RecordCollectiveDeliberationInput,
  RecordFilmScreeningInput,
  RecordOpinionInput,
  RecordPartyLectureInput,
  RecordStudySessionInput,
  RectifyProblemInput,
} from '../workflow/workflow.inputs.js';
import type { AcceptedCommand, CommandFailure } from '../workflow/workflow.service.js';

/** The evidence unit officers record. Each method is one command on one unit. */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(ReadModelsRepository) private readonly readModels: ReadModelsRepository,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  private recorded = (a: AcceptedCommand) => accepted(EvidenceRecorded, a.status, a.event.seq);

  fileStudyPlan(principal: Principal, input: FileStudyPlanInput) {
    return this.commands.submit(principal, { name: 'fileStudyPlan', type: 'FILE_STUDY_PLAN', unitId: input.unitId, input, accepted: this.recorded, texts: { topics: input.topics } });
  }

  recordStudySession(principal: Principal, input: RecordStudySessionInput) {
    return this.commands.submit(principal, { name: 'recordStudySession', type: 'STUDY_SESSION', unitId: input.unitId, input, accepted: this.recorded, texts: { topic: input.topic } });
  }

  recordPartyLecture(principal: Principal, input: RecordPartyLectureInput) {
    const prepare = async (tx: Tx): Promise<CommandFailure | void> => {
      if (input.audienceUnitId && !(await unitExists(tx, input.audienceUnitId))) return notFound('Unit', input.audienceUnitId);
    };
    return this.commands.submit(principal, { name: 'recordPartyLecture', type: 'PARTY_LECTURE', unitId: input.unitId, input, accepted: this.recorded, prepare, texts: { lecturer: input.lecturer } });
  }

  recordFilmScreening(principal: Principal, input: RecordFilmScreeningInput) {
    return this.commands.submit(principal, { name: 'recordFilmScreening', type: 'FILM_SCREENING', unitId: input.unitId, input, accepted: this.recorded, texts: { title: input.title } });
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
    // who collected it must be in the principal's scope too: nobody records opinions in another unit's name
    const permit = async () => {
      const collector = await this.units.findById(input.collectedByUnitId);
      if (collector) this.auth.requireScope(principal, collector.id, collector.ancestors);
      else if (principal.scopeUnitId !== null) throw forbidden(`unit ${input.collectedByUnitId} is outside your scope.`);
    };
    return this.commands.submit(principal, {
      name: 'recordOpinion',
      type: 'OPINION_RECORDED',
      unitId: input.targetUnitId,
      input,
      accepted: accept,
      permit,
      prepare,
      project,
      texts: { text: input.text },
    });
  }

  claimOpinion(principal: Principal, input: ClaimOpinionInput) {
    const prepare = async (tx: Tx): Promise<CommandFailure | void> => {
      const opinion = await this.readModels.findOpinion(tx, input.opinionId);
      if (!opinion) return notFound('Opinion', input.opinionId);
      if (opinion.targetUnitId !== input.unitId) return invalidInput(`Opinion ${input.opinionId} is routed to another unit.`, 'opinionId');
    };
    const project = (tx: Tx, a: AcceptedCommand) => this.readModels.claimOpinion(tx, input.opinionId, a.at);
    return this.commands.submit(principal, { name: 'claimOpinion', type: 'OPINION_CLAIMED', unitId: input.unitId, input, accepted: this.recorded, prepare, project });
  }

  recordCollectiveDeliberation(principal: Principal, input: RecordCollectiveDeliberationInput) {
    return this.commands.submit(principal, { name: 'recordCollectiveDeliberation', type: 'COLLECTIVE_DELIBERATION', unitId: input.unitId, input, accepted: this.recorded });
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
    return this.commands.submit(principal, {
      name: 'identifyProblem',
      type: 'PROBLEM_IDENTIFIED',
      unitId: input.unitId,
      input,
      accepted: accept,
      prepare,
      project,
      texts: { category: input.category, description: input.description },
    });
  }

  rectifyProblem(principal: Principal, input: RectifyProblemInput) {
    const prepare = async (tx: Tx, _state: UnitState): Promise<CommandFailure | void> => {
      const problem = await this.readModels.findProblem(tx, input.problemId);
      if (!problem) return notFound('Problem', input.problemId);
      if (problem.unitId !== input.unitId) return invalidInput(`Problem ${input.problemId} belongs to another unit.`, 'problemId');
    };
    const project = (tx: Tx, a: AcceptedCommand) => this.readModels.rectifyProblem(tx, input.problemId, a.at, input.action);
    return this.commands.submit(principal, { name: 'rectifyProblem', type: 'PROBLEM_RECTIFIED', unitId: input.unitId, input, accepted: this.recorded, prepare, project, texts: { action: input.action } });
  }
}

async function unitExists(tx: Tx, id: string): Promise<boolean> {
  return (await tx.query('SELECT id FROM units WHERE id = ?', [id])).length === 1;
}

