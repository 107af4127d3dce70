import type { Principal } from '../../src/auth/principal.js';
import type { TestApp } from './test-app.js';

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
    const res = await this.app.gql(
      `mutation($input: ${inputType}!) { ${name}(input: $input) {
        __typename
        ... on ErrorResult { errorCode message }
        ... on TransitionBlocked { blockers { code message required actual } earliestAt }
        ... on VersionConflict { currentVersion }
        ... on InvalidInput { field }
        ... on NotAllowedInState { activeStates }
        ${selection}
      } }`,
      { input },
      this.as,
    );
    if (res.errors) return { __typename: 'GraphQLError', errors: res.errors };
    return res.data![name];
  }

  async createUnit(name: string, kind: string, parentId: string | null = null, leaderCount = 0): Promise<string> {
    const r = await this.mutate('createUnit', { name, kind, parentId, leaderCount }, '... on UnitCreated { unit { id } }');
    if (r.__typename !== 'UnitCreated') throw new Error(`createUnit: ${JSON.stringify(r)}`);
    return r.unit.id;
  }

  send(unitId: string, event: string, extra: Record<string, unknown> = {}) {
    return this.mutate('sendEvent', { unitId, event, ...extra }, '... on TransitionAccepted { event eventSeq status { phase activeStates version } }');
  }

  async status(unitId: string): Promise<{ phase: string; activeStates: string[]; version: number }> {
    const res = await this.app.gql(`query($id: ID!) { unit(id: $id) { status { phase activeStates version rulebookVersion } } }`, { id: unitId }, this.as);
    return res.data!.unit.status;
  }

  async transitions(unitId: string): Promise<{ event: string; allowed: boolean; blockers: { code: string }[]; earliestAt: string | null }[]> {
    const res = await this.app.gql(`query($id: ID!) { unit(id: $id) { transitions { event allowed earliestAt blockers { code message required actual } } } }`, { id: unitId }, this.as);
    return res.data!.unit.transitions;
  }

  async historyCount(unitId: string): Promise<number> {
    const res = await this.app.gql(`query($id: ID!) { unit(id: $id) { history(first: 100) { edges { node { seq } } } } }`, { id: unitId }, this.as);
    return res.data!.unit.history.edges.length;
  }
}
