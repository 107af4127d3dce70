/** Reading an import file line by line: NDJSON or CSV, every row validated, a bad one named by its line number. */
import { UNIT_KINDS } from '../../machines/index.js';
import { MAX_ID_LENGTH } from '../commands/input-rules.js';
import { MAX_NAME_LENGTH } from '../tree/unit-tree.js';
import type { CountryUnit } from './country-shape.js';

export const MAX_LEADER_COUNT = 1000;
export const CSV_HEADER = ['id', 'parentId', 'name', 'kind', 'leaderCount'];

export class ImportRowError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** One CSV record on one line: fields separated by commas, a field in double quotes may hold commas and "" for a quote. */
export function parseCsvLine(line: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new ImportRowError(lineNumber, 'a quoted field is not closed');
        field += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        field += '"';
        i++;
      }
      if (i < line.length && line[i] !== ',') throw new ImportRowError(lineNumber, 'text after a closing quote');
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

const KINDS = new Set<string>(UNIT_KINDS);

/** A row as the file has it → a unit to import, or an ImportRowError naming the line and the field. */
export function validateRow(raw: Record<string, unknown>, line: number): CountryUnit {
  const fail = (message: string) => {
    throw new ImportRowError(line, message);
  };
  const { id, parentId, name, kind, leaderCount } = raw;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !/^[\w-]+$/.test(id))
    fail(`id must be 1–${MAX_ID_LENGTH} letters, digits, - or _`);
  if (parentId !== null && parentId !== undefined && parentId !== '' && typeof parentId !== 'string')
    fail('parentId must be a unit id or empty');
  if (typeof name !== 'string') return fail('name is required');
  const normalName = name.normalize('NFC').trim();
  if (normalName.length === 0 || normalName.length > MAX_NAME_LENGTH)
    fail(`name must be 1–${MAX_NAME_LENGTH} characters`);
  if (typeof kind !== 'string' || !KINDS.has(kind)) fail(`kind must be one of ${UNIT_KINDS.join(', ')}`);
  const leaders = leaderCount === undefined || leaderCount === null || leaderCount === '' ? 0 : Number(leaderCount);
  if (!Number.isInteger(leaders) || leaders < 0 || leaders > MAX_LEADER_COUNT)
    fail(`leaderCount must be a whole number from 0 to ${MAX_LEADER_COUNT}`);
  return {
    id: id as string,
    parentId: (parentId as string | null | undefined) || null,
    name: normalName,
    kind: kind as string,
    leaderCount: leaders,
  };
}

/** Turns the lines of a file into rows (the CSV header is line 1 and must be the expected one). */
export class RowReader {
  private header: string[] | null = null;

  constructor(private readonly format: 'ndjson' | 'csv') {}

  /** null for a line that holds no row (blank, or the CSV header). */
  read(text: string, line: number): CountryUnit | null {
    if (text.trim() === '') return null;
    if (this.format === 'ndjson') {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new ImportRowError(line, 'not a JSON object');
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new ImportRowError(line, 'not a JSON object');
      return validateRow(raw as Record<string, unknown>, line);
    }
    const fields = parseCsvLine(text.replace(/\r$/, ''), line);
    if (!this.header) {
      if (fields.join(',') !== CSV_HEADER.join(','))
        throw new ImportRowError(line, `the header must be ${CSV_HEADER.join(',')}`);
      this.header = fields;
      return null;
    }
    if (fields.length !== CSV_HEADER.length)
      throw new ImportRowError(line, `expected ${CSV_HEADER.length} fields, found ${fields.length}`);
    return validateRow(Object.fromEntries(CSV_HEADER.map((h, i) => [h, fields[i]])), line);
  }
}
