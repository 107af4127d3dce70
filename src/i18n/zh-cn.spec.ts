import { BUILT_IN_RULEBOOKS, blockerCodesOf, STAGE_EVENTS } from '../../machines/index.js';
import { localeOf } from './locale.js';
import { BLOCKER_ZH, EVENT_ZH, blockerZh, refusalZh } from './zh-cn.js';

describe('the Chinese messages', () => {
  it('name every blocker code a built-in rulebook can raise, and every stage event', () => {
    for (const rulebook of Object.values(BUILT_IN_RULEBOOKS))
      for (const code of blockerCodesOf(rulebook)) expect([code, BLOCKER_ZH[code]]).toEqual([code, expect.any(String)]);
    for (const event of STAGE_EVENTS) expect([event, EVENT_ZH[event]]).toEqual([event, expect.any(String)]);
  });

  it('say what is required and what is there, and keep the English sentence for a code they do not know', () => {
    expect(blockerZh({ code: 'LECTURERS_SHORT', required: '2 lecturers', actual: '0' }, 'x')).toBe(
      '讲党课的领导人数不足（要求：2 lecturers；实际：0）。',
    );
    expect(blockerZh({ code: 'SOMETHING_NEW', required: null, actual: null }, 'Something new.')).toBe('Something new.');
  });

  it("tell a refused publication and a publication conflict apart from a unit's stale version", () => {
    expect(refusalZh('RulebookRefused', { reasons: [{}, {}] }, 'x')).toBe(
      '规则版本发布被拒绝：共 2 条原因（见 reasons，每条附 JSON 路径）。',
    );
    expect(refusalZh('VersionConflict', { subject: 'rulebook', currentVersion: 4 }, 'x')).toContain('v4');
    expect(refusalZh('VersionConflict', { currentVersion: 4 }, 'x')).toContain('该单位');
  });

  it('are chosen by Accept-Language', () => {
    expect(localeOf(undefined)).toBe('en');
    expect(localeOf('zh-CN')).toBe('zh-CN');
    expect(localeOf('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(localeOf('ja,zh-TW;q=0.5')).toBe('zh-CN');
  });
});
