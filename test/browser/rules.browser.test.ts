import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { ARTIFACTS, launchChromium, signIn, startDemoServer, type DemoServer, watch } from './harness.ts';

// The workbench's alert rules in a real Chromium: an operator sees the city's shipped packs, writes a
// rule of their own, is told which part of a wrong condition is wrong, corrects it and saves.

describe('alert rules in the workbench (Chromium)', () => {
  let browser: Browser;
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer('rules', '0.002');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an operator writes a rule: a wrong metric is named, the corrected rule is saved and listed', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ baseURL: server.base, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems = watch(page, (status, url) => status === 400 && url.pathname === '/api/rules');
    try {
      await signIn(page, 'lujiazui.operator');
      await page.goto('/workbench/rules');
      await page.getByTestId('rules-table').waitFor();
      assert.ok(await page.locator('[data-rule="typhoon.water_level_warning"]').count(), 'the city packs are listed');

      await page.getByTestId('rule-new').click();
      await page.getByTestId('rule-name-zh').fill('陆家嘴下立交低水位');
      await page.getByTestId('rule-name-en').fill('Lujiazui underpass low water');
      await page.getByTestId('rule-severity').selectOption('high');
      await page.getByTestId('rule-condition').fill(JSON.stringify({ kind: 'threshold', metric: 'rainfall', below: 1 }));
      await page.getByTestId('rule-save').click();
      await page.getByTestId('rule-error').waitFor();
      assert.match(await page.getByTestId('rule-error').innerText(), /condition\.metric.*waterLevel/s);

      await page.getByTestId('rule-condition').fill(JSON.stringify({ kind: 'threshold', metric: 'waterLevel', below: 1, forS: 600 }));
      await page.getByTestId('rule-save').click();
      await page.getByTestId('rule-editor').waitFor({ state: 'detached' });
      const row = page.locator('[data-testid="rule-row"]', { hasText: '陆家嘴下立交低水位' });
      await row.waitFor();
      assert.match(await row.innerText(), /310115005/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-rules.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
