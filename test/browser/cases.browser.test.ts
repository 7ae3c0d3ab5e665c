import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, signIn, startDemoServer, type DemoServer, watch } from './harness.ts';
import { pointIn } from '../../src/operations/components/testing.ts';
import { TINY_PNG } from '../../src/operations/cases/testing.ts';

declare global {
  interface Window {
    __yiwangMap?: unknown;
    __yiwangCases?: Map<string, string>;
  }
}

// The closed loop in real Chromium: a citizen reports a problem from the portal (current location,
// category, photo), the street's operations centre accepts, files and dispatches it to a grid
// worker, who handles it with a photo; another grid worker verifies it; the citizen sees it closed
// and rates it.

describe('cases in Chromium: report, dispatch, handle, verify, closed', () => {
  let browser: Browser;
  let server: DemoServer;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startDemoServer('cases', '0.01');
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  async function as(username: string, opts: { mobile?: boolean; at?: [number, number] } = {}): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({
      baseURL: server.base,
      viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      ...(opts.at ? { geolocation: { longitude: opts.at[0], latitude: opts.at[1] }, permissions: ['geolocation'] } : {}),
    });
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, username);
    return { page, problems };
  }
  const stage = (page: Page, s: string) => page.locator(`[data-testid="case-page"][data-stage="${s}"]`).waitFor();
  const photo = (name: string) => ({ name, mimeType: 'image/png', buffer: Buffer.concat([TINY_PNG, Buffer.from(name)]) });

  test('a citizen\'s report goes round the loop and comes back closed', { timeout: 300_000 }, async () => {
    const here = pointIn(server.y.ctx, '310115005');

    // 1. The citizen reports from where they stand.
    const citizen = await as('citizen', { at: here });
    await citizen.page.goto('/portal/report');
    await citizen.page.getByTestId('report-locate').click();
    await citizen.page.waitForFunction(() => document.querySelector('[data-testid="pin-map"]')?.getAttribute('data-point') !== '');
    await citizen.page.getByTestId('report-category').selectOption('E0501');
    await citizen.page.getByTestId('report-description').fill('<script>alert(1)</script> 早餐摊占用人行道');
    await citizen.page.getByTestId('report-address').fill('东昌路近浦东南路');
    await citizen.page.getByTestId('photo-input').setInputFiles(photo('scene.png'));
    await citizen.page.locator('[data-testid="photo-input-count"][data-count="1"]').waitFor();
    await citizen.page.screenshot({ path: path.join(ARTIFACTS, 'cases-report.png') });
    await citizen.page.getByTestId('report-submit').click();
    await citizen.page.waitForURL('**/portal/reports/*');
    await stage(citizen.page, 'intake');
    const id = (await citizen.page.getByTestId('case-page').getAttribute('data-case'))!;
    assert.match(id, /^\d{14}$/);
    assert.equal(await citizen.page.getByTestId('case-description').textContent(), '<script>alert(1)</script> 早餐摊占用人行道', 'shown as text');

    // 2. The street's centre accepts, files and dispatches it to a grid worker.
    const operator = await as('lujiazui.operator');
    await operator.page.goto('/workbench/queue');
    await operator.page.locator(`[data-testid="case-row"][data-case="${id}"]`).waitFor();
    await operator.page.locator(`[data-testid="case-row"][data-case="${id}"] a`).click();
    await operator.page.getByTestId('case-do-accept').click();
    await stage(operator.page, 'filing');
    await operator.page.getByTestId('case-do-file').click();
    await stage(operator.page, 'dispatch');
    assert.match((await operator.page.getByTestId('case-proposal').textContent()) ?? '', /陆家嘴街道城管执法中队/);
    await operator.page.getByTestId('case-assignee').selectOption({ label: '陈明' });
    await operator.page.getByTestId('case-do-dispatch').click();
    await stage(operator.page, 'disposal');
    await operator.page.screenshot({ path: path.join(ARTIFACTS, 'cases-dispatched.png') });

    // The case is on the command map, green while within its limit.
    await operator.page.goto('/command/map');
    await operator.page.waitForFunction(() => (window.__yiwangMap as { loaded(): boolean } | undefined)?.loaded() === true);
    await operator.page.evaluate((p) => (window.__yiwangMap as { jumpTo(o: unknown): void }).jumpTo({ center: p, zoom: 16 }), here);
    await operator.page.waitForFunction((caseId) => window.__yiwangCases?.get(caseId) === 'green', id);
    assert.ok(await operator.page.getByTestId('map-legend-cases').isVisible());

    // A hotline call taken in the workbench: the caller stays with the centre.
    await operator.page.goto('/workbench/hotline');
    await operator.page.getByTestId('hotline-name').fill('李秀英');
    await operator.page.getByTestId('hotline-phone').fill('138 0013 8000');
    await operator.page.getByTestId('report-category').selectOption('E0101');
    await operator.page.getByTestId('report-description').fill('来电反映小区门口垃圾堆放');
    await operator.page.getByTestId('pin-map').click();
    await operator.page.waitForFunction(() => document.querySelector('[data-testid="pin-map"]')?.getAttribute('data-point') !== '');
    await operator.page.getByTestId('report-submit').click();
    await operator.page.waitForURL('**/workbench/cases/*');
    await stage(operator.page, 'intake');

    // 3. The grid worker finds the task on the phone and handles it.
    const worker = await as('lujiazui.grid', { mobile: true });
    await worker.page.goto('/worker/tasks');
    await worker.page.locator(`[data-testid="case-row"][data-case="${id}"] a`).click();
    await stage(worker.page, 'disposal');
    await worker.page.getByTestId('case-photo').setInputFiles(photo('done.png'));
    await worker.page.locator('[data-testid="case-photo-count"][data-count="1"]').waitFor();
    await worker.page.getByTestId('case-note').fill('已劝离摊贩，人行道恢复通行');
    await worker.page.getByTestId('case-do-handle').click();
    await stage(worker.page, 'verification');
    assert.equal(await worker.page.getByTestId('case-do-verify-pass').count(), 0, 'the handler is not offered verification');

    // 4. Another grid worker verifies on site.
    const checker = await as('lujiazui.grid2', { mobile: true });
    await checker.page.goto(`/worker/tasks/${id}`);
    await stage(checker.page, 'verification');
    await checker.page.getByTestId('case-photo').setInputFiles(photo('check.png'));
    await checker.page.locator('[data-testid="case-photo-count"][data-count="1"]').waitFor();
    await checker.page.getByTestId('case-do-verify-pass').click();
    await stage(checker.page, 'closed');
    await checker.page.screenshot({ path: path.join(ARTIFACTS, 'cases-verified-mobile.png') });

    // 5. The citizen sees it closed, with the reply, and rates it.
    await citizen.page.goto('/portal/reports');
    await citizen.page.locator(`[data-testid="case-row"][data-case="${id}"] a`).click();
    await stage(citizen.page, 'closed');
    assert.equal(await citizen.page.getByTestId('case-stage').textContent(), '已结案');
    assert.equal(await citizen.page.getByTestId('case-reply').textContent(), '已劝离摊贩，人行道恢复通行');
    const steps = await citizen.page.locator('[data-testid="case-timeline"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
    assert.deepEqual(steps, ['report', 'accept', 'dispatch', 'handle', 'verify_pass']);
    await citizen.page.getByTestId('case-rating').selectOption('5');
    await citizen.page.getByTestId('case-do-rate').click();
    await citizen.page.locator('[data-testid="case-timeline"] li[data-action="rate"]').waitFor();
    await citizen.page.screenshot({ path: path.join(ARTIFACTS, 'cases-closed-citizen.png') });

    for (const who of [citizen, operator, worker, checker]) assert.deepEqual(who.problems, []);
  });
});
