import { GraphQLError } from 'graphql';
import { principalFromHeader } from './bearer.js';
import { signToken } from './jwt.js';

const SECRET = 'bearer-spec-secret-of-32-bytes!!';
const token = signToken({ sub: 'li', role: 'AUDITOR', scopeUnitId: null }, SECRET);

const answer = (header: string | undefined) => {
  try {
    return principalFromHeader(header, SECRET).sub;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('UNAUTHENTICATED');
    return (error as GraphQLError).message;
  }
};

describe('principalFromHeader', () => {
  it('takes the scheme in any case and spaces or tabs around the token', () => {
    for (const header of [`Bearer ${token}`, `bearer ${token}`, `BEARER \t ${token} `])
      expect(answer(header)).toBe('li');
  });

  it('asks for a bearer token when there is none', () => {
    for (const header of [undefined, '', 'Basic YWRtaW46YWRtaW4=', `Bearer${token}`, 'Bearer']) {
      expect(answer(header)).toBe('a bearer token is required (Authorization: Bearer …)');
    }
  });

  it('refuses more than one token, and names what the token check found', () => {
    expect(answer(`Bearer ${token} ${token}`)).toBe(
      'invalid bearer token: the Authorization header must be "Bearer" and one token',
    );
    expect(answer(`Bearer ${token}=`)).toBe('invalid bearer token: the token signature is invalid');
  });
});
