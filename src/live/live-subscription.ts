import type { LiveConnection } from './live-connection.js';

/**
 * One subscription's stream of updates, bounded: updates wait in a queue counted against its connection's limit
 * (LiveConnection.enqueued); `accept` decides, for every update, whether this subscriber may see it at all.
 * Mercurius pulls from it and waits for each message to be written to the socket before it pulls the next.
 */
export class LiveSubscription<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;
  private unsubscribe: (() => void) | null = null;

  /** Counts against the connection's subscriptions (refused past its limit) until it ends. */
  constructor(
    private readonly connection: LiveConnection,
    private readonly accept: (value: T) => boolean,
  ) {
    connection.opened();
  }

  /** Called by the feed with the function that removes this subscriber from it. */
  attach(unsubscribe: () => void): this {
    this.unsubscribe = unsubscribe;
    return this;
  }

  push(value: T): void {
    if (this.done) return;
    if (this.connection.closed || !this.accept(value)) {
      if (this.connection.closed) void this.return();
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (!this.connection.enqueued()) {
      void this.return();
      return;
    }
    this.queue.push(value);
  }

  /** The updates waiting (tests and coalescing read it). */
  get length(): number {
    return this.queue.length;
  }

  /** Replaces what waits with `value` (a stream that only ever needs the latest state). */
  replaceQueued(value: T): boolean {
    if (this.queue.length === 0) return false;
    this.queue[this.queue.length - 1] = value;
    return true;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) {
      this.connection.dequeued();
      return Promise.resolve({ value: this.queue.shift()!, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.connection.ended();
      this.unsubscribe?.();
      this.connection.dequeued(this.queue.length);
      this.queue.length = 0;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
