// The page at / in Debian's Chromium (playwright-core, no downloaded browser), against a started service with the demo
// province, the network beyond the service cut off. One browser, one page, the views in the order a person meets them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedDemoIfEmpty } from '../../src/demo/demo-seed.js';
import { OversightService, RUSHING_MAX_REFUSAL_DAYS } from '../../src/oversight/oversight.service.js';
import { ADMIN } from '../support/test-app.js';
import { launch, StoryClient, startStory, studyEvidence } from '../support/campaign-client.js';
import type { TestApp } from '../support/test-app.js';

// a browser on two shared cores: each step may wait for the statechart to be drawn
jest.setTimeout(120_000);

const CHROMIUM = process.env.LOOKBACK_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'docs', 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function unitIdByName(admin: StoryClient, name: string): Promise<string> {
  const res = await admin.app.gql(`{ units(first: 100) { edges { node { id name } } } }`);
  const node = res
    .data!.units.edges.map((e: { node: { id: string; name: string } }) => e.node)
    .find((n: { name: string }) => n.name === name);
  if (!node) throw new Error(`no unit ${name}`);
  return node.id;
}

/** axe-core on the view as it is: no serious or critical violation. */
async function expectAccessible(page: Page): Promise<void> {
  // evaluated through the DevTools protocol: the page's own policy allows no inline script
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  });
  expect(violations).toEqual([]);
}

