import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long a loop may hold the event loop before it lets other requests run. */
export const SLICE_MS = 10;

/**
 * Long loops (verifying or replaying a long history) call `pause()` often; it gives the event loop back every
 * SLICE_MS so that no request waits behind another's long work.
 */
export class Cooperative {
  private sliceStart = performance.now();

  async pause(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await nextTurn();
    this.sliceStart = performance.now();
  }
}
