import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isUnionType } from 'graphql';
import { readFileSync } from 'node:fs';
import { breakingChanges } from '../../src/cli/schema-check.js';
import { schemaText } from '../../src/cli/schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const EVENT_FAILURES = ['IdempotencyKeyReused', 'InvalidInput', 'NotAllowedInState', 'NotFound', 'VersionConflict'];
const STAGE_FAILURES = [...EVENT_FAILURES, 'TransitionBlocked'].sort();

/** Written by hand from what each mutation can answer, not read off the code: a union that lies fails here. */
const EXPECTED_UNIONS: Record<string, string[]> = {
  createUnit: ['IdempotencyKeyReused', 'InvalidInput', 'NotFound', 'UnitCreated'],
  sendEvent: [...STAGE_FAILURES, 'TransitionAccepted'],
  overrideTransition: [...STAGE_FAILURES, 'TransitionAccepted'],
  sendEventToSubtree: ['BulkEventSummary', 'InvalidInput', 'NotFound'],
  fileStudyPlan: [...EVENT_FAILURES, 'EvidenceRecorded'],
  recordStudySession: [...EVENT_FAILURES, 'EvidenceRecorded'],
  recordPartyLecture: [...EVENT_FAILURES, 'EvidenceRecorded'],
  recordFilmScreening: [...EVENT_FAILURES, 'EvidenceRecorded'],
  recordOpinion: [...EVENT_FAILURES, 'OpinionRecorded'],
  claimOpinion: [...EVENT_FAILURES, 'EvidenceRecorded'],
  recordCollectiveDeliberation: [...EVENT_FAILURES, 'EvidenceRecorded'],
  identifyProblem: [...EVENT_FAILURES, 'ProblemIdentified'],
  rectifyProblem: [...EVENT_FAILURES, 'EvidenceRecorded'],
  recordProvinceActivity: [...EVENT_FAILURES, 'EvidenceRecorded'],
  fileSelfAssessment: [...EVENT_FAILURES, 'EvidenceRecorded'],
  issueFinding: [...EVENT_FAILURES, 'FindingIssued'],
  resolveFinding: [...EVENT_FAILURES, 'FindingResolved'],
  recordLookBackVerdict: [...EVENT_FAILURES, 'VerdictRecorded'],
  publishRulebook: ['RulebookPublished', 'RulebookRefused', 'VersionConflict'],
};

describe('the schema is a checked-in contract', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('schema.graphql is what the code generates (run `npm run schema` after changing the API)', () => {
    const generated = schemaText(sut.app.get(GraphQLSchemaHost).schema);
    expect(generated).toBe(readFileSync('schema.graphql', 'utf8'));
  });

  it('each mutation returning a union lists exactly the failures it can return', () => {
    const mutations = sut.app.get(GraphQLSchemaHost).schema.getMutationType()!.getFields();
    const unions = Object.fromEntries(
      Object.entries(mutations)
        .filter(([, field]) => isUnionType(field.type) || isUnionType((field.type as { ofType?: unknown }).ofType))
        .map(([name, field]) => {
          const union = isUnionType(field.type)
            ? field.type
            : (field.type as unknown as { ofType: Parameters<typeof isUnionType>[0] }).ofType;
          return [
            name,
            isUnionType(union)
              ? union
                  .getTypes()
                  .map((t) => t.name)
                  .sort()
              : [],
          ];
        }),
    );
    expect(unions).toEqual(Object.fromEntries(Object.entries(EXPECTED_UNIONS).map(([k, v]) => [k, [...v].sort()])));
  });

  it('the breaking-change check fails on a change the changelog does not list, and passes once it does', async () => {
    const before = 'type Query { unit(id: ID!): Unit }\ntype Unit { id: ID!, name: String! }';
    const after = 'type Query { unit(id: ID!): Unit }\ntype Unit { id: ID! }';
    const unlisted = await breakingChanges(
      before,
      after,
      '# Changelog\n\n## 9.9.9\n\nnothing\n\n## 9.9.8\n\n`Unit.name`\n',
    );
    expect(unlisted.unlisted.map((c) => c.path)).toEqual(['Unit.name']);
    const listed = await breakingChanges(before, after, '# Changelog\n\n## 9.9.9\n\n- `Unit.name` removed: why\n');
    expect({ breaking: listed.breaking.length, unlisted: listed.unlisted.length }).toEqual({
      breaking: 1,
      unlisted: 0,
    });
  });
});
