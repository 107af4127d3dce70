import type { HistoryService } from '../../src/history/history.service.js';
import { Access } from '../../src/commands/access.js';
import {
  CommandBus,
  WHOLE_TREE_ATTEMPT,
  type CreationCommand,
  type UnitCommand,
  type WholeTreeCommand,
} from '../../src/commands/command-bus.js';
import { Idempotency } from '../../src/commands/idempotency/idempotency.js';
import type {
  IdempotencyRepository,
  StoredIdempotentResult,
} from '../../src/commands/idempotency/idempotency.repository.js';
import { id, label, text, value } from '../../src/commands/input-rules.js';
import type { ReadyCommand, UnitTransaction } from '../../src/commands/unit-transaction.js';
import type { Principal } from '../../src/auth/principal.js';
import type { Clock } from '../../src/clock/clock.js';
import type { Db, Tx } from '../../src/database/db.js';
import { LostRace } from '../../src/history/history.service.js';
import type { UnitRow, UnitsRepository } from '../../src/tree/units.repository.js';

/**
 * The one command path, its steps in order: permission, scope of the unit and of every unit the input names, input
 * normalisation, the idempotency key's request hash — then one transaction (here a stand-in that shows what it was
 * given). The first failure found is the one answered; a lost compare-and-set is logged as an attempt.
 */
const NOW = Date.UTC(2014, 5, 1, 8);
const row = (unitId: string, ancestors: string[]): UnitRow =>
  ({ id: unitId, ancestors: [...ancestors, ...Array(6 - ancestors.length).fill(null)] }) as UnitRow;
const UNITS = new Map([
  ['P', row('P', ['P'])],
  ['C', row('C', ['P', 'C'])],
  ['D', row('D', ['P', 'D'])],
]);
const units = {
  findById: async (unitId: string) => UNITS.get(unitId) ?? null,
  findByIds: async () => [],
} as unknown as UnitsRepository;

class FakeKeys {
  readonly rows = new Map<string, StoredIdempotentResult>();
  async find(_tx: Tx, owner: string, key: string) {
    return this.rows.get(`${owner}/${key}`) ?? null;
  }
  async store(_tx: Tx, owner: string, key: string, result: StoredIdempotentResult) {
    this.rows.set(`${owner}/${key}`, result);
  }
}

class FakeTransaction {
  readonly ran: ReadyCommand<{ __typename: string }>[] = [];
  readonly refused: { failure: unknown; now: number }[] = [];
  answer: () => unknown = () => ({ __typename: 'Done' });
  async run(_tx: Tx, _principal: Principal, ready: ReadyCommand<{ __typename: string }>, now: number) {
    this.ran.push(ready);
    expect(now).toBe(NOW);
    return this.answer();
  }
  async refuse(_tx: Tx, _principal: Principal, _ready: unknown, failure: unknown, now: number) {
    this.refused.push({ failure, now });
    return failure;
  }
}

function bus() {
  const keys = new FakeKeys();
  const transaction = new FakeTransaction();
  const attempts: unknown[] = [];
  const history = { recordAttempt: async (_tx: Tx, attempt: unknown) => void attempts.push(attempt) };
  let transactions = 0;
  const db = {
    transaction: async (fn: (tx: Tx) => Promise<unknown>) => (transactions++, fn({} as Tx)),
  } as unknown as Db;
  const clock = { now: () => new Date(NOW) } as Clock;
  const sut = new CommandBus(
    new Access(units),
    new Idempotency(keys as unknown as IdempotencyRepository),
    transaction as unknown as UnitTransaction,
    db,
    clock,
    history as unknown as HistoryService,
  );
  return { sut, keys, transaction, attempts, transactions: () => transactions };
}

const admin: Principal = { sub: 'wang', role: 'ADMIN', scopeUnitId: null };
const countyOfficer: Principal = { sub: 'li', role: 'OFFICER', scopeUnitId: 'C' };

const plan = (
  input: Record<string, unknown>,
  extra: Partial<UnitCommand<{ __typename: 'Done' }>> = {},
): UnitCommand<{ __typename: 'Done' }> => ({
  operation: 'fileStudyPlan',
  unitId: 'C',
  type: 'FILE_STUDY_PLAN',
  input,
  shape: { unitId: id, topics: { kind: 'labels', maxItems: 3, max: 10 }, note: text(), days: value, reason: text() },
  accepted: () => ({ __typename: 'Done' }),
  ...extra,
});

