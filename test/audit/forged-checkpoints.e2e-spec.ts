import { headsDigest, type Head } from '../../src/audit/checkpoint.js';
import { StoryClient, startStory } from '../support/campaign-client.js';
import type { TestApp } from '../support/test-app.js';
import { auditCli, brokenLine } from './support/audit-cli.js';

const OFFICER = { sub: 'officer', role: 'OFFICER', scopeUnitId: null } as const;
const AUDITOR = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null } as const;
const VERIFY = `query($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents firstBrokenSeq problem detail } }`;

/**
 * Forged checkpoints: without the audit key an intruder cannot sign, so every forgery must show as a failed signature,
 * a broken chain of signatures or heads that do not match the signed digest — by verifyHistory (the newest
 * checkpoint's signature and the unit's head in it) and by `npm run audit -- verify` (every checkpoint).
 */
describe('a forged audit checkpoint is found', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  const units: { id: string; name: string }[] = [];

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
    for (const name of ['甲村', '乙村']) {
      const id = await admin.createUnit(name, 'GRASSROOTS');
      await officer.ok('fileStudyPlan', { unitId: id, topics: ['群众路线'], plannedDays: 2 });
      await officer.sendOk(id, 'LAUNCH');
      await officer.session(id, 'GROUP_DISCUSSION');
      units.push({ id, name });
    }
  });
  afterAll(async () => {
    await sut.close();
  });
  // every case starts from no checkpoint at all (the tables are not append-only: a test may clear them)
  afterEach(async () => {
    await sut.db.transaction(async (tx) => {
      await tx.run('DELETE FROM audit_checkpoint_heads');
      await tx.run('DELETE FROM audit_checkpoints');
    });
  });

  async function checkpoint(): Promise<number> {
    const res = await sut.gql('mutation { createAuditCheckpoint { id unitCount } }');
    expect(res.data!.createAuditCheckpoint.unitCount).toBe(units.length);
    return res.data!.createAuditCheckpoint.id;
  }

  const verify = async (id: string) => (await sut.gql(VERIFY, { id }, AUDITOR)).data!.verifyHistory;
  const sql = (text: string, params: (string | number)[] = []) => sut.db.transaction((tx) => tx.run(text, params));
  const headsOf = (checkpointId: number) =>
    sut.db.query<{ unit_id: string; seq: number; hash: string }>(
      'SELECT unit_id, seq, hash FROM audit_checkpoint_heads WHERE checkpoint_id = ?',
      [checkpointId],
    );
  const flipped = (hex: string) => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');

  it('untouched checkpoints verify, by the API and by the CLI (the baseline of every case below)', async () => {
    await checkpoint();
    await checkpoint();
    for (const unit of units) expect(await verify(unit.id)).toMatchObject({ ok: true, checkedEvents: 3 });
    const run = await auditCli(sut, 'verify');
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('BROKEN');
  });

  it('a bad signature → CHECKPOINT_MISMATCH for every unit it covers; the CLI names the checkpoint', async () => {
    const id = await checkpoint();
    const [row] = await sut.db.query<{ signature: string }>('SELECT signature FROM audit_checkpoints WHERE id = ?', [
      id,
    ]);
    await sql('UPDATE audit_checkpoints SET signature = ? WHERE id = ?', [flipped(row.signature), id]);

    for (const unit of units) {
      expect(await verify(unit.id)).toMatchObject({
        ok: false,
        problem: 'CHECKPOINT_MISMATCH',
        firstBrokenSeq: null,
        detail: expect.stringMatching(/signature/),
      });
    }
    const run = await auditCli(sut, 'verify');
    expect(run.code).toBe(1);
    expect(run.out).toContain(`BROKEN checkpoint ${id}: the signature does not match\n`);
    for (const unit of units) expect(run.out).toContain(brokenLine(unit.id, unit.name, 'CHECKPOINT_MISMATCH', null));
  });

  it('heads edited with the digest recomputed to match → the signature fails, for the untouched unit too', async () => {
    const id = await checkpoint();
    const [edited, untouched] = units;
    const heads: Head[] = (await headsOf(id)).map((h) => ({
      unitId: h.unit_id,
      seq: Number(h.seq),
      hash: h.unit_id === edited.id ? 'b'.repeat(64) : h.hash,
    }));
    await sql('UPDATE audit_checkpoint_heads SET hash = ? WHERE checkpoint_id = ? AND unit_id = ?', [
      'b'.repeat(64),
      id,
      edited.id,
    ]);
    await sql('UPDATE audit_checkpoints SET digest = ? WHERE id = ?', [headsDigest(heads), id]);

    expect(await verify(untouched.id)).toMatchObject({
      ok: false,
      problem: 'CHECKPOINT_MISMATCH',
      firstBrokenSeq: null,
    });
    expect(await verify(edited.id)).toMatchObject({ ok: false, problem: 'CHECKPOINT_MISMATCH' });
    const run = await auditCli(sut, 'verify');
    expect(run.code).toBe(1);
    expect(run.out).toContain(`BROKEN checkpoint ${id}: the signature does not match\n`);
    expect(run.out).toContain(brokenLine(untouched.id, untouched.name, 'CHECKPOINT_MISMATCH', null));
  });

  it('a head edited without the digest → the heads do not match the signed digest (CLI); the unit whose head changed fails at that seq', async () => {
    const id = await checkpoint();
    const [edited, untouched] = units;
    await sql('UPDATE audit_checkpoint_heads SET hash = ? WHERE checkpoint_id = ? AND unit_id = ?', [
      'c'.repeat(64),
      id,
      edited.id,
    ]);

    expect(await verify(edited.id)).toMatchObject({ ok: false, problem: 'CHECKPOINT_MISMATCH', firstBrokenSeq: 3 });
    expect(await verify(untouched.id)).toMatchObject({ ok: true });
    const run = await auditCli(sut, 'verify');
    expect(run.code).toBe(1);
    expect(run.out).toContain(`BROKEN checkpoint ${id}: the heads do not match the signed digest\n`);
  });

  describe('a broken chain of signatures (prev_signature) → the CLI names the first checkpoint off the chain', () => {
    it('a deleted middle checkpoint: the next one no longer chains to its predecessor', async () => {
      const [first, middle, last] = [await checkpoint(), await checkpoint(), await checkpoint()];
      await sql('DELETE FROM audit_checkpoint_heads WHERE checkpoint_id = ?', [middle]);
      await sql('DELETE FROM audit_checkpoints WHERE id = ?', [middle]);

      const run = await auditCli(sut, 'verify');
      expect(run.code).toBe(1);
      expect(run.out).toContain(`BROKEN checkpoint ${last}: the chain to the previous checkpoint is broken\n`);
      expect(run.out).not.toContain(`BROKEN checkpoint ${first}`);
    });

    it('a deleted first checkpoint: the next one no longer chains to the genesis signature', async () => {
      const [first, second] = [await checkpoint(), await checkpoint()];
      await sql('DELETE FROM audit_checkpoint_heads WHERE checkpoint_id = ?', [first]);
      await sql('DELETE FROM audit_checkpoints WHERE id = ?', [first]);

      const run = await auditCli(sut, 'verify');
      expect(run.code).toBe(1);
      expect(run.out).toContain(`BROKEN checkpoint ${second}: the chain to the previous checkpoint is broken\n`);
    });

    it('an edited prev_signature (it cannot be re-signed): broken chain for the CLI, failed signature for verifyHistory', async () => {
      await checkpoint();
      const last = await checkpoint();
      await sql('UPDATE audit_checkpoints SET prev_signature = ? WHERE id = ?', ['d'.repeat(64), last]);

      expect(await verify(units[0].id)).toMatchObject({
        ok: false,
        problem: 'CHECKPOINT_MISMATCH',
        firstBrokenSeq: null,
      });
      const run = await auditCli(sut, 'verify');
      expect(run.code).toBe(1);
      expect(run.out).toContain(`BROKEN checkpoint ${last}: the chain to the previous checkpoint is broken\n`);
    });
  });
});
