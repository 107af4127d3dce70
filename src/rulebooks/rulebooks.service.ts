import { Injectable } from '@nestjs/common';
import { BUILT_IN_RULEBOOKS, type Rulebook } from '../../machines/index.js';
import { canonicalJson } from '../common/canonical-json.js';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import { CURRENT_RULEBOOK_VERSION } from '../history/history.service.js';
import { RulebookModel } from './rulebook.models.js';

const toModel = (rulebook: Rulebook): RulebookModel =>
  Object.assign(new RulebookModel(), {
    version: rulebook.version,
    ruleset: rulebook.ruleset,
    basedOn: null,
    current: rulebook.version === CURRENT_RULEBOOK_VERSION,
    builtIn: true,
    publishedAt: null,
    publishedBy: null,
    reason: null,
    document: canonicalJson(rulebook),
  });

/** The rulebooks the service runs: the built-in documents (publishing new ones is not served yet). */
@Injectable()
export class RulebooksService {
  list(): RulebookModel[] {
    return BUILT_IN_RULEBOOKS.map(toModel);
  }

  get(version: number | null | undefined): RulebookModel {
    const wanted = version ?? CURRENT_RULEBOOK_VERSION;
    const rulebook = BUILT_IN_RULEBOOKS.find((r) => r.version === wanted);
    if (!rulebook) throw apiError(ApiErrorCode.NOT_FOUND, `There is no rulebook v${wanted}.`);
    return toModel(rulebook);
  }
}
