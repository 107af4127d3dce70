import { ApiErrorCode } from '../common/results/api-error-code.js';
import { databaseFault } from './database-faults.js';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('databaseFault: which driver errors are the database being unreachable or full', () => {
  it.each<[string, unknown, ApiErrorCode | null]>([
    ['SQLite: database or disk is full', coded('database or disk is full', 'SQLITE_FULL'), ApiErrorCode.STORAGE_FULL],
    [
      'SQLite: the write lock held past busy_timeout',
      coded('database is locked', 'SQLITE_BUSY'),
      ApiErrorCode.UNAVAILABLE,
    ],
    ['SQLite: an I/O error', coded('disk I/O error', 'SQLITE_IOERR_WRITE'), ApiErrorCode.UNAVAILABLE],
    ['a refused connection', coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), ApiErrorCode.UNAVAILABLE],
    ['a reset connection', coded('read ECONNRESET', 'ECONNRESET'), ApiErrorCode.UNAVAILABLE],
    ['pg: the socket closed under a client', new Error('Connection terminated unexpectedly'), ApiErrorCode.UNAVAILABLE],
    ['pg: the pool waited too long', new Error('timeout exceeded when trying to connect'), ApiErrorCode.UNAVAILABLE],
    [
      'PostgreSQL shutting down (57P01)',
      coded('terminating connection due to administrator command', '57P01'),
      ApiErrorCode.UNAVAILABLE,
    ],
    ['PostgreSQL starting up (57P03)', coded('the database system is starting up', '57P03'), ApiErrorCode.UNAVAILABLE],
    ['a connection exception (08006)', coded('connection failure', '08006'), ApiErrorCode.UNAVAILABLE],
    ['too many clients (53300)', coded('sorry, too many clients already', '53300'), ApiErrorCode.UNAVAILABLE],
    [
      'wrapped by TypeORM',
      Object.assign(new Error('Query failed'), { driverError: coded('read ECONNRESET', 'ECONNRESET') }),
      ApiErrorCode.UNAVAILABLE,
    ],
    ['a unique violation is ours, not the database being away', coded('duplicate key value', '23505'), null],
    ['a syntax error is ours', coded('syntax error at or near', '42601'), null],
    ['SQLite: a constraint is ours', coded('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'), null],
    ['a plain Error', new Error('boom'), null],
    ['not an error at all', 'boom', null],
  ])('%s', (_, error, expected) => {
    expect(databaseFault(error)).toBe(expected);
  });
});
