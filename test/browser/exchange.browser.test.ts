import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/org/index.ts';
import { makeAccount, XSS } from '../../src/org/testing.ts';
import { SAMPLE, sampleRegistries } from '../../src/services/registries/testing.ts';
import { ARTIFACTS, launchChromium, signedInPage, startDemoServer, type DemoServer } from './harness.ts';

// 数据共享交换 and 我的数据 in real Chromium, across four browsers:
// 1. 浦东新区市场监管局 (`pudong.scjg`) finds 人口基本信息 (RK-0001, owned by 市公安局) in the resource
//    catalogue, reads its fields and sensitivity levels, and asks for access. The server's field
//    problems (purpose too short, days out of range) show next to those fields; the corrected request
//    goes through. Its purpose carries a `<script>` tag, which every screen shows as text.
// 2. A data officer of 市公安局 (`ga`) finds it pending under 申请与授权 and grants part of it
//    (one field fewer, the identity number in clear, fewer days than asked).
// 3. 市场监管 calls the exchange through the API (one call allowed, one beyond the grant refused).
// 4. The 公安 officer finds both in the exchange log (filtered by outcome) and an administrator
//    verifies the log's hash chain. The officer then revokes the grant; the next call is refused.
// 5. The resident 张伟 (`citizen`) opens 我的数据: the record, the spouse 李娜, the licences, and every
//    access by 浦东新区市场监督管理局 — allowed and refused with their codes — in elder mode and English.

const RESOURCE = 'RK-0001';
const PURPOSE = `办理食品经营许可时核验经营者身份 ${XSS}`;
const ASKED = ['name', 'idNumber', 'birthDate', 'phone'];
const SCJG_NAME = '浦东新区市场监督管理局';