describe('the command bus', () => {
  describe('submit (a command on one unit)', () => {
    it('hands the transaction the unit, the normalised payload, the meta fields and the key', async () => {
      const { sut, transaction } = bus();
      const answer = await sut.submit(
        countyOfficer,
        plan({ unitId: 'C', topics: [' 焦裕禄 '], days: 3, idempotencyKey: 'k', expectedVersion: 2, reason: ' why ' }),
      );
      expect(answer).toEqual({ __typename: 'Done' });
      const [ready] = transaction.ran;
      expect(ready.unitId).toBe('C');
      expect(ready.unit).toBe(UNITS.get('C'));
      expect(ready.payload).toEqual({ unitId: 'C', topics: ['焦裕禄'], days: 3, reason: 'why' });
      expect(ready.invalid).toBeNull();
      expect(ready.meta).toEqual({ idempotencyKey: 'k', expectedVersion: 2, reason: 'why', invalid: null });
      expect(ready.key).toEqual({ owner: expect.stringMatching(/^[0-9a-f]{64}$/), key: 'k' });
      expect(ready.requestHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('answers NotFound for a unit that does not exist, to a whole-tree principal, without a transaction', async () => {
      const { sut, transactions } = bus();
      expect(await sut.submit(admin, plan({ unitId: 'nowhere' }, { unitId: 'nowhere' }))).toMatchObject({
        __typename: 'NotFound',
        entity: 'Unit',
        id: 'nowhere',
      });
      expect(transactions()).toBe(0);
    });

    it('refuses a unit named in the input outside the scope as FORBIDDEN, and one that does not exist as NotFound (an attempt)', async () => {
      const { sut, transaction } = bus();
      await expect(sut.submit(countyOfficer, plan({ unitId: 'C' }, { named: ['D'] }))).rejects.toThrow(
        'outside your scope',
      );
      await sut.submit(admin, plan({ unitId: 'C' }, { named: [null, undefined, 'C', 'gone', 'gone too'] }));
      expect(transaction.ran[0].invalid).toMatchObject({ __typename: 'NotFound', entity: 'Unit', id: 'gone' });
    });

    it('answers the first failure found: the feature’s, a named unit, the input, then a meta field', async () => {
      const { sut, transaction } = bus();
      const featureFailure = {
        __typename: 'InvalidInput',
        errorCode: 'INVALID_INPUT',
        message: 'no such event',
        field: 'event',
      } as never;
      await sut.submit(
        admin,
        plan(
          { unitId: 'C', topics: ['x'.repeat(11)], idempotencyKey: '' },
          { named: ['gone'], invalid: featureFailure },
        ),
      );
      await sut.submit(admin, plan({ unitId: 'C', topics: ['x'.repeat(11)], idempotencyKey: '' }, { named: ['gone'] }));
      await sut.submit(admin, plan({ unitId: 'C', topics: ['x'.repeat(11)], idempotencyKey: '' }));
      await sut.submit(admin, plan({ unitId: 'C', topics: ['ok'], idempotencyKey: '' }));
      expect(
        transaction.ran.map((r) => r.invalid && ('field' in r.invalid ? r.invalid.field : r.invalid.__typename)),
      ).toEqual(['event', 'NotFound', 'topics[0]', 'idempotencyKey']);
    });

    it('keeps a refused input as it was sent (the attempts log summarises it), and a field without a rule is a programming error', async () => {
      const { sut, transaction } = bus();
      await sut.submit(admin, plan({ unitId: 'C', topics: 'not a list', days: 1 }));
      expect(transaction.ran[0].payload).toEqual({ unitId: 'C', topics: 'not a list', days: 1 });
      await expect(sut.submit(admin, plan({ unitId: 'C', stray: 1 }))).rejects.toThrow('input field stray has no rule');
    });

    it('makes a retry hash differ when anything but the key differs: payload, reason, expected version, override, event, unit', async () => {
      const { sut, transaction } = bus();
      const base = { unitId: 'C', topics: ['a'], idempotencyKey: 'k', expectedVersion: 1, reason: 'r' };
      await sut.submit(admin, plan(base));
      await sut.submit(admin, plan({ ...base }));
      await sut.submit(admin, plan({ ...base, topics: ['b'] }));
      await sut.submit(admin, plan({ ...base, reason: 'other' }));
      await sut.submit(admin, plan({ ...base, expectedVersion: 2 }));
      await sut.submit(admin, plan(base, { override: true }));
      await sut.submit(admin, plan(base, { type: 'LAUNCH' }));
      await sut.submit(admin, plan(base, { operation: 'overrideTransition' }));
      await sut.submit(admin, plan({ ...base, unitId: 'D' }, { unitId: 'D' }));
      const hashes = transaction.ran.map((r) => r.requestHash);
      expect(hashes[1]).toBe(hashes[0]);
      expect(new Set(hashes).size).toBe(hashes.length - 1);
      // and without a key there is nothing to hash
      await sut.submit(admin, plan({ unitId: 'C' }));
      expect(transaction.ran.at(-1)!.requestHash).toBe('');
      expect(transaction.ran.at(-1)!.key).toBeNull();
    });

    it('answers a lost compare-and-set with a VersionConflict and logs it as an attempt in a transaction of its own', async () => {
      const { sut, transaction, transactions } = bus();
      transaction.answer = () => {
        throw new LostRace(4);
      };
      const answer = await sut.submit(admin, plan({ unitId: 'C', expectedVersion: 3 }));
      expect(answer).toMatchObject({ __typename: 'VersionConflict', currentVersion: 4 });
      expect(transaction.refused).toEqual([{ failure: answer, now: NOW }]);
      expect(transactions()).toBe(2);
    });
  });

  describe('create (a new unit)', () => {
    const creation = (
      parentId: string | null,
      input: Record<string, unknown>,
      body?: CreationCommand<{ __typename: 'UnitCreated'; unitId: string }>['body'],
    ) => {
      const bodies: Record<string, unknown>[] = [];
      const command: CreationCommand<{ __typename: 'UnitCreated'; unitId: string }> = {
        operation: 'createUnit',
        parentId,
        input,
        shape: { name: label(), kind: value, parentId: id },
        body:
          body ??
          (async (_tx, normalised) => (
            bodies.push(normalised),
            { __typename: 'UnitCreated', unitId: `new-${bodies.length}` }
          )),
        replay: async (stored) => ({ __typename: 'UnitCreated', unitId: `replayed ${stored.unitId}` }),
        remember: (success) => ({ unitId: success.unitId }),
      };
      return { command, bodies };
    };

    it('creates a root only for a whole-tree principal', async () => {
      const { sut } = bus();
      const { command, bodies } = creation(null, { name: ' 省委 ', kind: 'PROVINCE' });
      expect(await sut.create(admin, command)).toEqual({ __typename: 'UnitCreated', unitId: 'new-1' });
      expect(bodies).toEqual([{ name: '省委', kind: 'PROVINCE' }]);
      await expect(sut.create({ ...admin, scopeUnitId: 'C' }, command)).rejects.toThrow('covers the whole tree');
      await expect(sut.create(countyOfficer, command)).rejects.toThrow('OFFICER may not createUnit');
    });

    it('creates under a parent in scope; a missing parent is NotFound', async () => {
      const { sut } = bus();
      const countyAdmin: Principal = { ...admin, scopeUnitId: 'C' };
      expect(await sut.create(countyAdmin, creation('C', { name: '村', parentId: 'C' }).command)).toMatchObject({
        unitId: 'new-1',
      });
      await expect(sut.create(countyAdmin, creation('D', { name: '村', parentId: 'D' }).command)).rejects.toThrow(
        'outside your scope',
      );
      expect(await sut.create(admin, creation('gone', { name: '村', parentId: 'gone' }).command)).toMatchObject({
        __typename: 'NotFound',
        entity: 'Unit',
        id: 'gone',
      });
    });

    it('refuses bad input, then a bad meta field, before any transaction', async () => {
      const { sut, transactions } = bus();
      expect(await sut.create(admin, creation(null, { name: '  ', idempotencyKey: '' }).command)).toMatchObject({
        __typename: 'InvalidInput',
        field: 'name',
      });
      expect(await sut.create(admin, creation(null, { name: '省委', idempotencyKey: '' }).command)).toMatchObject({
        __typename: 'InvalidInput',
        field: 'idempotencyKey',
      });
      expect(transactions()).toBe(0);
      await expect(sut.create(admin, creation(null, { name: '省委', stray: 1 }).command)).rejects.toThrow(
        'input field stray has no rule',
      );
    });

    it('answers a retry with the same key and input from what the first answer stored, and another input under it as reused', async () => {
      const { sut, keys } = bus();
      const first = creation(null, { name: '省委', kind: 'PROVINCE', idempotencyKey: 'k' });
      expect(await sut.create(admin, first.command)).toMatchObject({ unitId: 'new-1' });
      expect([...keys.rows.values()]).toEqual([
        { requestHash: expect.stringMatching(/^[0-9a-f]{64}$/), unitId: 'new-1', response: { unitId: 'new-1' } },
      ]);
      expect(await sut.create(admin, first.command)).toEqual({ __typename: 'UnitCreated', unitId: 'replayed new-1' });
      expect(first.bodies).toHaveLength(1);
      const other = creation(null, { name: '市委', kind: 'PROVINCE', idempotencyKey: 'k' });
      expect(await sut.create(admin, other.command)).toMatchObject({ __typename: 'IdempotencyKeyReused' });
      expect(other.bodies).toHaveLength(0);
      // the same key is another key for another principal
      expect(await sut.create({ ...admin, sub: 'zhou' }, other.command)).toMatchObject({ unitId: 'new-1' });
    });

    it('remembers no refusal and nothing without a key', async () => {
      const { sut, keys } = bus();
      await sut.create(admin, creation(null, { name: '省委' }).command);
      const refusing = creation(
        null,
        { name: '省委', idempotencyKey: 'k' },
        async () => ({ __typename: 'InvalidInput', errorCode: 'INVALID_INPUT', message: 'no', field: 'kind' }) as never,
      );
      await sut.create(admin, refusing.command);
      const missing = creation(
        null,
        { name: '省委', idempotencyKey: 'k2' },
        async () =>
          ({ __typename: 'NotFound', errorCode: 'NOT_FOUND', message: 'no', entity: 'Unit', id: 'x' }) as never,
      );
      await sut.create(admin, missing.command);
      expect(keys.rows.size).toBe(0);
    });
  });

  describe('wholeTree (a command on the whole tree: publishing a rulebook)', () => {
    type Published = { __typename: 'Published'; version: number };
    type Refused = { __typename: 'Refused'; errorCode: string; message: string; reasons: string[] };
    const command = (
      answer: Published | Refused,
      detail?: (failure: Refused) => Record<string, unknown>,
    ): WholeTreeCommand<Published, Refused> & { prepared: number; worked: number[] } => {
      const c = {
        prepared: 0,
        worked: [] as number[],
        operation: 'publishRulebook' as const,
        input: { reason: 'why', changes: [{ path: 'gates.x', value: 2 }] },
        detail,
        prepare: async () => {
          c.prepared++;
          return async (_tx: Tx, now: number) => (c.worked.push(now), answer);
        },
      };
      return c;
    };
    const refusal: Refused = { __typename: 'Refused', errorCode: 'RULEBOOK_REFUSED', message: 'no', reasons: ['a'] };

    it('runs the work in one transaction at the clock’s time and answers its success, logging no attempt', async () => {
      const { sut, attempts, transactions } = bus();
      const published = command({ __typename: 'Published', version: 2 });
      expect(await sut.wholeTree(admin, published)).toEqual({ __typename: 'Published', version: 2 });
      expect([published.prepared, published.worked, transactions(), attempts]).toEqual([1, [NOW], 1, []]);
    });

    it('refuses a scoped principal or a role without the operation before preparing anything', async () => {
      const { sut, transactions } = bus();
      const published = command({ __typename: 'Published', version: 2 });
      await expect(sut.wholeTree({ ...admin, scopeUnitId: 'C' }, published)).rejects.toThrow('covers the whole tree');
      await expect(sut.wholeTree({ ...admin, role: 'OFFICER' }, published)).rejects.toThrow(
        'OFFICER may not publishRulebook',
      );
      expect([published.prepared, transactions()]).toEqual([0, 0]);
    });

    it('answers a refusal and keeps it in the attempts log with no unit: who, when, the input, the code and the detail', async () => {
      const { sut, attempts } = bus();
      const refused = command(refusal, (failure) => ({ reasons: failure.reasons }));
      expect(await sut.wholeTree(admin, refused)).toBe(refusal);
      expect(attempts).toStrictEqual([
        {
          unitId: WHOLE_TREE_ATTEMPT,
          command: 'publishRulebook',
          payload: { reason: 'why', changes: [{ path: 'gates.x', value: 2 }] },
          actor: 'wang',
          role: 'ADMIN',
          at: NOW,
          failure: 'RULEBOOK_REFUSED',
          detail: { errorCode: 'RULEBOOK_REFUSED', message: 'no', reasons: ['a'] },
        },
      ]);
      expect(WHOLE_TREE_ATTEMPT).toBe('');
    });

    it('keeps the code and message of a refusal when the command adds no detail of its own', async () => {
      const { sut, attempts } = bus();
      await sut.wholeTree(admin, command(refusal));
      expect(attempts).toMatchObject([{ detail: { errorCode: 'RULEBOOK_REFUSED', message: 'no' } }]);
    });
  });
});
