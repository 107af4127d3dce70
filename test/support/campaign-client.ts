import type { Principal } from '../../src/auth/principal.js';
import { ADMIN, startTestApp, type TestApp } from './test-app.js';

/** A thin GraphQL client for user stories: each call is one mutation, and it returns the result union's value. */
export class CampaignClient {
  constructor(
    readonly app: TestApp,
    readonly as: Principal,
  ) {}

  withPrincipal(as: Principal): CampaignClient {
    return new CampaignClient(this.app, as);
  }

  async mutate(name: string, input: Record<string, unknown>, selection = ''): Promise<any> {
    const inputType = name.charAt(0).toUpperCase() + name.slice(1) + 'Input';
    // a union lists exactly the failures its mutation can return: spread only those
    const stageEvent = name === 'sendEvent' || name === 'overrideTransition';
    const onUnit = name !== 'createUnit';
    const res = await this.app.gql(
      `mutation($input: ${inputType}!) { ${name}(input: $input) {
        __typename
        ... on ErrorResult { errorCode message }
        ${stageEvent ? '... on TransitionBlocked { blockers { code message required actual } earliestAt }' : ''}
        ${onUnit ? '... on VersionConflict { currentVersion }' : ''}
        ... on InvalidInput { field }
        ${onUnit ? '... on NotAllowedInState { activeStates }' : ''}
        ${selection}
      } }`,
      { input },
      this.as,
    );
    if (res.errors) return { __typename: 'GraphQLError', errors: res.errors };
    return res.data![name];
  }

  async createUnit(name: string, kind: string, parentId: string | null = null, leaderCount = 0): Promise<string> {
    const r = await this.mutate(
      'createUnit',
      { name, kind, parentId, leaderCount },
      '... on UnitCreated { unit { id } }',
    );
    if (r.__typename !== 'UnitCreated') throw new Error(`createUnit: ${JSON.stringify(r)}`);
    return r.unit.id;
  }

  send(unitId: string, event: string, extra: Record<string, unknown> = {}) {
    return this.mutate(
      'sendEvent',
      { unitId, event, ...extra },
      '... on TransitionAccepted { event eventSeq status { phase activeStates version } }',
    );
  }

  async status(
    unitId: string,
  ): Promise<{ phase: string; activeStates: string[]; version: number; rulebookVersion: number }> {
    const res = await this.app.gql(
      `query($id: ID!) { unit(id: $id) { status { phase activeStates version rulebookVersion } } }`,
      { id: unitId },
      this.as,
    );
    return res.data!.unit.status;
  }

  async transitions(
    unitId: string,
  ): Promise<{ event: string; allowed: boolean; blockers: { code: string }[]; earliestAt: string | null }[]> {
    const res = await this.app.gql(
      `query($id: ID!) { unit(id: $id) { transitions { event allowed earliestAt blockers { code message required actual } } } }`,
      { id: unitId },
      this.as,
    );
    return res.data!.unit.transitions;
  }

  async historyCount(unitId: string): Promise<number> {
    const res = await this.app.gql(
      `query($id: ID!) { unit(id: $id) { history(first: 100) { edges { node { seq } } } } }`,
      { id: unitId },
      this.as,
    );
    return res.data!.unit.history.edges.length;
  }
}

export type Kind =
  'LEADERSHIP_BODY' | 'DIRECT_UNIT' | 'TOWNSHIP_STREET' | 'WINDOW_SERVICE' | 'GRASSROOTS' | 'NON_PUBLIC_SOCIAL';

/** What a refused command must leave as it was, and the attempts log it must grow. */
export interface Footprint {
  version: number;
  historyLength: number;
  attempts: { command: string; actor: string; role: string; failure: string; blockers: { code: string }[] }[];
}

const FAILURES = new Set([
  'TransitionBlocked',
  'VersionConflict',
  'NotAllowedInState',
  'InvalidInput',
  'IdempotencyKeyReused',
  'NotFound',
  'GraphQLError',
]);

/** Story helpers on top of CampaignClient: evidence that must be accepted, footprints, listings. */
export class StoryClient extends CampaignClient {
  override withPrincipal(as: Principal): StoryClient {
    return new StoryClient(this.app, as);
  }

  /** A mutation that must be accepted: throws with the answer otherwise. */
  async ok(name: string, input: Record<string, unknown>, selection = ''): Promise<any> {
    const r = await this.mutate(
      name,
      input,
      selection || '... on EvidenceRecorded { eventSeq status { phase activeStates version } }',
    );
    if (FAILURES.has(r.__typename)) throw new Error(`${name} refused: ${JSON.stringify(r)}`);
    return r;
  }

