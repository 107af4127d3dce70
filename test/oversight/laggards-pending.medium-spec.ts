import type { Laggard } from '../../src/oversight/activity.repository.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { ADMIN, idlenessServices } from './support/idleness-services.js';

const DAY = 86_400_000;

describe('laggards read the same whether or not the last events are folded into the indexed rows', () => {
  const medium = useMediumDatabase();

  it('evidence, launches and new units, queried before and after the fold: same laggards, same pages', async () => {
    const { activity, clock, create, plan, launch, evidence } = idlenessServices(medium.db);
    const session = async (unitId: string) => {
      const r = await evidence.recordStudySession(ADMIN, {
        unitId,
        format: 'CONCENTRATED',
        occurredAt: clock.now().toISOString(),
        hours: 2,
        attendees: 10,
        topic: '党章',
      } as never);
      if (r.__typename !== 'EvidenceRecorded') throw new Error(JSON.stringify(r));
    };

    const province = await create('省', 'LEADERSHIP_BODY', null);
    const county = await create('县', 'TOWNSHIP_STREET', province);
    const villages = [];
    for (let i = 0; i < 6; i++) villages.push(await create(`村${i}`, 'GRASSROOTS', county));
    clock.advanceDays(1);
    await launch(province);
    clock.advanceDays(1);
    await launch(county);
    await activity.fold(1_000);
    clock.advanceDays(1);
    // after the last fold: evidence of registered villages (idle since the county's launch, two days ago),
    // a village launched, another's evidence after its launch, and a new village
    await plan(villages[0]);
    await plan(villages[1]);
    await launch(villages[2]);
    clock.advanceDays(1);
    await session(villages[2]);
    await create('村新', 'GRASSROOTS', county);
    clock.advanceDays(1);
    await plan(villages[3]);
    clock.advanceDays(8);

    const pages = async (idleBefore: number, kind: string | null) => {
      const all: Laggard[][] = [];
      let after: Laggard | null = null;
      for (;;) {
        const page = await activity.laggards({ id: province, depth: 0 }, idleBefore, kind, 2, after);
        all.push(page.slice(0, 2));
        if (page.length <= 2) return all;
        after = page[1];
      }
    };
    const now = clock.now().getTime();
    const queries = [
      [now - 7 * DAY, null],
      [now - 9.5 * DAY, null],
      [now - 7 * DAY, 'GRASSROOTS'],
    ] as const;
    const before = [];
    for (const [idleBefore, kind] of queries) before.push(await pages(idleBefore, kind));
    const folded = await activity.fold(1_000);
    expect(folded).toBe(medium.db.dialect === 'sqlite' ? 4 : 0);
    const after = [];
    for (const [idleBefore, kind] of queries) after.push(await pages(idleBefore, kind));
    expect(before).toEqual(after);
    // a week on, every unit is a laggard; 9.5 days on, the registered villages still are (idle since the county's
    // launch, whatever evidence they filed since), the village that launched and then held a session is not
    expect(after[0].flat()).toHaveLength(9);
    const longIdle = after[1].flat().map((l) => l.unitId);
    expect(longIdle).toEqual(expect.arrayContaining([villages[0], villages[1], villages[3]]));
    expect(longIdle).not.toContain(villages[2]);
  });
});
