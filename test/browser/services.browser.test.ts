import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchChromium, signIn, startDemoServer, type DemoServer, watch } from './harness.ts';

// The portal's 办事服务 in Chromium: a citizen types everyday words and pinyin, picks a suggestion,
// and reads what the item takes — with the business licence marked as already held.

describe('service catalogue in Chromium', () => {
  let browser: Browser;
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer('services', '0.005');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('"开饭店" suggests the food business licence; its page lists what to bring; pinyin and facets work', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ baseURL: server.base, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await signIn(page, 'citizen');
      await page.getByTestId('nav-services').click();
      await page.getByTestId('svc-q').fill('开饭店');
      await page.getByTestId('svc-suggest').getByText('食品经营许可', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'services-suggest.png') });
      await page.getByTestId('svc-suggest').getByText('食品经营许可', { exact: true }).click();
      await page.getByTestId('svc-page').waitFor();
      const materials = (await page.getByTestId('svc-materials').textContent()) ?? '';
      assert.match(materials, /营业执照/);
      assert.match(materials, /上海市市场监督管理局已有，无需提交/, 'a licence the government issued is not asked for again');
      await page.screenshot({ path: path.join(ARTIFACTS, 'services-item.png') });

      await page.goto('/portal/services');
      await page.getByTestId('svc-q').fill('jzz');
      await page.getByTestId('svc-go').click();
      await page.locator('[data-testid="svc-item"]').first().waitFor();
      assert.match((await page.locator('[data-testid="svc-item"]').first().textContent()) ?? '', /居住证/);
      const before = Number(((await page.getByTestId('svc-total').textContent()) ?? '').replace(/\D/g, ''));
      await page.getByTestId('svc-q').fill('');
      await page.getByTestId('svc-go').click();
      await page.locator('[data-testid^="facet-online-full"]').click();
      await page.waitForFunction("Array.from(document.querySelectorAll('[data-testid=\"svc-item\"] .badge')).every((b) => b.textContent === '全程网办')");
      assert.ok(before >= 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
