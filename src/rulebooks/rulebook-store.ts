import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BUILT_IN_RULEBOOKS, deepFreeze, RULEBOOK_V1, type Rulebook } from '../../machines/index.js';
import { Db, type Tx } from '../database/db.js';
import { builtInRecord, contentHashOf, type RulebookRecord } from './rulebook-document.js';
import { RulebooksRepository } from './rulebooks.repository.js';

/** A rulebook by version, synchronously: for the pure folds, once `lookupFor` has loaded what they need. */
export type RulebookLookup = (version: number) => Rulebook;

/** The version new units start on until an admin publishes one: v1 (units reach v2 by migration). */
export const DEFAULT_RULEBOOK_VERSION = RULEBOOK_V1.version;

/** A version no database row holds (or a row whose document does not match its hash). */
export class UnknownRulebook extends Error {
  constructor(readonly version: number) {
    super(`There is no rulebook v${version}.`);
  }
}

/**
 * The one rulebook store of the service: every document a unit runs under comes from here, cached by version.
 * Documents are immutable (the table refuses UPDATE and DELETE), so the cache never goes stale: a cached version
 * costs no query, an unseen one (published by another instance on the same database) is read once. The built-in
 * documents are seeded at boot, insert-if-absent, so instances starting together neither fail nor duplicate them.
 */
@Injectable()
export class RulebookStore implements OnModuleInit {
  private readonly documents = new Map<number, Rulebook>();
  private readonly records = new Map<number, RulebookRecord>();

  constructor(
    @Inject(RulebooksRepository) private readonly repository: RulebooksRepository,
    @Inject(Db) private readonly db: Db,
  ) {}

  /** The store over a database, wired by hand (CLI tools, benches and medium tests; Nest wires the app's). */
  static over(db: Db): RulebookStore {
    return new RulebookStore(new RulebooksRepository(db), db);
  }

  async onModuleInit(): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const rulebook of BUILT_IN_RULEBOOKS) await this.repository.insertIfAbsent(tx, builtInRecord(rulebook));
    });
    for (const rulebook of BUILT_IN_RULEBOOKS) {
      const stored = await this.record(rulebook.version);
      if (stored.contentHash !== builtInRecord(rulebook).contentHash)
        throw new Error(
          `The database's rulebook v${rulebook.version} is not the built-in one this build ships: histories recorded under it would not replay.`,
        );
    }
  }

  /** The document of a version: from the cache, or read once from the database (in `tx` when given). */
  async rulebook(version: number, tx?: Tx): Promise<Rulebook> {
    return this.documents.get(version) ?? (await this.load(version, tx));
  }

  /** A version's row (who published it, when, why, its hash). */
  async record(version: number): Promise<RulebookRecord> {
    const cached = this.records.get(version);
    if (cached) return cached;
    await this.load(version);
    return this.records.get(version)!;
  }

  /** Every stored version, oldest first (read from the database: another instance may have published one). */
  async all(): Promise<RulebookRecord[]> {
    const rows = await this.repository.all();
    for (const row of rows) if (!this.records.has(row.version)) this.remember(row);
    return rows.map((row) => this.records.get(row.version)!);
  }

  /**
   * The version new units start on: the newest published one; v1 until an admin publishes (the built-in v2 is
   * reached by migration, as the province's supplement reached units mid-stage).
   */
  async currentVersion(tx?: Tx): Promise<number> {
    return (await this.repository.highest(tx, true)) || DEFAULT_RULEBOOK_VERSION;
  }

  /** A version this instance has cached, or UnknownRulebook: the synchronous lookup of the folds. */
  readonly known: RulebookLookup = (version) => {
    const rulebook = this.documents.get(version);
    if (!rulebook) throw new UnknownRulebook(version);
    return rulebook;
  };

  /**
   * Loads every version of `versions` not cached yet; then `known` answers for each of them. A version no row holds
   * is left out: the fold that asks for it fails there (a history naming a rulebook that does not exist is broken).
   */
  async lookupFor(versions: Iterable<number>): Promise<RulebookLookup> {
    for (const version of new Set(versions)) {
      if (this.documents.has(version)) continue;
      await this.load(version).catch((error: unknown) => {
        if (!(error instanceof UnknownRulebook)) throw error;
      });
    }
    return this.known;
  }

  /** A document just written by this instance (its publication committed). */
  remember(record: RulebookRecord): Rulebook {
    const rulebook = this.parse(record);
    this.records.set(record.version, record);
    this.documents.set(record.version, rulebook);
    return rulebook;
  }

  private parse(record: RulebookRecord): Rulebook {
    if (contentHashOf(record.document) !== record.contentHash)
      throw new Error(`rulebook v${record.version}: the stored document does not match its content hash`);
    // a built-in version is the very object machines/ ships (one machine built per document, not two)
    const builtIn = BUILT_IN_RULEBOOKS.find((r) => r.version === record.version);
    const rulebook =
      builtIn && builtInRecord(builtIn).contentHash === record.contentHash
        ? builtIn
        : deepFreeze(JSON.parse(record.document) as Rulebook);
    if (rulebook.version !== record.version)
      throw new Error(`rulebook v${record.version}: the stored document says it is v${rulebook.version}`);
    return rulebook;
  }

  private async load(version: number, tx?: Tx): Promise<Rulebook> {
    const record = Number.isSafeInteger(version) ? await this.repository.find(version, tx) : null;
    if (!record) throw new UnknownRulebook(version);
    // read inside a transaction, the row may not be committed yet: used, not cached (a rollback would leave it stale)
    if (tx) return this.parse(record);
    return this.documents.get(version) ?? this.remember(record);
  }
}