describe('数据共享交换 and 我的数据 in Chromium: request, grant, call, log, revoke, who looked at my data', () => {
  let browser: Browser;
  let server: DemoServer;
  let officer: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startDemoServer('exchange', '0.002');
    browser = await launchChromium();
    const ctx = server.y.ctx;
    // The sample residents (张伟 married to 李娜, his company) next to the demo city's generated ones,
    // the demo `citizen` bound to this 张伟, the catalogue (already seeded by the module: idempotent).
    await ctx.services.registries.load(sampleRegistries());
    const [citizen] = await ctx.services.accounts.findByUsernames(['citizen']);
    assert.ok(citizen, 'the demo city has the citizen account');
    await ctx.services.registries.bind(citizen.id, 'person', SAMPLE.zhangWei);
    await ctx.services.exchange.grants.seed();
    // 市公安局's data officer decides access to the population resource.
    officer = (await makeAccount(ctx, { username: 'ga.data', displayName: `公安数据专员 ${XSS}`, departmentCode: 'ga', scopeCode: '310000', password: DEMO_PASSWORD })).username;
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  const as = (username: string, allowed?: (status: number, url: URL) => boolean) => signedInPage(browser, server.base, contexts, username, allowed);

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const request = (page: Page, id: string) => page.locator(`[data-testid="xchg-request-row"][data-id="${id}"]`);
  async function noScript(page: Page): Promise<void> {
    assert.equal(await page.locator('#root script').count(), 0, 'nothing was injected');
  }
  async function waitText(locator: Locator, text: string): Promise<void> {
    await locator.filter({ hasText: text }).first().waitFor();
  }

  let requestId = '';

  test('市场监管 reads the catalogue and asks for access; field problems show at their fields', { timeout: 180_000 }, async () => {
    // The two refusals the form provokes on purpose are the only failed calls allowed.
    const { page, problems } = await as('pudong.scjg', (status, url) => status === 400 && url.pathname === '/api/exchange/requests');
    await page.getByTestId('nav-exchange').click();
    await page.getByTestId('xchg-resources').waitFor();
    const row = page.locator(`[data-testid="xchg-resource"][data-code="${RESOURCE}"]`);
    assert.equal(await row.getAttribute('data-owner'), 'ga');
    assert.match(await row.innerText(), /人口基本信息/);
    assert.match(await row.innerText(), /上海市公安局/);

    // The fields with their sensitivity: the residence address is highly sensitive (level 4).
    await page.getByTestId(`xchg-resource-toggle-${RESOURCE}`).click();
    const fields = page.getByTestId(`xchg-fields-${RESOURCE}`);
    await fields.waitFor();
    const residence = fields.locator('[data-field="residenceAddress"]');
    assert.equal(await residence.getAttribute('data-level'), '4');
    assert.match(await residence.innerText(), /高度敏感/);
    assert.match(await fields.locator('[data-field="name"]').innerText(), /内部/);
    await shot(page, 'exchange-catalogue');

    // A request the server refuses: the purpose is too short. The problem shows next to the purpose.
    await page.getByTestId(`xchg-request-${RESOURCE}`).click();
    const form = page.getByTestId('xchg-req-form');
    await form.waitFor();
    for (const f of ASKED) await page.getByTestId(`xchg-req-field-${f}`).check();
    assert.equal(await page.getByTestId('xchg-req-clear-idNumber').isEnabled(), true, 'a chosen sensitive field may be asked in clear');
    assert.equal(await page.getByTestId('xchg-req-clear-residenceAddress').isEnabled(), false, 'not before the field is chosen');
    await page.getByTestId('xchg-req-clear-idNumber').check();
    await page.getByTestId('xchg-req-purpose').fill('核验');
    await page.getByTestId('xchg-req-basis').fill('《中华人民共和国食品安全法》第三十五条');
    await page.getByTestId('xchg-req-submit').click();
    await page.getByTestId('xchg-req-err-purpose').waitFor();
    assert.equal(await page.getByTestId('xchg-req-error').getAttribute('data-field'), 'purpose');

    // Then the days: out of range, named by the server, shown at the days.
    await page.getByTestId('xchg-req-purpose').fill(PURPOSE);
    await page.getByTestId('xchg-req-days').fill('2000');
    await page.getByTestId('xchg-req-submit').click();
    await page.getByTestId('xchg-req-err-days').waitFor();
    await shot(page, 'exchange-request-errors');
    assert.equal(await page.getByTestId('xchg-req-err-purpose').count(), 0, 'the purpose is fine now');

    await page.getByTestId('xchg-req-days').fill('30');
    await page.getByTestId('xchg-req-submit').click();
    const done = page.getByTestId('xchg-req-done');
    await done.waitFor();
    requestId = (await done.getAttribute('data-id')) ?? '';
    assert.match(requestId, /^XQ/);
    await shot(page, 'exchange-request-sent');

    // It is listed as pending, asked by this department, with the purpose as text.
    await page.getByTestId('xchg-req-open').click();
    await page.getByTestId('xchg-request-one').waitFor();
    assert.equal(await request(page, requestId).getAttribute('data-status'), 'pending');
    assert.equal(await request(page, requestId).getByTestId('xchg-req-purpose-text').innerText(), PURPOSE);
    assert.equal(await request(page, requestId).getByTestId('xchg-decide-grant').count(), 0, 'the requester cannot decide its own request');
    await noScript(page);
    assert.deepEqual(problems, []);
  });

  test('市公安局 grants part of it; 市场监管 calls the exchange; the log shows both calls; an administrator verifies the chain', { timeout: 180_000 }, async () => {
    assert.ok(requestId, 'the request was made');
    const ga = await as(officer);
    const page = ga.page;
    await page.getByTestId('nav-exchange').click();
    await page.getByTestId('xchg-tab-requests').click();
    await page.getByTestId('xchg-status-pending').click();
    const card = request(page, requestId);
    await card.waitFor();
    assert.match(await card.getByTestId('xchg-req-requester').innerText(), new RegExp(SCJG_NAME));
    assert.equal(await card.getByTestId('xchg-req-purpose-text').innerText(), PURPOSE);

    // Grant: without the phone number, the identity number in clear, 20 of the 30 days asked.
    await card.getByTestId('xchg-decide-grant').click();
    await card.getByTestId('xchg-grant-field-phone').uncheck();
    assert.equal(await card.getByTestId('xchg-grant-clear-idNumber').isChecked(), true);
    await card.getByTestId('xchg-grant-days').fill('20');
    await card.getByTestId('xchg-grant-note').fill('仅限食品经营许可审查使用');
    await shot(page, 'exchange-grant-form');
    await card.getByTestId('xchg-act-confirm').click();
    await page.locator(`[data-testid="xchg-request-row"][data-id="${requestId}"][data-status="granted"]`).waitFor();
    const granted = (await card.getByTestId('xchg-granted-fields').locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))) as string[];
    assert.deepEqual(granted.sort(), ['birthDate', 'idNumber', 'name']);
    await card.getByTestId('xchg-req-expires').waitFor();
    await shot(page, 'exchange-granted');

    // 市场监管 calls through the API with its session: one call within the grant, one beyond it.
    const scjg = await as('pudong.scjg');
    const ok = await scjg.page.request.post('/api/exchange/calls', { data: { resource: RESOURCE, subject: SAMPLE.zhangWei, purpose: PURPOSE, reference: 'SCJG-2026-0001' } });
    assert.equal(ok.status(), 200, await ok.text());
    const reply = (await ok.json()) as { values: Record<string, string | null>; masked: string[] };
    assert.equal(reply.values.name, '张伟');
    assert.equal(reply.values.idNumber, SAMPLE.zhangWei, 'granted in clear');
    assert.deepEqual(reply.masked, ['birthDate']);
    const refused = await scjg.page.request.post('/api/exchange/calls', { data: { resource: RESOURCE, subject: SAMPLE.zhangWei, fields: ['phone'], purpose: '核验联系电话' } });
    assert.equal(refused.status(), 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'EXCHANGE_FIELD_FORBIDDEN');

    // The owner's exchange log: both calls on its resource, by 浦东新区市场监督管理局.
    await page.getByTestId('xchg-tab-log').click();
    await page.getByTestId('xchg-log-table').waitFor();
    const rows = page.locator(`[data-testid="xchg-log-row"][data-resource="${RESOURCE}"][data-department="scjg.310115"]`);
    await rows.nth(1).waitFor();
    const okRow = page.locator('[data-testid="xchg-log-row"][data-outcome="ok"]').first();
    assert.equal(await okRow.getByTestId('xchg-log-department').innerText(), SCJG_NAME);
    assert.equal(await okRow.getByTestId('xchg-log-purpose').innerText(), PURPOSE);
    assert.match(await okRow.innerText(), /SCJG-2026-0001/);
    assert.match(await okRow.innerText(), /3101\*+/, 'the subject is masked for the departments');
    await page.getByTestId('xchg-log-outcome').selectOption('refused');
    await page.waitForFunction(() => {
      const rs = Array.from(document.querySelectorAll('[data-testid="xchg-log-row"]'));
      return rs.length > 0 && rs.every((r) => r.getAttribute('data-outcome') !== 'ok');
    });
    assert.equal(await page.locator('[data-testid="xchg-log-row"][data-outcome="EXCHANGE_FIELD_FORBIDDEN"]').count(), 1);
    await shot(page, 'exchange-log');
    await noScript(page);

    // An administrator checks the hash chain from the same screen.
    const admin = await as('admin');
    await admin.page.goto('/workbench/exchange/log');
    await admin.page.getByTestId('xchg-verify').click();
    const result = admin.page.getByTestId('xchg-verify-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-problems'), '0');
    assert.ok(Number(await result.getAttribute('data-checked')) >= 2, 'both calls are in the chain');
    await shot(admin.page, 'exchange-verify');

    // The officer revokes the grant; the next call is refused for it.
    await page.getByTestId('xchg-tab-requests').click();
    await page.getByTestId('xchg-status-granted').click();
    await request(page, requestId).waitFor();
    await request(page, requestId).getByTestId('xchg-revoke').click();
    await request(page, requestId).getByTestId('xchg-revoke-reason').fill('审查已办结，收回授权');
    await request(page, requestId).getByTestId('xchg-act-confirm').click();
    await page.locator(`[data-testid="xchg-request-row"][data-id="${requestId}"][data-status="revoked"]`).waitFor();
    const after = await scjg.page.request.post('/api/exchange/calls', { data: { resource: RESOURCE, subject: SAMPLE.zhangWei, purpose: PURPOSE } });
    assert.equal(after.status(), 403);
    assert.equal(((await after.json()) as { code: string }).code, 'EXCHANGE_GRANT_REVOKED');

    for (const p of [ga, scjg, admin]) assert.deepEqual(p.problems, []);
  });

  test('张伟 opens 我的数据: the record, 李娜, the licences and who looked, in elder mode and in English', { timeout: 180_000 }, async () => {
    const { page, problems } = await as('citizen');
    await page.getByTestId('nav-my-data').click();
    await page.getByTestId('mydata-person').waitFor();
    assert.equal(await page.getByTestId('mydata-name').innerText(), '张伟');
    assert.equal(await page.getByTestId('mydata-id').innerText(), SAMPLE.zhangWei);
    assert.equal(await page.getByTestId('mydata-marital').innerText(), '已婚');
    assert.equal(await page.getByTestId('mydata-hukou').innerText(), '上海市浦东新区陆家嘴街道银城中路88弄3号楼1201室');
    const spouse = page.locator('[data-testid="mydata-family-row"][data-relation="spouse"]');
    assert.match(await spouse.innerText(), /配偶\s+李娜/);
    assert.match(await page.locator('[data-testid="mydata-licence"][data-type="driving_licence"]').innerText(), /机动车驾驶证[\s\S]*C1/);
    assert.match(await page.locator('[data-testid="mydata-licence"][data-type="marriage_certificate"]').innerText(), /结婚证/);
    // The company he represents: its name carries a script tag, shown as text.
    assert.equal(await page.locator(`[data-testid="mydata-company"][data-uscc="${SAMPLE.company}"] .mydata-strong`).innerText(), `上海申味餐饮管理有限公司${XSS}`);
    // A wrong phone number is reported to the police, who keep it; the record itself is not edited here.
    await page.getByTestId('mydata-report').click();
    await page.getByTestId('mydata-report-field').selectOption('phone');
    await page.getByTestId('mydata-report-proposed').fill('13900001111');
    await page.getByTestId('mydata-report-reason').fill(`号码已更换${XSS}`);
    await page.getByTestId('mydata-report-send').click();
    const report = page.locator('[data-testid="mydata-report-row"][data-status="open"]');
    await waitText(report, '上海市公安局');
    assert.match(await report.innerText(), /联系电话 → 13900001111/);
    const sent = await server.y.ctx.services.registries.store.reportsFor(server.y.ctx.db, 'ga', 'open');
    assert.ok(sent.some((r) => r.proposed === '13900001111' && r.subject_id === SAMPLE.zhangWei), 'the police have the report');

    // Who looked: 浦东新区市场监督管理局 three times — allowed once, refused beyond the grant, refused once revoked.
    const log = page.getByTestId('mydata-log');
    await waitText(log.getByTestId('xchg-log-department'), SCJG_NAME);
    const entries = log.getByTestId('xchg-log-row');
    assert.equal(await entries.count(), 3);
    assert.deepEqual(await entries.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-outcome'))), ['EXCHANGE_GRANT_REVOKED', 'EXCHANGE_FIELD_FORBIDDEN', 'ok']);
    for (const name of await log.getByTestId('xchg-log-department').allInnerTexts()) assert.equal(name, SCJG_NAME);
    const allowed = log.locator('[data-testid="xchg-log-row"][data-outcome="ok"]');
    assert.equal(await allowed.getByTestId('xchg-log-purpose').innerText(), PURPOSE);
    const allowedText = await allowed.innerText();
    for (const words of ['人口基本信息', '姓名', '公民身份号码', '出生日期', '已提供']) assert.ok(allowedText.includes(words), `${words} in "${allowedText}"`);
    assert.equal(await allowed.locator('[data-field="birthDate"].xchg-tag-masked').count(), 1, 'the birth date went out masked, and says so');
    assert.match(await log.locator('[data-testid="xchg-log-row"][data-outcome="EXCHANGE_FIELD_FORBIDDEN"]').innerText(), /已拒绝\s*EXCHANGE_FIELD_FORBIDDEN/);
    await shot(page, 'mydata');

    // Elder mode: larger type, the same content.
    const base = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.getByTestId('elder-toggle').click();
    await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
    const elder = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.ok(elder > base, `elder mode enlarges type (${base} → ${elder})`);
    assert.equal(await page.getByTestId('mydata-name').innerText(), '张伟');
    await shot(page, 'mydata-elder');
    await page.getByTestId('elder-toggle').click();

    // English: headings, labels and licence names follow; names from the registry stay as they are.
    await page.getByTestId('lang-en').click();
    await waitText(page.getByTestId('page-title'), 'My data');
    await waitText(log, 'Who looked at my data');
    assert.match(await page.locator('[data-testid="mydata-licence"][data-type="driving_licence"]').innerText(), /Motor Vehicle Driving Licence/);
    assert.match(await spouse.innerText(), /Spouse\s+李娜/);
    assert.match(await log.locator('[data-testid="xchg-log-row"][data-outcome="ok"]').innerText(), /Provided/);
    await waitText(log.getByTestId('xchg-log-department'), 'Pudong');
    await shot(page, 'mydata-en');
    await page.getByTestId('lang-zh').click();

    await noScript(page);
    assert.deepEqual(problems, []);
  });

  test('a company reads its registration and licences in 我的数据', { timeout: 120_000 }, async () => {
    const { page, problems } = await as('enterprise');
    await page.goto('/portal/my-data');
    await page.getByTestId('mydata-entity').waitFor();
    assert.equal(await page.getByTestId('mydata-entity-name').innerText(), '上海申味餐饮管理有限公司');
    assert.match(await page.getByTestId('mydata-uscc').innerText(), /^[0-9A-Z]{18}$/);
    assert.equal(await page.getByTestId('mydata-person').count(), 0);
    await page.locator('[data-testid="mydata-licence"][data-type="business_licence"]').waitFor();
    assert.match(await page.locator('[data-testid="mydata-licence"][data-type="business_licence"]').innerText(), /营业执照/);
    await page.getByTestId('mydata-log').waitFor();
    await shot(page, 'mydata-enterprise');
    assert.deepEqual(problems, []);
  });
});
