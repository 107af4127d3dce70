/**
 * Publishing a rulebook (rule 5: admins publish a new version that changes numbers and lists of an existing one):
 * an admin of the whole tree publishes v3 over v1 with one more study session for associations; units created
 * afterwards run under it (the gate enforces the new number), older units keep v1, histories verify, and a second
 * instance on the same database that never saw v3 loads it from the database for commands and reads alike.
 * Refusals come with every reason at once and land in the attempts log; two publications at once: one wins.
 */
import { jest } from '@jest/globals';
import type { Principal } from '../../src/auth/principal.js';
import type { Tx } from '../../src/database/db.js';
import { RulebooksRepository } from '../../src/rulebooks/rulebooks.repository.js';
import { DAY, launch, StoryClient } from '../support/campaign-client.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

const OFFICER: Principal = { sub: 'officer-zhao', role: 'OFFICER', scopeUnitId: null };

const PUBLISH = `mutation($input: PublishRulebookInput!) { publishRulebook(input: $input) {
  __typename
  ... on RulebookPublished { rulebook { version ruleset basedOn current builtIn publishedBy publishedAt reason contentHash document } }
  ... on RulebookRefused { errorCode message reasons { path message } }
  ... on VersionConflict { errorCode message currentVersion }
} }`;
const RULEBOOKS = `{ rulebooks { version current builtIn basedOn publishedBy reason contentHash } }`;
const VERIFY = `query($id: ID!) { verifyHistory(unitId: $id) { ok problem detail } }`;

/** v1 asks associations (NON_PUBLIC_SOCIAL) for one study session; the publication asks for two. */
const TWO_SESSIONS = { kinds: { NON_PUBLIC_SOCIAL: { study: { anySessions: 2 } } } };
const REASON = '省委要求：非公组织至少学习两次';

