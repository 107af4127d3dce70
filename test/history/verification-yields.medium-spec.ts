import { RulebookStore } from '../../src/rulebooks/rulebook-store.js';
import 'reflect-metadata';
import { AuditRepository } from '../../src/audit/audit.repository.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { EventStoreRepository } from '../../src/history/event-store.repository.js';
import type { UnitRow } from '../../src/tree/units.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { ManualClock, testConfig } from '../support/test-app.js';
import { unitWithDirectHistory } from './support/direct-history.js';

const EVENTS = 3_000;
/**
 * Not a timing test: whatever the machine's speed, verification that gives the loop back shows many turns, and no
 * wait between two turns near the whole verification's length; work that never yields shows one wait as long as it.
 * (How long a wait is on this machine: npm run bench.)
 */
const LARGEST_SHARE = 0.25;

/** Measures the longest wait between two turns of the event loop (setImmediate ticks) until stopped. */
function watchEventLoop() {
  const started = performance.now();
  let last = started;
  let largest = 0;
  let ticks = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    largest = Math.max(largest, now - last);
    last = now;
    ticks++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      // the wait since the last tick counts too: work that never gives the loop back shows as one long gap
      largest = Math.max(largest, performance.now() - last);
      return { largest, ticks, total: performance.now() - started };
    },
  };
}

describe('verifying a long history gives the event loop back', () => {
  const medium = useMediumDatabase();
  let unit: UnitRow;
  let sut: AuditService;

  beforeAll(async () => {
    unit = await unitWithDirectHistory(medium.db, EVENTS);
    sut = new AuditService(
      new AuditRepository(medium.db),
      new EventStoreRepository(medium.db),
      new ManualClock(),
      testConfig(),
      RulebookStore.over(medium.db),
    );
  });

  it(`verifies ${EVENTS} events giving the event loop back all along (no wait over a quarter of the whole), and the result is still ok`, async () => {
    const loop = watchEventLoop();
    const result = await sut.verify(unit);
    const { largest, ticks, total } = loop.stop();
    expect(result).toEqual({ ok: true, checkedEvents: EVENTS, firstBrokenSeq: null, problem: null, detail: null });
    expect(ticks).toBeGreaterThan(10);
    expect(largest).toBeLessThan(total * LARGEST_SHARE);
  });

  it('lets other work run while two verifications are under way, and both finish ok', async () => {
    const loop = watchEventLoop();
    const results = await Promise.all([sut.verify(unit), sut.verify(unit)]);
    const { largest, total } = loop.stop();
    for (const result of results) expect(result).toMatchObject({ ok: true, checkedEvents: EVENTS });
    expect(largest).toBeLessThan(total * LARGEST_SHARE);
  });
});
