import type { Principal } from '../auth/principal.js';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import type { PrincipalCache } from '../graphql/principal-cache.js';

/** What a connection needs of its `ws` socket. */
export interface LiveSocket {
  /** bytes written but not yet taken by the operating system: more than 0 while the peer does not read */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** WebSocket close codes the service uses (graphql-transport-ws's own, and 1013 "try again later"). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_TOO_SLOW = 1013;
/** graphql-transport-ws's "too many": here, more connections for one principal than the instance allows. */
export const CLOSE_TOO_MANY = 4429;

/** Past this many times the limit the connection is closed even while its socket still drains (a burst too large). */
const HARD_LIMIT_FACTOR = 10;

/** How long a closing handshake may take before the socket is cut (a slow reader may never read the close frame). */
const CLOSE_GRACE_MS = 2000;

/**
 * One WebSocket connection of live updates: who it is (the bearer token of its `connection_init`, verified again
 * for every message so that an expired token stops the stream), and how many updates wait for it across all its
 * subscriptions. Past `queueLimit` waiting updates, a connection whose socket is backed up (the operating system's
 * buffers are full: the peer is not reading) is too slow: it is closed (1013, "try again later") and its queues
 * dropped. A reader that keeps up may take a burst beyond the limit (many commits landing at once), up to ten times
 * it; past that it is closed too. So the server never holds more than `queueLimit` updates for a slow reader, nor
 * ten times that for any.
 */
export class LiveConnection {
  principal: Principal | null = null;
  private header: string | null = null;
  /** updates queued for this connection, all subscriptions together */
  queued = 0;
  /** subscriptions open on this connection */
  subscriptions = 0;
  /** counts the connection against its principal's open connections: false (and closed) past the limit */
  admit: (sub: string) => boolean = () => true;
  /** charges a refused `connection_init` to the client address */
  refused: () => void = () => undefined;
  closed = false;

  constructor(
    private readonly socket: LiveSocket | null,
    readonly queueLimit: number,
    private readonly principals: PrincipalCache,
    readonly subscriptionLimit = Number.POSITIVE_INFINITY,
  ) {}

  /** One more subscription on this connection, or RATE_LIMITED past `subscriptionLimit` (it is not started). */
  opened(): void {
    if (this.subscriptions >= this.subscriptionLimit)
      throw apiError(
        ApiErrorCode.RATE_LIMITED,
        `at most ${this.subscriptionLimit} subscriptions on one connection: stop one (complete) before starting another.`,
      );
    this.subscriptions++;
  }

  ended(): void {
    this.subscriptions = Math.max(0, this.subscriptions - 1);
  }

  /** Verifies the `connection_init` token; the principal, or null (the connection is then closed 4403). */
  authenticate(header: string): Principal | null {
    try {
      this.principal = this.principals.principalOf(header);
      this.header = header;
      return this.principal;
    } catch {
      this.close(CLOSE_FORBIDDEN, 'Forbidden: a valid bearer token is required in connection_init');
      return null;
    }
  }

  /** The principal while its token is still valid; after expiry the connection is closed (4401) and null is answered. */
  currentPrincipal(): Principal | null {
    if (this.closed || this.header === null) return null;
    try {
      return this.principals.principalOf(this.header);
    } catch {
      this.close(CLOSE_UNAUTHORIZED, 'Unauthorized: the bearer token has expired');
      return null;
    }
  }

  /** One more update waits: false (and the connection closed) when that is more than the limit. */
  enqueued(): boolean {
    this.queued++;
    if (this.queued <= this.queueLimit) return true;
    if (this.queued <= this.queueLimit * HARD_LIMIT_FACTOR && this.socket !== null && this.socket.bufferedAmount === 0)
      return true;
    this.close(
      CLOSE_TOO_SLOW,
      `too slow: more than ${this.queueLimit} updates waiting; reconnect and read the current state`,
    );
    return false;
  }

  dequeued(count = 1): void {
    this.queued = Math.max(0, this.queued - count);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    if (!socket) return;
    socket.close(code, reason.slice(0, 120));
    const cut = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
  }
}
