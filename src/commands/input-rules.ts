/**
 * Input normalised at the edge of every command: strings must be well-formed Unicode (a lone UTF-16 surrogate
 * cannot be stored as UTF-8 and hashed the same way back), texts are NFC, names of people NFKC with trimmed and
 * collapsed whitespace, and every string and list has a limit. A command declares a rule for each of its fields.
 */

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_LABEL_LENGTH = 200;
export const MAX_NAME_LENGTH = 200;
export const MAX_LIST_ITEMS = 100;
export const MAX_ID_LENGTH = 64;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
export const MAX_REASON_LENGTH = 2_000;

export type FieldRule =
  /** free text as written (NFC), non-empty, at most `max` characters */
  | { kind: 'text'; max: number }
  /** a short label (NFC, trimmed), non-empty */
  | { kind: 'label'; max: number }
  /** a person's name: NFKC, trimmed, inner whitespace collapsed — " 王书记 " and "王书记" are one lecturer */
  | { kind: 'name'; max: number }
  /** a list of labels */
  | { kind: 'labels'; maxItems: number; max: number }
  /** an id of ours (a unit, an opinion…): short, as sent */
  | { kind: 'id' }
  /** numbers, booleans, dates and enums: GraphQL has already checked their type */
  | { kind: 'value' }
  /** a list of input objects, each field by its own rule */
  | { kind: 'records'; maxItems: number; shape: Readonly<Record<string, FieldRule>> };

export const text = (max = MAX_TEXT_LENGTH): FieldRule => ({ kind: 'text', max });
export const label = (max = MAX_LABEL_LENGTH): FieldRule => ({ kind: 'label', max });
export const personName = (max = MAX_NAME_LENGTH): FieldRule => ({ kind: 'name', max });
export const labels = (maxItems = MAX_LIST_ITEMS, max = MAX_LABEL_LENGTH): FieldRule => ({
  kind: 'labels',
  maxItems,
  max,
});
export const id: FieldRule = { kind: 'id' };
export const value: FieldRule = { kind: 'value' };
export const records = (shape: Readonly<Record<string, FieldRule>>, maxItems = MAX_LIST_ITEMS): FieldRule => ({
  kind: 'records',
  maxItems,
  shape,
});

/** The rules of every field a command's input may carry (its meta fields are added by the pipeline). */
export type InputShape = Readonly<Record<string, FieldRule>>;

export class InputRefused extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Strings without lone surrogates (String.prototype.isWellFormed is Node 20+). */
export const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

function str(raw: unknown, field: string, max: number): string {
  if (typeof raw !== 'string') throw new InputRefused(`${field} must be a string.`, field);
  if (!isWellFormed(raw)) throw new InputRefused(`${field} is not well-formed Unicode (a lone surrogate).`, field);
  if (raw.length > max * 4) throw new InputRefused(`${field} must be at most ${max} characters.`, field);
  return raw;
}

function limited(result: string, field: string, max: number, allowEmpty: boolean): string {
  if (!allowEmpty && result.trim() === '') throw new InputRefused(`${field} must not be empty.`, field);
  if (result.length > max)
    throw new InputRefused(`${field} must be at most ${max} characters, got ${result.length}.`, field);
  return result;
}

/** NFKC, trimmed, every run of whitespace one space. */
export const normalisePersonName = (raw: string): string => raw.normalize('NFKC').trim().replace(/\s+/gu, ' ');

function normaliseField(raw: unknown, rule: FieldRule, field: string): unknown {
  // GraphQL has already refused a missing non-null field; a null one stays null
  if (raw === undefined || raw === null) return raw;
  switch (rule.kind) {
    case 'value':
      return raw;
    case 'id':
      return limited(str(raw, field, MAX_ID_LENGTH), field, MAX_ID_LENGTH, false);
    case 'text':
      return limited(str(raw, field, rule.max).normalize('NFC'), field, rule.max, false);
    case 'label':
      return limited(str(raw, field, rule.max).normalize('NFC').trim(), field, rule.max, false);
    case 'name':
      return limited(normalisePersonName(str(raw, field, rule.max)), field, rule.max, false);
    case 'labels': {
      if (!Array.isArray(raw)) throw new InputRefused(`${field} must be a list.`, field);
      if (raw.length > rule.maxItems)
        throw new InputRefused(`${field} may list at most ${rule.maxItems} entries, got ${raw.length}.`, field);
      return raw.map((item, i) => normaliseField(item, { kind: 'label', max: rule.max }, `${field}[${i}]`));
    }
    case 'records': {
      if (!Array.isArray(raw)) throw new InputRefused(`${field} must be a list.`, field);
      if (raw.length > rule.maxItems)
        throw new InputRefused(`${field} may list at most ${rule.maxItems} entries, got ${raw.length}.`, field);
      return raw.map((item: Record<string, unknown>, i) => {
        const out: Record<string, unknown> = {};
        for (const [key, rawValue] of Object.entries({ ...item })) {
          const inner = rule.shape[key];
          if (!inner) throw new Error(`input field ${field}.${key} has no rule`);
          if (rawValue !== undefined) out[key] = normaliseField(rawValue, inner, `${field}[${i}].${key}`);
        }
        return out;
      });
    }
  }
}

/**
 * The input as it will be stored and hashed: every field normalised by its rule, `undefined` left out. A field the
 * shape does not declare is a programming error (a test walks every input type of the schema against its shape).
 */
export function normaliseInput(input: Record<string, unknown>, shape: InputShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const rule = shape[field];
    if (!rule) throw new Error(`input field ${field} has no rule`);
    out[field] = normaliseField(raw instanceof Date ? raw.toISOString() : raw, rule, field);
  }
  return out;
}
