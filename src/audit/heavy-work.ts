/**
 * At most `limit` pieces of history-proportional work (verifying a whole history) run at once per instance; the
 * rest wait their turn. Each piece already gives the event loop back as it goes: this bounds the memory held.
 */
export class HeavyWork {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
