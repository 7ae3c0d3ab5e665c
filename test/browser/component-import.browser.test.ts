import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext } from 'playwright-core';
import { ARTIFACTS, launchChromium, signedInPage, startDemoServer, type DemoServer } from './harness.ts';
import { pointIn } from '../../src/operations/components/testing.ts';

// The workbench's component import in a real Chromium: an operator uploads a CSV with good and bad
// rows, watches the job finish, reads its counts and speed, and downloads the refused rows.

describe('component import in the workbench (Chromium)', () => {
  let browser: Browser;
  let server: DemoServer;
  let dir: string;
  const contexts: BrowserContext[] = [];
  before(async () => {
    server = await startDemoServer('component-import', '0.002');
    browser = await launchChromium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-import-page-'));
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an operator uploads a survey CSV: the job finishes with its counts, how long it took, and the refused rows to download', { timeout: 120_000 }, async () => {
    const [lon, lat] = pointIn(server.y.ctx, '310115005');
    const at = (i: number) => `${(lon + i * 1e-5).toFixed(7)},${lat}`;
    const rows = ['code,type,status,name,lon,lat,material,shape'];
    for (let i = 1; i <= 40; i++) rows.push(`3101150101${String(900000 + i)},0101,完好,浦东南路井盖 ${i},${at(i)},铸铁,圆形`);
    rows.push(`3101150101990001,0101,完好,,${at(50)},木头,圆形`); // refused: material
    rows.push(`3101150101990002,0101,完好,,${lat},${lon},铸铁,圆形`); // refused: swapped
    const file = path.join(dir, '陆家嘴井盖普查.csv');
    fs.writeFileSync(file, rows.join('\n') + '\n');

    const { page, problems } = await signedInPage(browser, server.base, contexts, 'lujiazui.operator');
    await page.goto('/workbench/component-import');
    await page.getByTestId('import-form').waitFor();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-upload').click();
    await page.locator('[data-testid="import-job"] [data-testid="import-status"]', { hasText: '已完成' }).waitFor();
    const job = page.getByTestId('import-job');
    assert.equal(await job.getByTestId('import-created').innerText(), '40');
    assert.equal(await job.getByTestId('import-failed').innerText(), '2');
    assert.match(await job.getByTestId('import-speed').innerText(), /^开始后 \d+ 秒完成（[\d,]+ 行\/秒）$/);
    const download = page.waitForEvent('download');
    await job.getByTestId('import-errors').click();
    const errors = fs.readFileSync(await (await download).path(), 'utf8');
    assert.match(errors, /^line,field,reason,record\n42,attributes\.material,/m);
    assert.match(errors, /^43,geometry\.coordinates,.*swapped/m);
    await page.locator('[data-testid="import-recent"] td', { hasText: '陆家嘴井盖普查.csv' }).first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-component-import.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
