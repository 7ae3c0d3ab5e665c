import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import mqtt from 'mqtt';
import { type Browser } from 'playwright-core';
import { ARTIFACTS, launchChromium, signIn, startDemoServer, type DemoServer, watch } from './harness.ts';
import { pointIn } from '../../src/operations/components/testing.ts';
import { telemetryTopic } from '../../src/operations/devices/mqtt/topics.ts';

// The live device layer in a real Chromium: a water gauge reports over MQTT to the server's embedded
// broker; above the critical level a rule fires, and the gauge turns red on the open command map
// within two seconds, carried by the /api/live WebSocket.

type TestMap = { loaded(): boolean; areTilesLoaded(): boolean; jumpTo(o: { center: [number, number]; zoom: number }): void };
declare global {
  interface Window {
    __yiwangDevices?: Map<string, string>;
  }
}

describe('live devices on the command map in Chromium', () => {
  let browser: Browser;
  let server: DemoServer;

  before(async () => {
    server = await startDemoServer('live-map', '0.01');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const open = async () => {
    const context = await browser.newContext({ baseURL: server.base, viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    return { context, page, problems: watch(page) };
  };

  test('a reading above the critical water level turns the gauge red on the map within two seconds', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await open();
    try {
      await signIn(page, 'lujiazui.operator');

      const point = pointIn(server.y.ctx, '310115005');
      const res = await page.request.post('/api/devices', { data: { type: 'water_level', name: '陆家嘴下立交水位计', point } });
      assert.equal(res.status(), 201, await res.text());
      const device = (await res.json()) as { id: string; secret: string };

      await page.getByTestId('nav-map').click();
      await page.waitForURL('**/command/map');
      await page.waitForFunction(() => (window.__yiwangMap as TestMap | undefined)?.loaded() === true);
      await page.evaluate((p) => (window.__yiwangMap as TestMap).jumpTo({ center: p, zoom: 16.5 }), point);
      await page.waitForFunction((id) => window.__yiwangDevices?.get(id) === 'offline', device.id);
      // The view's tiles are cut from the store on the server's thread: let them finish, so the
      // two seconds below measure the live feed, not the map's own loading.
      await page.waitForFunction(() => (window.__yiwangMap as TestMap).areTilesLoaded());

      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.y.ctx.services.mqtt.port}`, { username: device.id, password: device.secret, reconnectPeriod: 0 });
      try {
        await client.publishAsync(telemetryTopic(device.id), JSON.stringify({ values: { waterLevel: 3.2 } }), { qos: 1 });
        await page.waitForFunction((id) => window.__yiwangDevices?.get(id) === 'ok', device.id, { timeout: 2000 });
        await client.publishAsync(telemetryTopic(device.id), JSON.stringify({ ts: Date.now() + 1000, values: { waterLevel: 5.6 } }), { qos: 1 });
        const t = Date.now();
        await page.waitForFunction((id) => window.__yiwangDevices?.get(id) === 'alert', device.id, { timeout: 2000, polling: 50 });
        const ms = Date.now() - t;
        assert.ok(ms < 2000, `red after ${ms} ms`);
      } finally {
        await client.endAsync(true);
      }
      assert.equal(await page.getByTestId('map').getAttribute('data-alert-devices'), '1');
      await page.screenshot({ path: path.join(ARTIFACTS, 'live-map-alert.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('leaving the map while its devices are still loading raises no error', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await open();
    try {
      await signIn(page, 'lujiazui.operator');
      // Hold every device answer until the map has gone, as a slow network would.
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let held = 0;
      await page.route('**/api/devices/map/rows**', async (route) => {
        held++;
        await released;
        await route.continue().catch(() => {});
      });
      await page.getByTestId('nav-map').click();
      await page.waitForFunction(() => (window.__yiwangMap as TestMap | undefined)?.loaded() === true);
      await page.evaluate(() => (window.__yiwangMap as TestMap).jumpTo({ center: [121.5, 31.235], zoom: 15 }));
      await page.waitForFunction(() => document.querySelector('[data-testid="map"]') !== null);
      for (let i = 0; i < 100 && held === 0; i++) await page.waitForTimeout(100);
      assert.ok(held > 0, 'the map asked for its devices');
      await page.getByTestId('nav-messages').click();
      await page.waitForFunction(() => window.__yiwangMap === undefined);
      release();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