describe('the page at / in Chromium', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs', '--web'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the page did not build');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    ({ sut, admin, officer } = await startStory({ sub: 'officer-wang', role: 'OFFICER', scopeUnitId: null }));
    await seedDemoIfEmpty(sut.app);
    const chain = [
      '河北省委领导班子',
      '石家庄市委领导班子',
      '正定县委领导班子',
      '正定镇党委',
      '正定镇东关村党支部',
      '正定镇西关村党支部',
    ];
    for (const name of [...chain, '正定镇南关村党支部']) ids[name] = await unitIdByName(admin, name);
    for (const name of chain) await launch(admin, ids[name]);
    // a week later: 西关村 has met its study, 东关村 tries to rush three times, 南关村 has launched and waits for time alone
    await studyEvidence(admin, ids['正定镇西关村党支部'], 'GRASSROOTS');
    sut.clock.advanceDays(8);
    await admin.sendOk(ids['正定镇西关村党支部'], 'COMPLETE_STUDY');
    for (let i = 0; i < 3; i++) await officer.send(ids['正定镇东关村党支部'], 'COMPLETE_STUDY');
    await launch(admin, ids['正定镇南关村党支部']);
    await studyEvidence(admin, ids['正定镇南关村党支部'], 'GRASSROOTS');
    // a county moved on by an override
    await admin.ok(
      'overrideTransition',
      { unitId: ids['正定县委领导班子'], event: 'COMPLETE_STUDY', reason: '县委集中学习已在省委统一安排下完成' },
      '... on TransitionAccepted { event }',
    );
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    // the network is cut off: only the service answers
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(sut.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('signs in with a pasted token, shown how to make one', async () => {
    await page.goto(`${sut.url}/`);
    expect(await page.locator('code', { hasText: 'npm run --silent token' }).count()).toBe(1);
    await page.getByLabel('令牌（粘贴）').fill('not-a-token');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/令牌无效/);
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'sign-in.png') });
    await page.getByLabel('令牌（粘贴）').fill(sut.token({ ...ADMIN, sub: '省委办公室' }));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '河北省委领导班子' }).waitFor();
  });

  it('opens the demo province: its rollup and its children as a table', async () => {
    await page.getByRole('link', { name: '河北省委领导班子' }).click();
    await page.getByRole('heading', { name: '下级单位' }).waitFor();
    const rows = page.locator('table.children tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await page.locator('table.children').textContent()).toMatch(
      /石家庄市委领导班子.*保定市委领导班子|保定市委领导班子.*石家庄市委领导班子/,
    );
    expect(await page.getByRole('heading', { name: '活动进展汇总' }).count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出报告（Markdown）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('河北省委领导班子.md');
    const report = readFileSync((await download.path())!, 'utf8');
    expect(report).toMatch(/河北省委领导班子/);
    expect(report).toMatch(/石家庄市委领导班子/);
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'subtree.png'), fullPage: true });
  });

  it('opens a village: COMPLETE_STUDY blocked, every blocker in Chinese, the refused attempt and the statechart', async () => {
    await page.goto(`${sut.url}/#/unit/${ids['正定镇东关村党支部']}`);
    const study = page.locator('li[data-event="COMPLETE_STUDY"]');
    await study.waitFor();
    expect(await study.locator('.tag').textContent()).toBe('尚不能进行');
    const blockers = await study.locator('.blockers li').allTextContents();
    expect(blockers.some((b) => /尚未开展分组讨论.*GROUP_DISCUSSION_MISSING/.test(b))).toBe(true);
    expect(blockers.some((b) => /尚未观看警示教育片.*FILM_MISSING/.test(b))).toBe(true);
    expect(await page.locator('.timeline li.refused').first().textContent()).toMatch(/被拒绝.*完成学习教育/);
    await page.locator('.chart[data-rendered="true"] svg').waitFor();
    expect(await page.locator('.chart svg .current').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.path').textContent()).toMatch(/已登记 → 第一环节/);
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'unit.png'), fullPage: true });
  });

  it('follows the village live: evidence recorded through the API shows without a reload', async () => {
    await page.locator('.live').waitFor();
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    await admin.session(ids['正定镇东关村党支部'], 'GROUP_DISCUSSION');
    await page
      .locator('li[data-event="COMPLETE_STUDY"] li[data-code="GROUP_DISCUSSION_MISSING"]')
      .waitFor({ state: 'detached' });
    expect(await page.locator('li[data-event="COMPLETE_STUDY"] li[data-code="FILM_MISSING"]').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it('shows when time alone stands in the way: the date and a countdown', async () => {
    await page.goto(`${sut.url}/#/unit/${ids['正定镇南关村党支部']}`);
    const study = page.locator('li[data-event="COMPLETE_STUDY"]');
    await study.locator('.countdown').waitFor();
    expect(await study.locator('.blockers').textContent()).toMatch(/学习教育环节时间未满.*STUDY_DWELL/);
    expect(await study.locator('.when').textContent()).toMatch(/最早可在 .*倒计时 (23小时|1天)/);
  });

  it('opens a township whose villages move unevenly: marked, the rushing village listed and linked', async () => {
    await page.goto(`${sut.url}/#/subtree/${ids['正定镇党委']}`);
    await page.locator('.uneven').waitFor();
    expect(await page.locator('.uneven').textContent()).toMatch(/活动进展不平衡/);
    const rushing = page.locator('section', { has: page.getByRole('heading', { name: '屡次抢跑的单位' }) });
    await rushing.getByRole('link', { name: '正定镇东关村党支部' }).waitFor();
    await page.getByRole('button', { name: /进展/ }).click();
    expect((await page.locator('table.children tbody th').first().textContent())?.trim()).toMatch(/西关村/);
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'township.png'), fullPage: true });
  });

  it("follows the township's rollup live: a village launched through the API shows without a reload", async () => {
    await page.locator('.live').waitFor();
    const launched = page.locator('.figures div', { hasText: '单位总数' }).locator('dd');
    expect(await launched.textContent()).toBe('6 (已启动 4)');
    await launch(admin, await unitIdByName(admin, '正定镇北关村党支部'));
    await page.locator('.figures div', { hasText: '单位总数' }).locator('dd', { hasText: '6 (已启动 5)' }).waitFor();
  });

  it('a subtree too wide to rank its rushing units: that card says why, the rest of the view stays', async () => {
    const oversight = sut.app.get(OversightService);
    oversight.rushingMaxRefusalDays = 0;
    try {
      await page.goto(`${sut.url}/#/subtree/${ids['正定县委领导班子']}`);
      const rushing = page.locator('section', { has: page.getByRole('heading', { name: '屡次抢跑的单位' }) });
      await rushing.getByRole('alert').waitFor();
      expect(await rushing.getByRole('alert').textContent()).toMatch(/would rank more than 0 days .*lower in the tree/);
      await page.locator('table.children').getByRole('link', { name: '正定镇党委' }).waitFor();
      expect(await page.locator('.figures').textContent()).toMatch(/单位总数/);
    } finally {
      oversight.rushingMaxRefusalDays = RUSHING_MAX_REFUSAL_DAYS;
    }
  });

  it('verifies its history on a button', async () => {
    await page.goto(`${sut.url}/#/unit/${ids['正定镇东关村党支部']}`);
    await page.getByRole('button', { name: '核验历史' }).click();
    await page.locator('.verify-answer .ok').waitFor();
    expect(await page.locator('.verify-answer').textContent()).toMatch(/历史完整：已核验 3 个事件/);
  });

  it('flags an override in red with its reason', async () => {
    await page.goto(`${sut.url}/#/unit/${ids['正定县委领导班子']}`);
    await page.locator('.timeline li.override').waitFor();
    expect(await page.locator('.timeline li.override').textContent()).toMatch(
      /强制推进.*县委集中学习已在省委统一安排下完成/,
    );
  });

  it("steps through the village's replay as an auditor would", async () => {
    await page.goto(`${sut.url}/#/audit/${ids['正定镇东关村党支部']}`);
    await page.getByRole('heading', { name: /步骤 1 \/ 3/ }).waitFor();
    expect(await page.locator('.facts .after').textContent()).toMatch(/已登记/);
    await page.getByRole('button', { name: /下一步/ }).click();
    await page.getByRole('heading', { name: /步骤 2 \/ 3.*LAUNCH/ }).waitFor();
    expect(await page.locator('.facts .after').textContent()).toMatch(/第一环节 · 学习教育 · 进行中/);
    await page.locator('.chart[data-rendered="true"] svg').waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'audit.png'), fullPage: true });
  });

  it('switches to English: the page and the API messages', async () => {
    await page.goto(`${sut.url}/#/unit/${ids['正定镇东关村党支部']}`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Why it cannot move on yet' }).waitFor();
    await page.reload();
    const study = page.locator('li[data-event="COMPLETE_STUDY"]');
    await study.waitFor();
    expect(await study.locator('.blockers').textContent()).toMatch(
      /Thematic film screenings: 0 of the 1 required\. FILM_MISSING/,
    );
    expect(await study.locator('.blockers').textContent()).not.toMatch(/警示教育片/);
    await page.locator('.chart[data-rendered="true"] svg').waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'unit-en.png'), fullPage: true });
  });

  it('is keyboard-navigable: Tab reaches a child in the table, Enter opens it', async () => {
    await page.goto(`${sut.url}/#/subtree/${ids['河北省委领导班子']}`);
    await page.locator('table.children').waitFor();
    let focused = '';
    for (let i = 0; i < 40 && focused !== '石家庄市委领导班子'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim() ?? '');
    }
    expect(focused).toBe('石家庄市委领导班子');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /石家庄市委领导班子/ }).waitFor();
  });

  it('serves GraphiQL offline, its header editor holding the signed-in token', async () => {
    await page.goto(`${sut.url}/graphiql`);
    await page.locator('.graphiql-container').waitFor();
    await page.getByText('"Authorization"').waitFor();
    expect(await page.locator('.graphiql-editor-tool').innerText()).toMatch(/"Bearer eyJ/);
  });

  it('fetched nothing from outside the service', () => {
    expect(outside).toEqual([]);
  });
});
