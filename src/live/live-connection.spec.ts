import { jest } from '@jest/globals';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal.js';
import type { PrincipalCache } from '../graphql/principal-cache.js';
import {
  CLOSE_FORBIDDEN,
  CLOSE_TOO_MANY,
  CLOSE_TOO_SLOW,
  CLOSE_UNAUTHORIZED,
  LiveConnection,
  type LiveSocket,
} from './live-connection.js';

/**
 * One live-updates connection: its subscription cap, its token checked again for every message, the bound on the
 * updates waiting for it (a slow reader closed at the limit, a fast one at ten times it), and how it is closed.
 */
const OFFICER: Principal = { sub: 'li', role: 'OFFICER', scopeUnitId: 'C' };

/** Tokens by header; a header not listed (or listed as expired) is refused as principalFromHeader refuses it. */
function principals(valid: Map<string, Principal>): PrincipalCache & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    principalOf(header: string) {
      asked.push(header);
      const principal = valid.get(header);
      if (!principal) throw new Error('UNAUTHENTICATED');
      return { ...principal };
    },
  } as unknown as PrincipalCache & { asked: string[] };
}

function socket(bufferedAmount = 0) {
  const closeListeners: (() => void)[] = [];
  const s = {
    bufferedAmount,
    closed: [] as [number, string][],
    terminated: 0,
    close(code: number, reason: string) {
      s.closed.push([code, reason]);
    },
    terminate() {
      s.terminated++;
    },
    once(event: 'close', listener: () => void) {
      expect(event).toBe('close');
      closeListeners.push(listener);
    },
    peerClosed: () => closeListeners.forEach((listener) => listener()),
  };
  return s satisfies LiveSocket;
}

const cache = () => principals(new Map([['Bearer good', OFFICER]]));