  async sendOk(
    unitId: string,
    event: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ phase: string; activeStates: string[]; version: number }> {
    const r = await this.send(unitId, event, extra);
    if (r.__typename !== 'TransitionAccepted') throw new Error(`${event} refused: ${JSON.stringify(r)}`);
    return r.status;
  }

  now(): string {
    return this.app.clock.now().toISOString();
  }

  session(unitId: string, format: string, occurredAt = this.now(), hours = 2, attendees = 10) {
    return this.ok('recordStudySession', { unitId, format, occurredAt, hours, attendees, topic: '党章' });
  }

  /** `n` opinions about `targetUnitId`: the first `faceToFace` by HOME_VISIT (else PHONE), the first `styles` FORMALISM (else WORK). */
  async opinions(
    targetUnitId: string,
    n: number,
    faceToFace: number,
    styles: number,
    collectedByUnitId = targetUnitId,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await this.ok(
        'recordOpinion',
        {
          targetUnitId,
          collectedByUnitId,
          channel: i < faceToFace ? 'HOME_VISIT' : 'PHONE',
          category: i < styles ? 'FORMALISM' : 'WORK',
          text: `意见 ${i + 1}`,
          occurredAt: this.now(),
        },
        '... on OpinionRecorded { opinionId eventSeq }',
      );
      ids.push(r.opinionId);
    }
    return ids;
  }

  async problem(unitId: string, fixAtOnce = true, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await this.ok(
      'identifyProblem',
      { unitId, category: '形式主义', description: '会议过多', fixAtOnce, ...extra },
      '... on ProblemIdentified { problemId }',
    );
    return r.problemId;
  }

  async footprint(unitId: string): Promise<Footprint> {
    const res = await this.app.gql(
      `query($id: ID!) { unit(id: $id) {
        status { version }
        history(first: 100) { edges { node { seq } } }
        attempts(first: 100) { edges { node { command actor role failure blockers { code } } } }
      } }`,
      { id: unitId },
      this.as,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const u = res.data!.unit;
    return {
      version: u.status.version,
      historyLength: u.history.edges.length,
      attempts: u.attempts.edges.map((e: any) => e.node),
    };
  }

  /**
   * Runs `refused` and checks it appended nothing and left exactly one attempt (when `logged`) naming `command`.
   * Returns the answer.
   */
  async refused(unitId: string, command: string, run: () => Promise<any>, logged = true): Promise<any> {
    const before = await this.footprint(unitId);
    const answer = await run();
    if (!FAILURES.has(answer.__typename)) throw new Error(`expected a refusal, got ${JSON.stringify(answer)}`);
    const after = await this.footprint(unitId);
    if (after.version !== before.version) throw new Error(`version moved ${before.version} → ${after.version}`);
    if (after.historyLength !== before.historyLength)
      throw new Error(`history grew ${before.historyLength} → ${after.historyLength}`);
    const added = after.attempts.slice(before.attempts.length);
    if (logged) {
      if (added.length !== 1 || added[0].command !== command || added[0].failure !== answer.errorCode) {
        throw new Error(`attempts log: expected one ${command} ${answer.errorCode}, got ${JSON.stringify(added)}`);
      }
    } else if (added.length !== 0) {
      throw new Error(`attempts log: expected nothing, got ${JSON.stringify(added)}`);
    }
    return answer;
  }

  async unclaimed(
    unitId: string,
    unclaimedOnly = true,
  ): Promise<{ id: string; routed: boolean; claimedAt: string | null }[]> {
    const res = await this.app.gql(
      `query($id: ID!, $u: Boolean) { unit(id: $id) { opinions(first: 100, unclaimedOnly: $u) { edges { node { id routed claimedAt collectedByUnitId } } } } }`,
      { id: unitId, u: unclaimedOnly },
      this.as,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.unit.opinions.edges.map((e: any) => e.node);
  }

  async historyNodes(unitId: string): Promise<
    {
      seq: number;
      type: string;
      actor: string;
      role: string;
      reason: string | null;
      override: boolean;
      payload: string;
    }[]
  > {
    const res = await this.app.gql(
      `query($id: ID!) { unit(id: $id) { history(first: 100) { edges { node { seq type actor role reason override payload } } } } }`,
      { id: unitId },
      this.as,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.unit.history.edges.map((e: any) => e.node);
  }
}

/** A booted app and the story's clients: an admin of the whole tree, and one client per principal given. */
export async function startStory(
  ...principals: Principal[]
): Promise<{ sut: TestApp; admin: StoryClient; officer: StoryClient; supervisor: StoryClient }> {
  const sut = await startTestApp();
  const admin = new StoryClient(sut, ADMIN);
  const [officer, supervisor] = principals.map((p) => admin.withPrincipal(p));
  return { sut, admin, officer, supervisor };
}

export const codes = (r: { blockers: { code: string }[] }) => r.blockers.map((b) => b.code).sort();

export const DAY = 86_400_000;

/** Rulebook v1 numbers the stories rely on: study dwell, minimum opinions, stage dwell. */
export const RULES: Record<Kind, { studyDwell: number; opinions: number; stageDwell: number }> = {
  LEADERSHIP_BODY: { studyDwell: 5, opinions: 20, stageDwell: 20 },
  DIRECT_UNIT: { studyDwell: 3, opinions: 10, stageDwell: 14 },
  TOWNSHIP_STREET: { studyDwell: 3, opinions: 10, stageDwell: 14 },
  WINDOW_SERVICE: { studyDwell: 3, opinions: 10, stageDwell: 14 },
  GRASSROOTS: { studyDwell: 1, opinions: 5, stageDwell: 10 },
  NON_PUBLIC_SOCIAL: { studyDwell: 1, opinions: 3, stageDwell: 7 },
};

/** The least study evidence that meets the kind's gate; moves the clock one day per extra concentrated day. */
export async function studyEvidence(c: StoryClient, unitId: string, kind: Kind, leaderCount = 0): Promise<void> {
  switch (kind) {
    case 'LEADERSHIP_BODY':
      for (let d = 0; d < 5; d++) {
        if (d > 0) c.app.clock.advanceDays(1);
        await c.session(unitId, 'CONCENTRATED');
      }
      await c.session(unitId, 'THEMATIC_SEMINAR');
      await c.session(unitId, 'THEMATIC_SEMINAR');
      for (let i = 0; i < leaderCount; i++)
        await c.ok('recordPartyLecture', { unitId, lecturer: `领导${i + 1}`, occurredAt: c.now() });
      return;
    case 'WINDOW_SERVICE':
    case 'DIRECT_UNIT':
    case 'TOWNSHIP_STREET':
      if (kind === 'WINDOW_SERVICE') await c.session(unitId, 'ETHICS_TRAINING');
      await c.session(unitId, 'CONCENTRATED');
      await c.session(unitId, 'GROUP_DISCUSSION');
      c.app.clock.advanceDays(1);
      await c.session(unitId, 'CONCENTRATED');
      return;
    case 'GRASSROOTS':
      await c.session(unitId, 'GROUP_DISCUSSION');
      await c.ok('recordFilmScreening', { unitId, title: '焦裕禄', occurredAt: c.now() });
      await c.ok('recordPartyLecture', { unitId, lecturer: '李书记', occurredAt: c.now() });
      return;
    case 'NON_PUBLIC_SOCIAL':
      await c.session(unitId, 'SELF_STUDY');
      return;
  }
}

/** The least listening evidence: the minimum of opinions at exactly 60 % face-to-face and ≥ 50 % four styles (+ deliberation for LB). */
export async function listeningEvidence(c: StoryClient, unitId: string, kind: Kind): Promise<void> {
  const n = RULES[kind].opinions;
  await c.opinions(unitId, n, Math.ceil(n * 0.6), Math.ceil(n / 2));
  if (kind === 'LEADERSHIP_BODY')
    await c.ok('recordCollectiveDeliberation', { unitId, occurredAt: c.now(), opinionsDiscussed: n });
}

export async function launch(c: StoryClient, unitId: string): Promise<number> {
  await c.ok('fileStudyPlan', { unitId, topics: ['党章', '习近平总书记系列重要讲话'], plannedDays: 5 });
  await c.sendOk(unitId, 'LAUNCH');
  return c.app.clock.now().getTime();
}

/** From launch to lookBack by the shortest legal road; returns when the unit is in lookBack. */
export async function toLookBack(c: StoryClient, unitId: string, kind: Kind, leaderCount = 0): Promise<void> {
  const launchedAt = await toRegionsMet(c, unitId, kind, leaderCount);
  c.app.clock.set(new Date(Math.max(c.app.clock.now().getTime(), launchedAt + RULES[kind].stageDwell * DAY)));
  await c.sendOk(unitId, 'REQUEST_LOOKBACK');
}

/** Launches the unit and meets its three regions (as early as the study dwell allows); returns the launch instant. */
export async function toRegionsMet(c: StoryClient, unitId: string, kind: Kind, leaderCount = 0): Promise<number> {
  const launchedAt = await launch(c, unitId);
  await studyEvidence(c, unitId, kind, leaderCount);
  c.app.clock.set(new Date(Math.max(c.app.clock.now().getTime(), launchedAt + RULES[kind].studyDwell * DAY)));
  await c.sendOk(unitId, 'COMPLETE_STUDY');
  await listeningEvidence(c, unitId, kind);
  await c.sendOk(unitId, 'COMPLETE_LISTENING');
  await c.problem(unitId, false);
  await c.sendOk(unitId, 'COMPLETE_CORRECTING');
  return launchedAt;
}
