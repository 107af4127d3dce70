import type { UnitKind } from '../units/unit.model.js';

export interface DemoUnit {
  name: string;
  kind: UnitKind;
  leaderCount?: number;
  children?: DemoUnit[];
}

const counties: [string, string[]][] = [
  ['正定县', ['正定镇', '诸福屯镇', '新城铺镇']],
  ['平山县', ['平山镇', '西柏坡镇', '岗南镇']],
  ['阜平县', ['阜平镇', '龙泉关镇', '城南庄镇']],
  ['涞源县', ['涞源镇', '银坊镇', '白石山镇']],
];

function county(name: string, townships: string[]): DemoUnit {
  return {
    name: `${name}委领导班子`,
    kind: 'LEADERSHIP_BODY',
    leaderCount: 7,
    children: [
      { name: `${name}发展和改革局`, kind: 'DIRECT_UNIT' },
      { name: `${name}教育局`, kind: 'DIRECT_UNIT' },
      { name: `${name}民政局`, kind: 'DIRECT_UNIT' },
      { name: `${name}行政审批局政务服务大厅`, kind: 'WINDOW_SERVICE' },
      { name: `${name}工业园区非公企业联合党委`, kind: 'NON_PUBLIC_SOCIAL' },
      ...townships.map((t) => ({
        name: `${t}党委`,
        kind: 'TOWNSHIP_STREET' as const,
        children: ['东', '西', '南', '北', '中'].map((d) => ({
          name: `${t}${d}关村党支部`,
          kind: 'GRASSROOTS' as const,
        })),
      })),
    ],
  };
}

/** A small province for a first-time user: 1 province, 2 cities, 4 counties, 99 units in all. */
export const DEMO_PROVINCE: DemoUnit = {
  name: '河北省委领导班子',
  kind: 'LEADERSHIP_BODY',
  leaderCount: 13,
  children: [
    {
      name: '石家庄市委领导班子',
      kind: 'LEADERSHIP_BODY',
      leaderCount: 11,
      children: counties.slice(0, 2).map(([c, t]) => county(c, t)),
    },
    {
      name: '保定市委领导班子',
      kind: 'LEADERSHIP_BODY',
      leaderCount: 11,
      children: counties.slice(2).map(([c, t]) => county(c, t)),
    },
  ],
};
