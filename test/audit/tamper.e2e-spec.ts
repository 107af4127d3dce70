import { builtInRulebook } from '../../machines/index.js';
import { runAudit } from '../../src/cli/audit-command.js';
import { eventHash } from '../../src/history/hash-chain.js';
import { CampaignClient } from '../support/campaign-client.js';
import { behindTheServicesBack } from '../support/tamper.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

const OFFICER = { sub: 'officer', role: 'OFFICER', scopeUnitId: null } as const;
const AUDITOR = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null } as const;

const VERIFY = `query($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents firstBrokenSeq problem detail } }`;

describe('a tamper-evident history', () => {
  let sut: TestApp;
  let admin: CampaignClient;
  let officer: CampaignClient;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = new CampaignClient(sut, ADMIN);
    officer = admin.withPrincipal(OFFICER);
  });
  afterAll(async () => {
    await sut.close();
  });

  /** A GRASSROOTS unit with 6 events: plan, launch, and four pieces of evidence. */
  async function unitWithHistory(name: string): Promise<string> {
    const id = await admin.createUnit(name, 'GRASSROOTS');
    await officer.mutate('fileStudyPlan', { unitId: id, topics: ['群众路线'], plannedDays: 2 });
    await officer.send(id, 'LAUNCH');
    sut.clock.advanceMs(3_600_000);
    const at = sut.clock.now().toISOString();
    await officer.mutate('recordStudySession', {
      unitId: id,
      format: 'GROUP_DISCUSSION',
      occurredAt: at,
      hours: 2,
      attendees: 9,
    });
    await officer.mutate('recordFilmScreening', { unitId: id, title: '焦裕禄', occurredAt: at });
    await officer.mutate('recordPartyLecture', { unitId: id, lecturer: '王书记', occurredAt: at });
    await officer.mutate('recordOpinion', {
      targetUnitId: id,
      collectedByUnitId: id,
      channel: 'FORUM',
      category: 'HEDONISM',
      text: '吃喝',
      occurredAt: at,
    });
    expect((await officer.status(id)).version).toBe(6);
    return id;
  }

  const verify = async (id: string) => (await sut.gql(VERIFY, { id }, AUDITOR)).data!.verifyHistory;

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const url =
      sut.config.database.type === 'sqlite'
        ? `sqlite:${sut.config.database.path}`
        : `${sut.config.database.url}?schema=${sut.config.database.schema}`;
    const code = await runAudit(
      argv,
      { DATABASE_URL: url, LOOKBACK_AUDIT_KEY: sut.config.auditKey! },
      { out: (t) => (out += t), err: (t) => (err += t), tty: false },
    );
    return { code, out, err };
  }

  it('verifies an untouched history, by the API and by the CLI', async () => {
    const id = await unitWithHistory('完好');
    expect(await verify(id)).toEqual({ ok: true, checkedEvents: 6, firstBrokenSeq: null, problem: null, detail: null });
    const run = await cli('verify', '--root', id);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^OK: 1 units, 6 events verified/m);
  });

  it('refuses UPDATE and DELETE on events at the database', async () => {
    const id = await unitWithHistory('触发器');
    // (matched on the message: better-sqlite3's SqliteError is not always an Error of the test's realm under Jest's VM)
    const refused = { message: expect.stringMatching(/append-only/) };
    await expect(
      sut.db.transaction((tx) => tx.run("UPDATE unit_events SET payload = '{}' WHERE unit_id = ?", [id])),
    ).rejects.toMatchObject(refused);
    await expect(
      sut.db.transaction((tx) => tx.run('DELETE FROM unit_events WHERE unit_id = ?', [id])),
    ).rejects.toMatchObject(refused);
    expect((await verify(id)).ok).toBe(true);
  });

  describe('each kind of tampering is found, with its problem, at its seq', () => {
    const cases: { name: string; problem: string; seq: number | null; tamper: (id: string) => Promise<void> }[] = [
      {
        name: 'an edited payload',
        problem: 'HASH_MISMATCH',
        seq: 3,
        tamper: (id) =>
          behindTheServicesBack(sut.db, [
            {
              sql: `UPDATE unit_events SET payload = REPLACE(payload, '"attendees":9', '"attendees":90') WHERE unit_id = ? AND seq = 3`,
              params: [id],
            },
          ]),
      },
      {
        name: 'a deleted middle event',
        problem: 'SEQ_GAP',
        seq: 4,
        tamper: (id) =>
          behindTheServicesBack(sut.db, [
            { sql: 'DELETE FROM unit_events WHERE unit_id = ? AND seq = 4', params: [id] },
          ]),
      },
      {
        name: 'deleted newest events',
        problem: 'SEQ_GAP',
        seq: 5,
        tamper: (id) =>
          behindTheServicesBack(sut.db, [
            { sql: 'DELETE FROM unit_events WHERE unit_id = ? AND seq >= 5', params: [id] },
          ]),
      },
      {
        name: 'reordered events',
        problem: 'HASH_MISMATCH',
        seq: 3,
        tamper: (id) =>
          behindTheServicesBack(sut.db, [
            { sql: 'UPDATE unit_events SET seq = 100 WHERE unit_id = ? AND seq = 3', params: [id] },
            { sql: 'UPDATE unit_events SET seq = 3 WHERE unit_id = ? AND seq = 4', params: [id] },
            { sql: 'UPDATE unit_events SET seq = 4 WHERE unit_id = ? AND seq = 100', params: [id] },
          ]),
      },
      {
        name: 'an edited snapshot',
        problem: 'SNAPSHOT_MISMATCH',
        seq: null,
        tamper: (id) =>
          behindTheServicesBack(sut.db, [
            {
              sql: `UPDATE unit_states SET state_value = '{"stage1":{"study":"met","listening":"active","correcting":"active"}}' WHERE unit_id = ?`,
              params: [id],
            },
          ]),
      },
    ];

    const tampered: { id: string; problem: string; seq: number | null }[] = [];
    for (const c of cases) {
      it(`${c.name} → ${c.problem}`, async () => {
        const id = await unitWithHistory(c.name);
        await c.tamper(id);
        expect(await verify(id)).toMatchObject({ ok: false, problem: c.problem, firstBrokenSeq: c.seq });
        tampered.push({ id, problem: c.problem, seq: c.seq });
      });
    }

    it('a forged event with a valid hash that the rules would refuse → REPLAY_DIVERGES', async () => {
      const id = await unitWithHistory('伪造');
      const [head] = await sut.db.query<{ head_hash: string; version: number }>(
        'SELECT head_hash, version FROM unit_states WHERE unit_id = ?',
        [id],
      );
      const at = sut.clock.now().getTime();
      const fields = {
        unitId: id,
        seq: 7,
        type: 'CONCLUDE_LOOKBACK',
        payload: { unitId: id, event: 'CONCLUDE_LOOKBACK' },
        actor: 'intruder',
        role: 'SUPERVISOR',
        reason: null,
        at,
        occurredAt: null,
        recordedAt: at,
        rulebookVersion: 1,
        override: false,
        idempotencyKey: null,
        prevHash: head.head_hash,
      };
      const hash = eventHash(fields);
      await behindTheServicesBack(sut.db, [
        {
          sql: 'INSERT INTO unit_events (unit_id, seq, type, payload, actor, role, reason, at, occurred_at, recorded_at, rulebook_version, override, idempotency_key, prev_hash, hash) VALUES (?, 7, ?, ?, ?, ?, NULL, ?, NULL, ?, 1, 0, NULL, ?, ?)',
          params: [
            id,
            fields.type,
            JSON.stringify(fields.payload),
            fields.actor,
            fields.role,
            at,
            at,
            fields.prevHash,
            hash,
          ],
        },
        { sql: 'UPDATE unit_states SET version = 7, head_hash = ? WHERE unit_id = ?', params: [hash, id] },
      ]);
      expect(await verify(id)).toMatchObject({
        ok: false,
        problem: 'REPLAY_DIVERGES',
        firstBrokenSeq: 7,
        checkedEvents: 6,
      });
      tampered.push({ id, problem: 'REPLAY_DIVERGES', seq: 7 });
    });

    it('the CLI lists every broken unit with the same problem, and exits 1', async () => {
      const run = await cli('verify');
      expect(run.code).toBe(1);
      for (const t of tampered) expect(run.out).toContain(`BROKEN ${t.id} `);
      for (const t of tampered)
        expect(run.out).toMatch(new RegExp(`BROKEN ${t.id} "[^"]*" ${t.problem} firstBrokenSeq=${t.seq ?? '-'}`));
      expect(run.out).toMatch(
        new RegExp(`^BROKEN: \\d+ units, \\d+ events verified in [\\d.]+ s, ${tampered.length} broken$`, 'm'),
      );
    });
  });

  it('judges a unit by its own events: an edit elsewhere does not fail it', async () => {
    const good = await unitWithHistory('邻居');
    const bad = await unitWithHistory('被改');
    await behindTheServicesBack(sut.db, [
      { sql: 'DELETE FROM unit_events WHERE unit_id = ? AND seq = 2', params: [bad] },
    ]);
    expect((await verify(bad)).ok).toBe(false);
    expect((await verify(good)).ok).toBe(true);
  });

  it('finds deleted newest events even when the snapshot was rewound to match, thanks to a signed checkpoint', async () => {
    const id = await unitWithHistory('检查点');
    const cp = await sut.gql('mutation { createAuditCheckpoint { id unitCount signature } }');
    expect(cp.errors).toBeUndefined();
    // the intruder deletes events 5–6 and rewinds the snapshot to exactly what the first 4 events fold to
    const { AuditRepository } = await import('../../src/audit/audit.repository.js');
    const { foldEvent, genesisSnapshot } = await import('../../src/history/fold.js');
    const events = await sut.app.get(AuditRepository).eventsOf(id);
    let snapshot = genesisSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, 1, builtInRulebook);
    for (const event of events.slice(0, 4)) {
      const step = foldEvent(snapshot, event, builtInRulebook);
      if (!step.ok) throw new Error('fold failed');
      snapshot = step.snapshot;
    }
    const four = events[3];
    const rewound = { final: { snapshot } };
    await behindTheServicesBack(sut.db, [
      { sql: 'DELETE FROM unit_events WHERE unit_id = ? AND seq >= 5', params: [id] },
      {
        sql: 'UPDATE unit_states SET version = 4, head_hash = ?, state_value = ?, context = ? WHERE unit_id = ?',
        params: [
          four.hash,
          JSON.stringify(rewound.final.snapshot.value),
          JSON.stringify(rewound.final.snapshot.context),
          id,
        ],
      },
    ]);
    expect(await verify(id)).toMatchObject({ ok: false, problem: 'CHECKPOINT_MISMATCH', firstBrokenSeq: 6 });
  });

  it('answers unitAsOf with the status the unit had at each moment, and null before it existed', async () => {
    const before = new Date(sut.clock.now().getTime() - 1);
    const id = await admin.createUnit('回放', 'GRASSROOTS');
    const seen: { at: string; status: unknown }[] = [];
    const note = async () => {
      const { phase, activeStates, version } = await officer.status(id);
      seen.push({ at: sut.clock.now().toISOString(), status: { phase, activeStates, version } });
      sut.clock.advanceMs(60_000);
    };
    await note();
    await officer.mutate('fileStudyPlan', { unitId: id, topics: ['t'], plannedDays: 1 });
    await note();
    await officer.send(id, 'LAUNCH');
    await note();
    const at = sut.clock.now().toISOString();
    await officer.mutate('recordStudySession', {
      unitId: id,
      format: 'GROUP_DISCUSSION',
      occurredAt: at,
      hours: 1,
      attendees: 3,
    });
    await note();
    const q = `query($id: ID!, $at: DateTime!) { unitAsOf(unitId: $id, at: $at) { phase activeStates version } }`;
    for (const s of seen) expect((await sut.gql(q, { id, at: s.at }, AUDITOR)).data!.unitAsOf).toEqual(s.status);
    expect((await sut.gql(q, { id, at: before.toISOString() }, AUDITOR)).data!.unitAsOf).toBeNull();
  });

  it('replays every step with its actor, states before and after, and the gates as they were', async () => {
    const id = await unitWithHistory('逐步');
    const res = await sut.gql(
      `query($id: ID!) { replay(unitId: $id) { diverged status { phase version } steps { seq type actor role stateBefore stateAfter gates { event allowed blockers { code } } } } }`,
      { id },
      AUDITOR,
    );
    const replay = res.data!.replay;
    expect(replay.diverged).toBe(false);
    expect(replay.status).toEqual({ phase: 'stage1', version: 6 });
    expect(replay.steps.map((s: any) => s.type)).toEqual([
      'FILE_STUDY_PLAN',
      'LAUNCH',
      'STUDY_SESSION',
      'FILM_SCREENING',
      'PARTY_LECTURE',
      'OPINION_RECORDED',
    ]);
    expect(replay.steps[1]).toMatchObject({ actor: 'officer', role: 'OFFICER', stateBefore: ['registered'] });
    expect(replay.steps[1].stateAfter).toEqual([
      'stage1.correcting.active',
      'stage1.listening.active',
      'stage1.study.active',
    ]);
    expect(replay.steps[0].gates.find((g: any) => g.event === 'LAUNCH').blockers.map((b: any) => b.code)).toEqual([
      'STUDY_PLAN_MISSING',
    ]);
    expect(replay.steps[1].gates.find((g: any) => g.event === 'LAUNCH')).toMatchObject({ allowed: true, blockers: [] });
  });

  it('gives the statechart as Mermaid text derived from the machine', async () => {
    const res = await sut.gql('{ machineDiagram }', {}, AUDITOR);
    expect(res.data!.machineDiagram).toMatch(/^stateDiagram-v2/);
    expect(res.data!.machineDiagram).toContain('REQUEST_LOOKBACK');
  });

  it('exports a history as NDJSON from which an outside script recomputes every hash', async () => {
    const id = await unitWithHistory('导出');
    const run = await cli('export', '--unit', id, '--format', 'ndjson');
    expect(run.code).toBe(0);
    const [genesis, ...lines] = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(genesis).toEqual({ record: 'genesis', unitId: id, kind: 'GRASSROOTS', leaderCount: 0, rulebookVersion: 1 });
    expect(lines).toHaveLength(6);
    const { createHash } = await import('node:crypto');
    const canonical = (v: unknown): string =>
      v === null || typeof v !== 'object'
        ? JSON.stringify(v)
        : Array.isArray(v)
          ? `[${v.map(canonical).join(',')}]`
          : `{${Object.keys(v as object)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
              .join(',')}}`;
    const { record: _record, ...start } = genesis;
    let prev = createHash('sha256').update(canonical(start)).digest('hex');
    for (const line of lines) {
      const { hash, ...fields } = line;
      expect(fields.prevHash).toBe(prev);
      expect(createHash('sha256').update(canonical(fields)).digest('hex')).toBe(hash);
      prev = hash;
    }
    const csv = await cli('export', '--unit', id, '--format', 'csv');
    // a UTF-8 byte order mark first, so that a spreadsheet reads the Chinese as Chinese
    expect(csv.out.startsWith('\uFEFFunitId,')).toBe(true);
    const [header, ...rows] = csv.out.slice(1).trim().split('\n');
    expect(header).toBe(
      'unitId,seq,type,actor,role,reason,at,occurredAt,recordedAt,rulebookVersion,override,idempotencyKey,prevHash,hash,payload',
    );
    expect(rows).toHaveLength(6);
    // times as ISO 8601 UTC, the same instants as the NDJSON's epoch milliseconds
    const isoAt = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
    rows.forEach((row, i) => {
      const [, seq, type, , , , at, occurredAt, recordedAt] = row.split(',');
      expect({ seq: Number(seq), type, at, occurredAt, recordedAt }).toEqual({
        seq: lines[i].seq,
        type: lines[i].type,
        at: isoAt(lines[i].at),
        occurredAt: isoAt(lines[i].occurredAt),
        recordedAt: isoAt(lines[i].recordedAt),
      });
    });
    expect(rows.at(-1)).toContain('吃喝');
    expect((await cli('export', '--unit', id, '--format', 'xml')).code).toBe(2);
  });
});
