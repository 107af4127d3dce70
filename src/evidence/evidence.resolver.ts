import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import * as I from './evidence.inputs.js';
import * as R from './evidence.results.js';
import { EvidenceService } from './evidence.service.js';

@Resolver()
export class EvidenceResolver {
  constructor(@Inject(EvidenceService) private readonly evidence: EvidenceService) {}

  @Policy('fileStudyPlan')
  @Mutation(() => R.FileStudyPlanResult, { description: 'Filed (and revised) before LAUNCH.' })
  fileStudyPlan(@Args('input') input: I.FileStudyPlanInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.fileStudyPlan(principal, input);
  }

  @Policy('recordStudySession')
  @Mutation(() => R.RecordStudySessionResult)
  recordStudySession(@Args('input') input: I.RecordStudySessionInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.recordStudySession(principal, input);
  }

  @Policy('recordPartyLecture')
  @Mutation(() => R.RecordPartyLectureResult)
  recordPartyLecture(@Args('input') input: I.RecordPartyLectureInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.recordPartyLecture(principal, input);
  }

  @Policy('recordFilmScreening')
  @Mutation(() => R.RecordFilmScreeningResult)
  recordFilmScreening(@Args('input') input: I.RecordFilmScreeningInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.recordFilmScreening(principal, input);
  }

  @Policy('recordOpinion')
  @Mutation(() => R.RecordOpinionResult, {
    description: 'A command on the target unit, whoever collected the opinion.',
  })
  recordOpinion(@Args('input') input: I.RecordOpinionInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.recordOpinion(principal, input);
  }

  @Policy('claimOpinion')
  @Mutation(() => R.ClaimOpinionResult, {
    description: 'The target unit claims an opinion another unit collected for it (主动认领).',
  })
  claimOpinion(@Args('input') input: I.ClaimOpinionInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.claimOpinion(principal, input);
  }

  @Policy('recordCollectiveDeliberation')
  @Mutation(() => R.RecordCollectiveDeliberationResult)
  recordCollectiveDeliberation(
    @Args('input') input: I.RecordCollectiveDeliberationInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.evidence.recordCollectiveDeliberation(principal, input);
  }

  @Policy('identifyProblem')
  @Mutation(() => R.IdentifyProblemResult)
  identifyProblem(@Args('input') input: I.IdentifyProblemInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.identifyProblem(principal, input);
  }

  @Policy('rectifyProblem')
  @Mutation(() => R.RectifyProblemResult)
  rectifyProblem(@Args('input') input: I.RectifyProblemInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.rectifyProblem(principal, input);
  }

  @Policy('recordProvinceActivity')
  @Mutation(() => R.RecordProvinceActivityResult, {
    description: "One of the province's prescribed activities (规定动作), rulebook v2.",
  })
  recordProvinceActivity(
    @Args('input') input: I.RecordProvinceActivityInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.evidence.recordProvinceActivity(principal, input);
  }

  @Policy('fileSelfAssessment')
  @Mutation(() => R.FileSelfAssessmentResult, {
    description: "The unit's own assessment of the four look-back items, before REQUEST_LOOKBACK (rulebook v2).",
  })
  fileSelfAssessment(@Args('input') input: I.FileSelfAssessmentInput, @CurrentPrincipal() principal: Principal) {
    return this.evidence.fileSelfAssessment(principal, input);
  }
}