describe('LiveConnection', () => {
  afterEach(() => jest.useRealTimers());

  it('the close codes are graphql-transport-ws’s own and the WebSocket "try again later"', () => {
    expect([CLOSE_UNAUTHORIZED, CLOSE_FORBIDDEN, CLOSE_TOO_SLOW, CLOSE_TOO_MANY]).toEqual([4401, 4403, 1013, 4429]);
  });

  describe('subscriptions on one connection', () => {
    it('takes its limit of subscriptions and refuses one more as RATE_LIMITED; a stopped one frees a place', () => {
      const sut = new LiveConnection(socket(), 10, cache(), 2);
      sut.opened();
      sut.opened();
      expect(sut.subscriptions).toBe(2);
      let refused: GraphQLError | undefined;
      try {
        sut.opened();
      } catch (error) {
        refused = error as GraphQLError;
      }
      expect(refused?.message).toBe(
        'at most 2 subscriptions on one connection: stop one (complete) before starting another.',
      );
      expect(refused?.extensions).toEqual({ code: 'RATE_LIMITED' });
      expect(sut.subscriptions).toBe(2);
      sut.ended();
      sut.opened();
      expect(sut.subscriptions).toBe(2);
    });

    it('never counts below zero, and has no limit unless given one', () => {
      const sut = new LiveConnection(socket(), 10, cache(), 1);
      sut.ended();
      expect(sut.subscriptions).toBe(0);
      sut.opened();
      expect(() => sut.opened()).toThrow('at most 1 subscriptions');
      const unlimited = new LiveConnection(socket(), 10, cache());
      for (let i = 0; i < 1000; i++) unlimited.opened();
      expect(unlimited.subscriptions).toBe(1000);
    });
  });

  describe('who it is', () => {
    it('authenticates with the connection_init token, and checks it again for every message', () => {
      const principalCache = cache();
      const ws = socket();
      const sut = new LiveConnection(ws, 10, principalCache);
      expect(sut.currentPrincipal()).toBeNull(); // not yet authenticated: nothing is asked
      expect(principalCache.asked).toEqual([]);
      expect(sut.authenticate('Bearer good')).toEqual(OFFICER);
      expect(sut.principal).toEqual(OFFICER);
      expect([sut.currentPrincipal(), sut.currentPrincipal()]).toEqual([OFFICER, OFFICER]);
      expect(principalCache.asked).toEqual(['Bearer good', 'Bearer good', 'Bearer good']);
      expect([ws.closed, sut.closed]).toEqual([[], false]);
    });

    it('closes the connection 4403 when the connection_init token is refused', () => {
      const ws = socket();
      const sut = new LiveConnection(ws, 10, cache());
      expect(sut.authenticate('Bearer forged')).toBeNull();
      expect(sut.principal).toBeNull();
      expect(ws.closed).toEqual([[4403, 'Forbidden: a valid bearer token is required in connection_init']]);
      expect(sut.closed).toBe(true);
      expect(sut.currentPrincipal()).toBeNull();
    });

    it('closes the connection 4401 once its token has expired, and answers no principal from then on', () => {
      const valid = new Map([['Bearer good', OFFICER]]);
      const ws = socket();
      const sut = new LiveConnection(ws, 10, principals(valid));
      sut.authenticate('Bearer good');
      valid.delete('Bearer good');
      expect(sut.currentPrincipal()).toBeNull();
      expect(ws.closed).toEqual([[4401, 'Unauthorized: the bearer token has expired']]);
      valid.set('Bearer good', OFFICER);
      expect(sut.currentPrincipal()).toBeNull();
    });
  });

  describe('updates waiting for it', () => {
    it('a reader whose socket is backed up is closed 1013 at one update past the limit', () => {
      const ws = socket(1);
      const sut = new LiveConnection(ws, 3, cache());
      expect([sut.enqueued(), sut.enqueued(), sut.enqueued()]).toEqual([true, true, true]);
      expect(ws.closed).toEqual([]);
      expect(sut.enqueued()).toBe(false);
      expect(ws.closed).toEqual([
        [1013, 'too slow: more than 3 updates waiting; reconnect and read the current state'],
      ]);
      expect(sut.closed).toBe(true);
    });

    it('a reader that keeps up takes a burst up to ten times the limit, and is closed one past it', () => {
      const ws = socket(0);
      const sut = new LiveConnection(ws, 3, cache());
      const answers = Array.from({ length: 30 }, () => sut.enqueued());
      expect(answers.every(Boolean)).toBe(true);
      expect(ws.closed).toEqual([]);
      expect(sut.enqueued()).toBe(false);
      expect(ws.closed).toHaveLength(1);
    });

    it('without a socket only the limit holds', () => {
      const sut = new LiveConnection(null, 1, cache());
      expect([sut.enqueued(), sut.enqueued()]).toEqual([true, false]);
      expect(sut.closed).toBe(true);
    });

    it('counts what was taken off the queues, one by default, never below zero', () => {
      const ws = socket(1);
      const sut = new LiveConnection(ws, 2, cache());
      sut.enqueued();
      sut.enqueued();
      sut.dequeued();
      expect(sut.queued).toBe(1);
      expect(sut.enqueued()).toBe(true); // 2 waiting: within the limit again
      sut.dequeued(5);
      expect(sut.queued).toBe(0);
      expect([sut.enqueued(), sut.enqueued(), sut.enqueued()]).toEqual([true, true, false]);
    });
  });

  describe('closing', () => {
    it('closes once, with the reason cut to 120 characters (the close frame’s limit is 123 bytes)', () => {
      const ws = socket();
      const sut = new LiveConnection(ws, 1, cache());
      sut.close(1013, 'x'.repeat(200));
      sut.close(4401, 'again');
      expect(ws.closed).toEqual([[1013, 'x'.repeat(120)]]);
    });

    it('cuts the socket two seconds after a closing handshake the peer does not answer', () => {
      jest.useFakeTimers();
      const ws = socket();
      new LiveConnection(ws, 1, cache()).close(1013, 'slow');
      jest.advanceTimersByTime(1999);
      expect(ws.terminated).toBe(0);
      jest.advanceTimersByTime(1);
      expect(ws.terminated).toBe(1);
    });

    it('does not cut a socket whose peer answered the closing handshake', () => {
      jest.useFakeTimers();
      const ws = socket();
      new LiveConnection(ws, 1, cache()).close(1013, 'slow');
      ws.peerClosed();
      jest.advanceTimersByTime(10_000);
      expect(ws.terminated).toBe(0);
    });
  });
});
