import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Rulebook } from '../../machines/index.js';
import { canonicalJson } from '../common/canonical-json.js';
import { CODE_PATTERN, changeSchema, MAX_NUMBER } from './rulebook-change-schema.js';

/** One reason a publication is refused: where (a JSON Pointer into `changes`, or an input field's name) and why. */
export interface RefusalReason {
  path: string;
  message: string;
}

export type ChangeOutcome = { ok: true; document: Rulebook } | { ok: false; reasons: RefusalReason[] };

/** The most characters of a publication's reason. */
export const MAX_REASON_LENGTH = 2000;

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const validators = new WeakMap<Rulebook, ValidateFunction>();

function validatorFor(base: Rulebook): ValidateFunction {
  let validate = validators.get(base);
  if (!validate) {
    validate = ajv.compile(changeSchema(base));
    validators.set(base, validate);
  }
  return validate;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386: objects merge key by key, anything else (a number, a list) replaces; null would delete (refused before). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value);

const FIXED: Record<string, string> = {
  '/version': 'the version may not be given: the new one is the highest + 1',
  '/ruleset': "the ruleset (the generation of gate code) may not change: a publication keeps its base's",
  '/timeZone': 'the time zone may not change: days already counted would move',
};

/** A schema error as an office reads it. */
function reasonOf(error: ErrorObject): RefusalReason {
  const path = error.instancePath;
  const data: unknown = error.data;
  const title = (error.parentSchema as { title?: string } | undefined)?.title;
  if (data === null) return { path, message: 'nothing may be removed (null deletes in a merge patch)' };
  switch (error.keyword) {
    case 'false schema':
      return { path, message: FIXED[path] ?? `only numbers and lists may change, not ${shown(data)}` };
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: `${path}/${key}`, message: 'unknown key: the base rulebook has no such rule' };
    }
    case 'type':
      if (typeof data === 'number') return { path, message: `not a whole number: ${shown(data)}` };
      return { path, message: `must be ${(error.params as { type: string }).type}, got ${shown(data)}` };
    case 'minimum':
      return { path, message: `below 0: ${shown(data)}` };
    case 'maximum':
      return {
        path,
        message: path.endsWith('Percent')
          ? `above 100: ${shown(data)} (a share in whole percent)`
          : `above ${MAX_NUMBER}: ${shown(data)}`,
      };
    case 'enum':
      return { path, message: `unknown ${title ?? 'value'}: ${shown(data)}` };
    case 'pattern':
      return {
        path,
        message: `${title ?? 'rulebook'} codes are written in capital letters, digits and _: ${shown(data)}`,
      };
    case 'propertyNames':
      return { path, message: `not a code (capital letters, digits and _): ${shown(error.params)}` };
    case 'uniqueItems':
      return { path, message: 'lists a value twice' };
    case 'minItems':
      return { path, message: 'may not be empty' };
    case 'minProperties':
      return { path, message: 'changes nothing: give at least one number or list' };
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

/** The lists whose values a ruleset-2 document names itself: each must name only what the document defines. */
function semanticReasons(document: Record<string, unknown>): RefusalReason[] {
  const supplement = document.supplement;
  if (!isObject(supplement) || !isObject(supplement.kinds)) return [];
  const reasons: RefusalReason[] = [];
  const activities = new Set(Array.isArray(supplement.activities) ? supplement.activities : []);
  const categories = new Set(isObject(supplement.problemCategories) ? Object.keys(supplement.problemCategories) : []);
  const code = new RegExp(CODE_PATTERN);
  for (const [kind, rules] of Object.entries(supplement.kinds)) {
    if (!isObject(rules)) continue;
    const check = (list: string, known: Set<unknown>, what: string, where: string) => {
      const values = rules[list];
      if (!Array.isArray(values)) return;
      values.forEach((value, i) => {
        if (typeof value === 'string' && code.test(value) && !known.has(value))
          reasons.push({
            path: `/supplement/kinds/${kind}/${list}/${i}`,
            message: `unknown ${what}: ${shown(value)} (${where})`,
          });
      });
    };
    check('requiredActivities', activities, 'activity', 'not in /supplement/activities');
    check('fixAtOnceCategories', categories, 'problem category', 'not in /supplement/problemCategories');
  }
  return reasons;
}

/**
 * Validates `changes` over `base` and applies them: every reason at once (the JSON Schema's, then the checks across
 * lists), or the new document numbered `version`.
 */
export function applyChanges(base: Rulebook, changes: unknown, version: number): ChangeOutcome {
  const validate = validatorFor(base);
  const reasons = validate(changes) ? [] : (validate.errors ?? []).map(reasonOf);
  if (!isObject(changes)) {
    return { ok: false, reasons: reasons.length ? reasons : [{ path: '', message: 'changes must be a JSON object' }] };
  }
  const merged = mergePatch(base, changes) as Record<string, unknown>;
  reasons.push(...semanticReasons(merged));
  if (reasons.length === 0 && canonicalJson(merged) === canonicalJson(base))
    reasons.push({ path: '', message: `changes nothing: the document would equal v${base.version}` });
  if (reasons.length) return { ok: false, reasons: unique(reasons) };
  return { ok: true, document: { ...(merged as unknown as Rulebook), version } };
}

/** Each reason once, in the order of their paths (a stable answer whatever order the checks ran in). */
function unique(reasons: RefusalReason[]): RefusalReason[] {
  const seen = new Set<string>();
  const ordered = [...reasons].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ordered.filter((r) => {
    const key = `${r.path}\u0000${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The reason and the base, checked like the changes: each problem a reason of its own. */
export function inputReasons(reason: unknown, baseExists: boolean, basedOn: unknown): RefusalReason[] {
  const reasons: RefusalReason[] = [];
  if (!baseExists) reasons.push({ path: 'basedOn', message: `there is no rulebook v${shown(basedOn)} to base it on` });
  if (typeof reason !== 'string' || reason.trim() === '')
    reasons.push({ path: 'reason', message: 'a publication needs a reason (who asked for it, which notice)' });
  else if (reason.length > MAX_REASON_LENGTH)
    reasons.push({ path: 'reason', message: `at most ${MAX_REASON_LENGTH} characters, got ${reason.length}` });
  return reasons;
}
