import type { Touch } from '../../src/oversight/activity.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { idlenessServices } from './support/idleness-services.js';

const DAY = 86_400_000;

/**
 * A migration tells the oversight rows about a batch of units at once (ActivityRepository.touchAll): the idleness rows
 * it leaves must be exactly those the same events leave told one by one (`touch`) — every column, pending rows and
 * folded ones, for units registered (whose parent's launch is read) and launched, with the phase kept or changed.
 */
describe('idleness rows touched a batch at a time are the rows touched one by one', () => {
  const medium = useMediumDatabase();

  it('same pending and folded rows, column by column, for every kind of touch in one batch', async () => {
    const { activity, clock, create, launch } = idlenessServices(medium.db);

    const county = await create('县', 'TOWNSHIP_STREET', null);
    const villages: string[] = [];
    for (let i = 0; i < 6; i++) villages.push(await create(`村${i}`, 'GRASSROOTS', county));
    clock.advanceDays(1);
    const countyLaunchedAt = clock.now().getTime();
    await launch(county);
    clock.advanceDays(1);
    for (const v of villages.slice(0, 4)) await launch(v);
    // some rows folded, the others still pending: both kinds are rewritten below
    await activity.fold(3);
    clock.advanceDays(2);
    const at = clock.now().getTime();
    const launchedAt = at - 2 * DAY;

    const touches: Touch[] = [
      // launched, phase kept: the batched statement's case (a migration's units)
      ...villages.slice(0, 3).map((unitId, i) => ({
        unitId,
        parentId: null,
        at: at + i,
        registered: false,
        done: i === 2,
        launchedAt,
        samePhase: i !== 2,
      })),
      // registered: the parent's launch is read (idle since then)
      { unitId: villages[4], parentId: county, at, registered: true, done: false, launchedAt: null, samePhase: true },
      // registered to launched: the phase changes
      { unitId: villages[5], parentId: county, at, registered: false, done: false, launchedAt: at, samePhase: false },
      { unitId: villages[3], parentId: null, at: at + 7, registered: false, done: false, launchedAt, samePhase: true },
    ];
    const rowsAfter = async (write: (tx: never) => Promise<void>) => {
      let rows: unknown = null;
      const rolledBack = new Error('rolled back: the next way starts from the same rows');
      await medium.db
        .transaction(async (tx) => {
          await write(tx as never);
          const read = (table: string) => tx.query(`SELECT * FROM ${table} ORDER BY unit_id`);
          rows = {
            activity: await read('unit_activity'),
            pending: medium.db.dialect === 'sqlite' ? await read('unit_activity_pending') : [],
          };
          throw rolledBack;
        })
        .catch((e: unknown) => {
          if (e !== rolledBack) throw e;
        });
      return rows as { activity: Record<string, unknown>[]; pending: Record<string, unknown>[] };
    };

    const oneByOne = await rowsAfter(async (tx) => {
      for (const t of touches) await activity.touch(tx, t);
    });
    const together = await rowsAfter((tx) => activity.touchAll(tx, touches));
    expect(together).toEqual(oneByOne);
    // the touches did write: every touched unit has a row with the event's time
    const touched = new Map([...oneByOne.activity, ...oneByOne.pending].map((r) => [r.unit_id, r]));
    for (const t of touches) expect(Number(touched.get(t.unitId)!.last_event_at)).toBe(t.at);
    // the registered village is idle since its county's launch, which came before its event
    expect(Number(touched.get(villages[4])!.idle_since)).toBe(countyLaunchedAt);
  });
});
