import { builtInRulebook } from '../../machines/index.js';
import { AuditRepository } from '../../src/audit/audit.repository.js';
import { genesisSnapshot } from '../../src/history/fold.js';
import { eventHash } from '../../src/history/hash-chain.js';
import { StoryClient, startStory } from '../support/campaign-client.js';
import { behindTheServicesBack } from '../support/tamper.js';
import type { TestApp } from '../support/test-app.js';
import { auditCli, brokenLine } from './support/audit-cli.js';

const OFFICER = { sub: 'officer', role: 'OFFICER', scopeUnitId: null } as const;
const AUDITOR = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null } as const;
const VERIFY = `query($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents firstBrokenSeq problem detail } }`;

/**
 * Edits an intruder with write access to the database might make to a unit's history, each answered by verifyHistory
 * and by `npm run audit -- verify` with its problem and the first seq it breaks. Each case has a unit of its own.
 */
describe('a forged history is found by verifyHistory and by the audit CLI', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
  });
  afterAll(async () => {
    await sut.close();
  });

  /** A GRASSROOTS unit: plan, launch, then `evidence` study sessions and opinions in turn (version 2 + evidence). */
  async function unitWithHistory(name: string, evidence = 4): Promise<string> {
    const unitId = await admin.createUnit(name, 'GRASSROOTS');
    await officer.ok('fileStudyPlan', { unitId, topics: ['群众路线'], plannedDays: 2 });
    await officer.sendOk(unitId, 'LAUNCH');
    for (let i = 0; i < evidence; i++) {
      sut.clock.advanceMs(600_000);
      if (i % 2 === 0) await officer.session(unitId, 'GROUP_DISCUSSION');
      else await officer.opinions(unitId, 1, 1, 1);
    }
    expect((await officer.status(unitId)).version).toBe(2 + evidence);
    return unitId;
  }

  const verify = async (id: string) => (await sut.gql(VERIFY, { id }, AUDITOR)).data!.verifyHistory;

  /** verifyHistory answers `expected`, and the CLI over the unit's subtree exits 1 with the same problem and seq. */
  async function expectFound(
    id: string,
    name: string,
    expected: { problem: string; firstBrokenSeq: number | null; detail?: RegExp; checkedEvents?: number },
  ) {
    const { detail, ...fields } = expected;
    const answer = await verify(id);
    expect(answer).toMatchObject({ ok: false, ...fields });
    if (detail) expect(answer.detail).toMatch(detail);
    const run = await auditCli(sut, 'verify', '--root', id);
    expect(run.code).toBe(1);
    expect(run.out).toContain(brokenLine(id, name, expected.problem, expected.firstBrokenSeq));
    expect(run.out).toMatch(/^BROKEN: 1 units, \d+ events verified in [\d.]+ s, 1 broken$/m);
  }

  it('an untouched history verifies, by the API and by the CLI (the baseline of every case below)', async () => {
    const id = await unitWithHistory('完好');
    expect(await verify(id)).toEqual({ ok: true, checkedEvents: 6, firstBrokenSeq: null, problem: null, detail: null });
    const run = await auditCli(sut, 'verify', '--root', id);
    expect(run).toMatchObject({ code: 0 });
    expect(run.out).toMatch(/^OK: 1 units, 6 events verified/m);
  });

  it('a middle event whose payload was edited and its own hash recomputed breaks the next link: HASH_MISMATCH at k+1', async () => {
    const name = '改中间';
    const id = await unitWithHistory(name);
    const [, , third] = await sut.app.get(AuditRepository).eventsOf(id);
    expect(third.type).toBe('STUDY_SESSION');
    const { hash: _old, ...fields } = { ...third, payload: { ...third.payload, attendees: 120 } };
    await behindTheServicesBack(sut.db, [
      {
        sql: 'UPDATE unit_events SET payload = ?, hash = ? WHERE unit_id = ? AND seq = 3',
        params: [JSON.stringify(fields.payload), eventHash(fields), id],
      },
    ]);
    await expectFound(id, name, {
      problem: 'HASH_MISMATCH',
      firstBrokenSeq: 4,
      checkedEvents: 3,
      detail: /prevHash does not match the hash of event 3/,
    });
  });

  it('an edited head hash in unit_states: SNAPSHOT_MISMATCH', async () => {
    const name = '改链头';
    const id = await unitWithHistory(name);
    await behindTheServicesBack(sut.db, [
      { sql: 'UPDATE unit_states SET head_hash = ? WHERE unit_id = ?', params: ['a'.repeat(64), id] },
    ]);
    await expectFound(id, name, {
      problem: 'SNAPSHOT_MISMATCH',
      firstBrokenSeq: null,
      checkedEvents: 6,
      detail: /head/,
    });
  });

  describe("the genesis binds the unit's profile (kind, leader count) and starting rulebook", () => {
    /** The seq-0 snapshot rewritten to what the edited profile starts from: only the genesis hash can tell. */
    const consistentFirstSnapshot = (id: string, profile: { kind: string; leaderCount: number }) => {
      const first = genesisSnapshot(profile, 1, builtInRulebook);
      return {
        sql: 'UPDATE unit_snapshots SET state_value = ?, context = ? WHERE unit_id = ? AND seq = 0',
        params: [JSON.stringify(first.value), JSON.stringify(first.context), id],
      };
    };

    it('an edited kind, with the first stored snapshot rewritten to match → HASH_MISMATCH at seq 1', async () => {
      const name = '改类型并改快照';
      const id = await unitWithHistory(name);
      await behindTheServicesBack(sut.db, [
        { sql: "UPDATE units SET kind = 'NON_PUBLIC_SOCIAL' WHERE id = ?", params: [id] },
        consistentFirstSnapshot(id, { kind: 'NON_PUBLIC_SOCIAL', leaderCount: 0 }),
      ]);
      await expectFound(id, name, {
        problem: 'HASH_MISMATCH',
        firstBrokenSeq: 1,
        checkedEvents: 0,
        detail: /prevHash does not match the unit's genesis/,
      });
    });

    it('an edited leader_count, with the first stored snapshot rewritten to match → HASH_MISMATCH at seq 1', async () => {
      const name = '改人数并改快照';
      const id = await unitWithHistory(name);
      await behindTheServicesBack(sut.db, [
        { sql: 'UPDATE units SET leader_count = 7 WHERE id = ?', params: [id] },
        consistentFirstSnapshot(id, { kind: 'GRASSROOTS', leaderCount: 7 }),
      ]);
      await expectFound(id, name, {
        problem: 'HASH_MISMATCH',
        firstBrokenSeq: 1,
        checkedEvents: 0,
        detail: /prevHash does not match the unit's genesis/,
      });
    });

    it('an edited kind alone → HASH_MISMATCH at seq 1 (the units row changed, not a snapshot)', async () => {
      const name = '改类型';
      const id = await unitWithHistory(name);
      await behindTheServicesBack(sut.db, [
        { sql: "UPDATE units SET kind = 'NON_PUBLIC_SOCIAL' WHERE id = ?", params: [id] },
      ]);
      await expectFound(id, name, { problem: 'HASH_MISMATCH', firstBrokenSeq: 1, checkedEvents: 0, detail: /genesis/ });
    });

    it('an edited leader_count alone → HASH_MISMATCH at seq 1 (the units row changed, not a snapshot)', async () => {
      const name = '改人数';
      const id = await unitWithHistory(name);
      await behindTheServicesBack(sut.db, [{ sql: 'UPDATE units SET leader_count = 7 WHERE id = ?', params: [id] }]);
      await expectFound(id, name, { problem: 'HASH_MISMATCH', firstBrokenSeq: 1, checkedEvents: 0, detail: /genesis/ });
    });
  });

  describe('an edited stored snapshot (unit_snapshots)', () => {
    it('at seq 0, its state → SNAPSHOT_MISMATCH at 0', async () => {
      const name = '改初始快照';
      const id = await unitWithHistory(name);
      await behindTheServicesBack(sut.db, [
        {
          sql: `UPDATE unit_snapshots SET state_value = '"stage1Complete"' WHERE unit_id = ? AND seq = 0`,
          params: [id],
        },
      ]);
      await expectFound(id, name, {
        problem: 'SNAPSHOT_MISMATCH',
        firstBrokenSeq: 0,
        checkedEvents: 0,
        detail: /first snapshot/,
      });
    });

    it('at seq 64 → SNAPSHOT_MISMATCH at 64, after the 64 events before it were checked', async () => {
      const name = '改第64快照';
      const id = await unitWithHistory(name, 64);
      const [kept] = await sut.db.query<{ context: string }>(
        'SELECT context FROM unit_snapshots WHERE unit_id = ? AND seq = 64',
        [id],
      );
      const context = JSON.parse(kept.context);
      await behindTheServicesBack(sut.db, [
        {
          sql: 'UPDATE unit_snapshots SET context = ? WHERE unit_id = ? AND seq = 64',
          params: [JSON.stringify({ ...context, round: context.round + 1 }), id],
        },
      ]);
      await expectFound(id, name, {
        problem: 'SNAPSHOT_MISMATCH',
        firstBrokenSeq: 64,
        checkedEvents: 64,
        detail: /after event 64/,
      });
    });

    it('at seq 0, its rulebook_version → the unit is reported broken (and the CLI goes on)', async () => {
      const name = '改规则版本';
      const id = await unitWithHistory(name);
      await behindTheServicesBack(sut.db, [
        { sql: 'UPDATE unit_snapshots SET rulebook_version = 2 WHERE unit_id = ? AND seq = 0', params: [id] },
      ]);
      const answer = (await sut.gql(VERIFY, { id }, AUDITOR)).data?.verifyHistory;
      expect(answer).toMatchObject({ ok: false, checkedEvents: 0 });
      expect(['SNAPSHOT_MISMATCH', 'HASH_MISMATCH']).toContain(answer.problem);
      const run = await auditCli(sut, 'verify');
      expect(run.code).toBe(1);
      expect(run.out).toContain(brokenLine(id, name, answer.problem, answer.firstBrokenSeq));
      expect(run.out).toMatch(/^BROKEN: \d+ units, \d+ events verified in [\d.]+ s, \d+ broken$/m);
    });
  });
});
