import { mustBelong } from './error-results.js';

describe('mustBelong: a record a command refers to exists and belongs to the command unit', () => {
  const ref = {
    entity: 'Finding',
    id: 'f1',
    field: 'findingId',
    unitId: 'u1',
    elsewhere: 'the finding was issued against another unit.',
  };

  it('answers NotFound naming the record when there is none', () => {
    expect(mustBelong(undefined, ref)).toMatchObject({
      __typename: 'NotFound',
      entity: 'Finding',
      id: 'f1',
      errorCode: 'NOT_FOUND',
    });
  });

  it("answers InvalidInput on the field when it is another unit's", () => {
    expect(mustBelong('u2', ref)).toMatchObject({
      __typename: 'InvalidInput',
      field: 'findingId',
      message: ref.elsewhere,
    });
  });

  it('answers nothing when it belongs', () => {
    expect(mustBelong('u1', ref)).toBeUndefined();
  });
});
