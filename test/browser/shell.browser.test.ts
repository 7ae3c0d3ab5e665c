import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, startDemoServer, type DemoServer, ROOT, watch } from './harness.ts';
import type { Yiwang } from '../../src/app.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/org/index.ts';
import { makeSendInput, XSS } from '../../src/notify/testing.ts';

// The web shell in a real Chromium against a real server: a fresh SQLite city seeded with the demo
// accounts, serving the built app from web/dist. Screenshots go to test/artifacts/ for a person to see.

const STREET = '310115005'; // 陆家嘴街道

interface Division {
  code: string;
  name: string;
  parent: string | null;
}


function demo(username: string) {
  const a = DEMO_ACCOUNTS.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}


describe('web shell in Chromium', () => {
  let y: Yiwang;
  let base: string;
  let browser: Browser;
  let server: DemoServer;
  let divisions: Division[];

  before(async () => {
    divisions = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'divisions', 'shanghai-divisions.json'), 'utf8'));
    server = await startDemoServer('browser');
    y = server.y;
    base = server.base;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(opts: { mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({
      baseURL: base,
      viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      isMobile: opts.mobile ?? false,
      hasTouch: opts.mobile ?? false,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return { context, page, problems: watch(page, (_status, url) => url.pathname.startsWith('/api/jurisdictions/locate')) };
  }

  async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
    await page.goto('/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('area-frame').waitFor();
  }

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });

  test('a street operator signs in, switches language and browses the committees of their street', { timeout: 180_000 }, async () => {
    const operator = demo('lujiazui.operator');
    const { context, page, problems } = await open();
    try {
      // Without the demo city (the endpoint answers 404) the login page shows no demo box.
      await page.route('**/api/auth/demo-accounts', (route) =>
        route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ code: 'NOT_FOUND', title: 'Not found', detail: 'not the demo city', status: 404 }) }),
      );
      await page.goto('/login');
      await page.getByTestId('login-form').waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByTestId('demo-accounts').count(), 0);
      await page.unroute('**/api/auth/demo-accounts');
      problems.splice(0);

      // The login page offers the demo accounts (demo city) and shows the server's problem detail.
      await page.goto('/login');
      await page.getByTestId(`demo-account-${operator.username}`).waitFor();
      await shot(page, 'login');
      await page.getByTestId('login-username').fill(operator.username);
      await page.getByTestId('login-password').fill('not-the-password');
      const failed = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await page.getByTestId('login-submit').click();
      const res = await failed;
      assert.equal(res.status(), 401);
      const problem = (await res.json()) as { detail: string };
      assert.match((await page.getByTestId('login-error').textContent()) ?? '', new RegExp(escapeRe(problem.detail)));
      problems.splice(0); // that 401 was the point

      // Picking the demo account fills the form; an operator lands in the command centre.
      await page.getByTestId(`demo-account-${operator.username}`).click();
      assert.equal(await page.getByTestId('login-password').inputValue(), DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL('**/command');
      assert.equal(await page.getByTestId('area-frame').getAttribute('data-area'), 'command');
      assert.equal(await page.getByTestId('user-name').textContent(), operator.displayName);
      assert.equal(await page.getByTestId('user-role').textContent(), '运行中心值班员');
      await waitText(page.getByTestId('user-scope'), '陆家嘴街道');
      assert.equal(await page.getByTestId('area-title').textContent(), '城市运行指挥中心');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      await page.getByTestId('ranking').waitFor();
      await shot(page, 'command-overview-zh');

      // English, remembered across a reload; place names show the English name with the Chinese beside it.
      await page.getByTestId('lang-en').click();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal(await page.getByTestId('area-title').textContent(), 'City Operations Command Centre');
      await page.reload();
      await page.getByTestId('area-frame').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await waitText(page.getByTestId('user-scope'), 'Lujiazui Subdistrict');
      assert.match((await page.getByTestId('user-scope').textContent()) ?? '', /陆家嘴街道/);
      assert.equal(await page.getByTestId('user-role').textContent(), 'Operations duty officer');
      await page.getByTestId('ranking').waitFor();
      await shot(page, 'command-overview-en');
      await page.getByTestId('lang-zh').click();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.equal(await page.getByTestId('area-title').textContent(), '城市运行指挥中心');

      // The jurisdiction tree starts at the operator's street and lists its real committees.
      await page.getByTestId('nav-jurisdictions').click();
      await page.waitForURL('**/command/jurisdictions');
      const root = page.getByTestId(`jtree-node-${STREET}`);
      await root.waitFor();
      assert.equal(await root.getAttribute('data-expanded'), 'true');
      assert.equal(await page.getByTestId('jtree').locator('> li').getAttribute('data-code'), STREET, 'the tree is rooted at the street');
      const committees = divisions.filter((d) => d.parent === STREET);
      assert.ok(committees.length > 10, 'the division data lists the committees of 陆家嘴街道');
      await page.getByTestId(`jtree-node-${committees[committees.length - 1].code}`).waitFor();
      const shownCodes = await root.locator(':scope > ul > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code')));
      assert.deepEqual(shownCodes.sort(), committees.map((c) => c.code).sort());
      for (const c of committees) {
        assert.equal(await page.getByTestId(`jtree-label-${c.code}`).locator('.jtree-name').textContent(), c.name);
      }
      const detail = page.getByTestId('jdetail');
      await waitText(detail.getByTestId('jdetail-name'), '陆家嘴街道');
      assert.match((await detail.getByTestId('breadcrumb').textContent()) ?? '', /上海市.*浦东新区.*陆家嘴街道/);
      assert.equal(await detail.locator('[data-testid^="jchild-"]').count(), committees.length);
      const streetNode = (await (await page.request.get(`/api/jurisdictions/${STREET}`)).json()) as { node: { synthetic: boolean; special: boolean } };
      assert.equal(await detail.getByTestId('jdetail-name').getByTestId('badge-synthetic').count(), streetNode.node.synthetic ? 1 : 0, 'synthetic geometry is flagged');
      await shot(page, 'command-jurisdictions-zh');

      // Expanding a committee loads its grid cells; choosing it shows its ancestors.
      const committee = committees[0];
      await page.getByTestId(`jtree-toggle-${committee.code}`).click();
      // The first row under it once loaded (a "loading…" row without a code comes first).
      const cell = page.getByTestId(`jtree-node-${committee.code}`).locator(':scope > ul > li[data-code]').first();
      await cell.waitFor();
      assert.match((await cell.getAttribute('data-code')) ?? '', new RegExp(`^${committee.code}\\d{3}$`));
      await page.getByTestId(`jtree-label-${committee.code}`).click();
      await page.waitForURL(`**/command/jurisdictions/${committee.code}`);
      await waitText(detail.getByTestId('jdetail-name'), committee.name);
      assert.match((await detail.getByTestId('breadcrumb').textContent()) ?? '', /上海市.*浦东新区.*陆家嘴街道.*/);
      await page.getByTestId('lang-en').click();
      await waitText(detail.getByTestId('jdetail-name'), "Residents' Committee");
      await shot(page, 'command-jurisdictions-en');
      await page.getByTestId('lang-zh').click();

      // "Where am I": the page answers what the API answers, and says so when a point is outside the city.
      const grid = (await (await page.request.get(`/api/jurisdictions/${await cell.getAttribute('data-code')}`)).json()) as { node: { centroid: [number, number] } };
      const [lon, lat] = grid.node.centroid;
      const located = (await (await page.request.get(`/api/jurisdictions/locate?lon=${lon}&lat=${lat}`)).json()) as { node: { code: string; name: string } };
      await page.getByTestId('nav-locate').click();
      await page.getByTestId('locate-lon').fill(String(lon));
      await page.getByTestId('locate-lat').fill(String(lat));
      await page.getByTestId('locate-submit').click();
      const result = page.getByTestId('locate-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-code'), located.node.code);
      assert.match((await result.textContent()) ?? '', /陆家嘴街道/);
      await shot(page, 'command-locate');
      await page.getByTestId('locate-lon').fill('0');
      await page.getByTestId('locate-lat').fill('0');
      await page.getByTestId('locate-submit').click();
      await page.getByTestId('locate-error').waitFor();

      // Departments serving the street, as the API lists them.
      const api = (await (await page.request.get(`/api/departments?jurisdiction=${STREET}`)).json()) as { items: Array<{ code: string; name: string }> };
      assert.ok(api.items.length > 0);
      await page.getByTestId('nav-departments').click();
      await page.getByTestId('departments-table').waitFor();
      const rows = await page.locator('[data-testid^="department-"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')));
      assert.deepEqual(rows, api.items.map((d) => `department-${d.code}`));
      await shot(page, 'command-departments');

      // Later features are navigation entries that say so, with no invented data.
      await page.getByTestId('nav-alerts').click();
      await page.getByTestId('coming-soon').waitFor();
      assert.match((await page.getByTestId('coming-soon').textContent()) ?? '', /即将上线/);

      await page.getByTestId('logout').click();
      await page.waitForURL('**/login');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('elder mode in the portal enlarges type, raises contrast and is remembered', { timeout: 120_000 }, async () => {
    const citizen = demo('citizen');
    const { context, page, problems } = await open();
    try {
      await signIn(page, citizen.username);
      await page.waitForURL('**/portal');
      assert.equal(await page.getByTestId('user-name').textContent(), citizen.displayName);
      const toggle = page.getByTestId('elder-toggle');
      assert.equal(await toggle.getAttribute('aria-checked'), 'false');
      const before = await page.evaluate(() => ({ root: getComputedStyle(document.documentElement).fontSize, title: getComputedStyle(document.querySelector('[data-testid="page-title"]')!).fontSize }));
      await shot(page, 'portal-home');

      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-checked'), 'true');
      const on = await page.evaluate(() => ({
        root: getComputedStyle(document.documentElement).fontSize,
        title: getComputedStyle(document.querySelector('[data-testid="page-title"]')!).fontSize,
        text: getComputedStyle(document.querySelector('.panel-title')!).color,
      }));
      assert.ok(parseFloat(on.root) >= parseFloat(before.root) * 1.2, `root type grows (${before.root} → ${on.root})`);
      assert.ok(parseFloat(on.title) > parseFloat(before.title), 'headings grow too');
      assert.equal(on.text, 'rgb(0, 0, 0)', 'text turns black for contrast');
      await shot(page, 'portal-elder');

      await page.reload();
      await page.getByTestId('area-frame').waitFor();
      assert.equal(await page.getByTestId('elder-toggle').getAttribute('aria-checked'), 'true', 'remembered after a reload');
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), on.root);

      // The citizen browses the whole city from the top.
      await page.getByTestId('nav-jurisdictions').click();
      await page.getByTestId('jtree-node-310000').waitFor();
      await page.getByTestId('jtree-node-310115').waitFor();
      await shot(page, 'portal-elder-jurisdictions');

      await page.getByTestId('elder-toggle').click();
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), before.root);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the message centre groups messages by topic, shows script as text and marks them read', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await open();
    try {
      await signIn(page, 'lujiazui.operator');
      const me = (await (await page.request.get('/api/auth/me')).json()) as { account: { id: string } };
      const notify = y.ctx.services.notify;
      const cases = [
        await notify.send(null, makeSendInput({ recipientId: me.account.id, topic: 'case' })),
        await notify.send(null, makeSendInput({ recipientId: me.account.id, topic: 'case' })),
      ];
      const notice = await notify.send(null, makeSendInput({ recipientId: me.account.id, topic: 'system', title: `系统维护通知 ${XSS}`, link: null }));

      await page.reload();
      await waitText(page.getByTestId('bell-count'), '3');
      await page.getByTestId('bell').click();
      await page.waitForURL('**/command/messages');
      const inbox = page.getByTestId('inbox');
      await inbox.getByTestId(`message-${notice.id}`).waitFor();
      assert.equal(await inbox.getByTestId('inbox-group-case').locator('[data-testid^="message-"][data-unread]').count(), 2);
      assert.equal(await inbox.getByTestId('inbox-group-system').locator('[data-testid^="message-"][data-unread]').count(), 1);
      assert.match((await inbox.getByTestId('inbox-topic-case').textContent()) ?? '', /案件处置\s*2/);
      const title = (await inbox.getByTestId(`message-${notice.id}`).locator('.message-title').textContent()) ?? '';
      assert.ok(title.includes(XSS), `the script tag shows as text: ${title}`);
      assert.equal(await inbox.locator('script').count(), 0, 'nothing was injected');
      await shot(page, 'command-inbox');

      // One message read: its mark goes and the bell counts down; the server agrees.
      await inbox.getByTestId(`message-read-${cases[0].id}`).click();
      await page.waitForFunction((id) => document.querySelector(`[data-testid="message-${id}"]`)?.getAttribute('data-unread') === 'false', cases[0].id);
      await waitText(page.getByTestId('bell-count'), '2');
      const stored = (await (await page.request.get(`/api/messages/${cases[0].id}`)).json()) as { readAt: number | null };
      assert.ok(stored.readAt, 'read on the server');

      // One topic read: only the system notice stays unread.
      await inbox.getByTestId('inbox-topic-case').click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="inbox-group-system"]'));
      await inbox.getByTestId('inbox-read-all').click();
      await waitText(page.getByTestId('bell-count'), '1');
      // The bell and the list refresh separately: wait for the list rather than race it.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="inbox"] [data-unread="true"]').length === 0);

      // Topic labels come from the server in the chosen language.
      await page.getByTestId('lang-en').click();
      await waitText(inbox.getByTestId('inbox-topic-system'), 'System notices');
      await inbox.getByTestId('inbox-topic-all').click();
      await inbox.getByTestId(`message-${notice.id}`).waitFor();
      await shot(page, 'command-inbox-en');
      await page.getByTestId('lang-zh').click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  const AREAS: Array<{ username: string; area: string; mobile?: boolean }> = [
    { username: 'citizen', area: 'portal' },
    { username: 'enterprise', area: 'portal' },
    { username: 'pudong.scjg', area: 'workbench' },
    { username: 'lujiazui.operator', area: 'command' },
    { username: 'admin', area: 'command' },
    { username: 'lujiazui.grid', area: 'worker', mobile: true },
  ];

  test('every area loads for its role, and every navigation entry shows real data or an honest note', { timeout: 300_000 }, async () => {
    for (const { username, area, mobile } of AREAS) {
      const account = demo(username);
      const { context, page, problems } = await open({ mobile });
      try {
        await signIn(page, username);
        await page.waitForURL(`**/${area}`);
        assert.equal(await page.getByTestId('area-frame').getAttribute('data-area'), area, `${username} lands in ${area}`);
        assert.equal(await page.getByTestId('user-name').textContent(), account.displayName);
        await page.getByTestId('page-title').waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, `area-${area}-${username}`, mobile);

        const entries = await page.getByTestId('nav').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')!));
        assert.ok(entries.includes('nav-messages') && entries.includes('nav-jurisdictions'), `${area} offers messages and jurisdictions`);
        if (account.roles.some((r) => r !== 'citizen' && r !== 'enterprise')) assert.ok(entries.includes('nav-departments'), `${area} lists departments for officials`);
        for (const id of entries) {
          await page.getByTestId(id).click();
          await page.locator('[data-testid="page-title"], [data-testid="coming-soon"]').first().waitFor();
          await page.waitForLoadState('networkidle');
          assert.equal(await page.getByTestId('error').count(), 0, `${username} ${id} shows no error`);
        }
        if (area !== 'command') {
          await page.goto('/command');
          await page.getByTestId('forbidden').waitFor();
        }
        assert.deepEqual(problems, [], `${username} in ${area}`);
      } finally {
        await context.close();
      }
    }
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitText(locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent()) ?? '';
    if (last.includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected "${text}" in "${last}"`);
}