describe('publishing a rulebook', () => {
  let sut: TestApp;
  let other: TestApp | null = null;
  let officer: StoryClient;
  let before: string;

  const publish = async (input: Record<string, unknown>, as: Principal = ADMIN, app: TestApp = sut) => {
    const res = await app.gql(PUBLISH, { input }, as);
    if (res.errors) return { __typename: 'GraphQLError', errors: res.errors } as Record<string, any>;
    return res.data!.publishRulebook as Record<string, any>;
  };
  const verified = async (app: TestApp, id: string) => (await app.gql(VERIFY, { id }, ADMIN)).data!.verifyHistory;
  /** Launches an association, records `sessions` study sessions, waits out the dwell, and sends COMPLETE_STUDY. */
  const completeStudy = async (c: StoryClient, id: string, sessions: number) => {
    await launch(c, id);
    for (let i = 0; i < sessions; i++) await c.session(id, 'SELF_STUDY');
    c.app.clock.set(new Date(c.app.clock.now().getTime() + 2 * DAY));
    return c.send(id, 'COMPLETE_STUDY');
  };

  beforeAll(async () => {
    sut = await startTestApp();
    officer = new StoryClient(sut, OFFICER);
    before = await new StoryClient(sut, ADMIN).createUnit('早成立协会', 'NON_PUBLIC_SOCIAL');
  });
  afterAll(async () => {
    await other?.close();
    await sut.close();
  });

  it('lists the built-in v1 and v2 with v1 current until an admin publishes', async () => {
    const { rulebooks } = (await sut.gql(RULEBOOKS)).data!;
    expect(rulebooks.map((r: any) => [r.version, r.current, r.builtIn, r.basedOn])).toEqual([
      [1, true, true, null],
      [2, false, true, null],
    ]);
  });

  it('refuses a scoped admin and a supervisor (FORBIDDEN), and publishes nothing', async () => {
    const scopedAdmin: Principal = { sub: 'city-admin', role: 'ADMIN', scopeUnitId: before };
    const supervisor: Principal = { sub: 'sup', role: 'SUPERVISOR', scopeUnitId: null };
    for (const as of [scopedAdmin, supervisor]) {
      const r = await publish({ basedOn: 1, changes: TWO_SESSIONS, reason: REASON }, as);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await sut.gql(RULEBOOKS)).data!.rulebooks).toHaveLength(2);
  });

  it('refuses an invalid change with every reason together, and keeps the refusal in the attempts log', async () => {
    const r = await publish({
      basedOn: 1,
      changes: { kinds: { GRASSROOTS: { listening: { faceToFacePercent: 120, minOpinions: -1 } } }, timeZone: 'UTC' },
      reason: ' ',
    });
    expect(r.__typename).toBe('RulebookRefused');
    expect(r.errorCode).toBe('RULEBOOK_REFUSED');
    expect(r.reasons.map((x: any) => x.path)).toEqual([
      'reason',
      '/kinds/GRASSROOTS/listening/faceToFacePercent',
      '/kinds/GRASSROOTS/listening/minOpinions',
      '/timeZone',
    ]);
    const missingBase = await publish({ basedOn: 99, changes: TWO_SESSIONS, reason: REASON });
    expect(missingBase.reasons).toEqual([{ path: 'basedOn', message: 'there is no rulebook v99 to base it on' }]);
    const attempts = await sut.db.query<{ command: string; actor: string; failure: string; detail: string }>(
      "SELECT command, actor, failure, detail FROM command_attempts WHERE command = 'publishRulebook' ORDER BY id",
    );
    expect(attempts.map((a) => [a.command, a.actor, a.failure])).toEqual([
      ['publishRulebook', 'admin', 'RULEBOOK_REFUSED'],
      ['publishRulebook', 'admin', 'RULEBOOK_REFUSED'],
    ]);
    expect(JSON.parse(attempts[0].detail).reasons).toHaveLength(4);
    expect((await sut.gql(RULEBOOKS)).data!.rulebooks).toHaveLength(2);
  });

  it('publishes a valid change as v3, audited (who, when, why, the content hash) and current', async () => {
    const r = await publish({ basedOn: 1, changes: TWO_SESSIONS, reason: REASON });
    expect(r.__typename).toBe('RulebookPublished');
    expect(r.rulebook).toMatchObject({
      version: 3,
      ruleset: 1,
      basedOn: 1,
      current: true,
      builtIn: false,
      publishedBy: 'admin',
      publishedAt: sut.clock.now().toISOString(),
      reason: REASON,
    });
    expect(JSON.parse(r.rulebook.document).kinds.NON_PUBLIC_SOCIAL.study.anySessions).toBe(2);
    expect(r.rulebook.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const { rulebooks } = (await sut.gql(RULEBOOKS)).data!;
    expect(rulebooks.map((x: any) => [x.version, x.current])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const one = (await sut.gql(`{ rulebook { version publishedBy reason contentHash } }`)).data!.rulebook;
    expect(one).toEqual({ version: 3, publishedBy: 'admin', reason: REASON, contentHash: r.rulebook.contentHash });
  });

  it('starts new units on v3, whose gate asks for two sessions; a unit created before keeps v1 and one session', async () => {
    const after = await new StoryClient(sut, ADMIN).createUnit('新成立协会', 'NON_PUBLIC_SOCIAL');
    expect((await officer.status(after)).rulebookVersion).toBe(3);
    expect((await officer.status(before)).rulebookVersion).toBe(1);
    const blocked = await completeStudy(officer, after, 1);
    expect(blocked.__typename).toBe('TransitionBlocked');
    expect(blocked.blockers).toEqual([
      expect.objectContaining({ code: 'STUDY_SESSION_MISSING', required: '2 study sessions', actual: '1' }),
    ]);
    await officer.session(after, 'SELF_STUDY');
    await officer.sendOk(after, 'COMPLETE_STUDY');
    expect((await completeStudy(officer, before, 1)).__typename).toBe('TransitionAccepted');
    for (const id of [after, before]) expect(await verified(sut, id)).toMatchObject({ ok: true, problem: null });
  });

  it('a second instance on the same database loads a version it has not seen, for commands and reads', async () => {
    other = await startTestApp({ database: sut.config.database });
    other.clock.set(sut.clock.now());
    // published on the first instance after the second one started: the second one has never seen v4
    const v4 = await publish({
      basedOn: 3,
      changes: { kinds: { NON_PUBLIC_SOCIAL: { study: { anySessions: 3 } } } },
      reason: REASON,
    });
    expect(v4.rulebook.version).toBe(4);
    const onOther = new StoryClient(other, OFFICER);
    const unit = await new StoryClient(other, ADMIN).createUnit('外地协会', 'NON_PUBLIC_SOCIAL');
    expect((await onOther.status(unit)).rulebookVersion).toBe(4);
    const blocked = await completeStudy(onOther, unit, 2);
    expect(blocked.blockers).toEqual([
      expect.objectContaining({ code: 'STUDY_SESSION_MISSING', required: '3 study sessions', actual: '2' }),
    ]);
    const progress = (await other.gql(`query($id: ID!) { unit(id: $id) { progress { code required } } }`, { id: unit }))
      .data!.unit.progress;
    expect(progress).toContainEqual({ code: 'STUDY_SESSION_MISSING', required: '3 study sessions' });
    expect(await verified(other, unit)).toMatchObject({ ok: true });
    const diagram = await other.gql(`{ machineDiagram(version: 4) }`);
    expect(diagram.data!.machineDiagram).toContain('stateDiagram-v2');
    expect((await other.gql(`{ rulebook(version: 4) { version current } }`)).data!.rulebook).toEqual({
      version: 4,
      current: true,
    });
  });

  it('migrateUnits moves a unit to a published version, with the gaps its evidence has under it', async () => {
    const MIGRATE = `mutation($input: MigrateUnitsInput!) { migrateUnits(input: $input) {
      migrated rows { outcome fromVersion gaps { code required actual } } } }`;
    const res = await sut.gql(MIGRATE, { input: { rootId: before, toVersion: 4, dryRun: false } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.migrateUnits).toEqual({
      migrated: 1,
      rows: [
        {
          outcome: 'MIGRATED',
          fromVersion: 1,
          // every gate of v4 its evidence fails, the met study region's new number among them
          gaps: expect.arrayContaining([{ code: 'STUDY_SESSION_MISSING', required: '3 study sessions', actual: '1' }]),
        },
      ],
    });
    expect((await officer.status(before)).rulebookVersion).toBe(4);
    expect(await verified(sut, before)).toMatchObject({ ok: true });
  });

  it('after a restart (two new apps starting together on the same database) every unit still replays', async () => {
    await other!.close().catch(() => undefined);
    const [one, two] = await Promise.all([
      startTestApp({ database: sut.config.database }),
      startTestApp({ database: sut.config.database }),
    ]);
    other = one;
    await two.close();
    // the built-in documents were seeded once, whoever started first
    const builtIn = await other.db.query<{ version: number }>('SELECT version FROM rulebooks WHERE built_in = 1');
    expect(builtIn.map((r) => Number(r.version)).sort()).toEqual([1, 2]);
    const ids = (await other.gql(`{ units(first: 50) { edges { node { id } } } }`)).data!.units.edges.map(
      (e: any) => e.node.id,
    );
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect([id, await verified(other, id)]).toEqual([id, expect.objectContaining({ ok: true })]);
  });

  it('two publications at once: exactly one wins, the other is told of the conflict (nothing written)', async () => {
    // both read the highest version before either inserts (as two admins' requests arriving together do)
    const repository = sut.app.get(RulebooksRepository);
    const highest = repository.highest.bind(repository);
    const waiting: (() => void)[] = [];
    const spy = jest.spyOn(repository, 'highest').mockImplementation(async (tx?: Tx, published?: boolean) => {
      const value = await highest(tx, published);
      if (tx) return value;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) for (const release of waiting.splice(0)) release();
      });
      return value;
    });
    try {
      const answers = await Promise.all([
        publish({ basedOn: 1, changes: { reworkDwellDays: 8 }, reason: '甲' }),
        publish({ basedOn: 1, changes: { reworkDwellDays: 9 }, reason: '乙' }),
      ]);
      expect(answers.map((a) => a.__typename).sort()).toEqual(['RulebookPublished', 'VersionConflict']);
      const conflict = answers.find((a) => a.__typename === 'VersionConflict')!;
      expect(conflict).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: 5 });
    } finally {
      spy.mockRestore();
    }
    expect((await sut.gql(RULEBOOKS)).data!.rulebooks.map((r: any) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });
});
