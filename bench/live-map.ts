// Benchmark: the command map's live device layer with a district's devices on screen, in Chromium.
//   npm run bench -- live-map [--devices=44000] [--seconds=6] [--changes=500]
// 1. Seeds a demo city (light components) and Pudong's devices at full demo density (~44,000).
// 2. Opens /command/map as 浦东新区's operator, zoomed out to the whole district, and times the
//    load: from the jump to every device drawn.
// 3. Pans the map back and forth for --seconds and records every frame's time three ways, in the
//    same run: the device layer hidden (the baseline: the map alone), the layer shown, and the layer
//    shown while --changes devices a second report over HTTP (readings that turn some red through
//    the shipped smoke rule), so the WebSocket patches the layer every second.
// Prints frames/s and p50/p99 frame time for each, the snapshot's size, and memory. Chromium runs
// headless with software WebGL (SwiftShader): figures are slower than on a workstation's GPU; the
// comparison with the baseline is what matters.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { launchChromium, signIn, startDemoServer } from '../test/browser/harness.ts';
import { seedDemoDevices, DEMO_DEVICES } from '../src/operations/devices/demo/seed-devices.ts';
import { DeviceStore } from '../src/operations/devices/device.store.ts';
import { gatewayToken } from '../src/operations/devices/testing.ts';
import type { ComponentsYiwang } from '../src/operations/components/testing.ts';
import { progressPrinter } from '../src/cli/progress.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const DEVICES = Number(arg('devices') ?? 44_000);
const SECONDS = Number(arg('seconds') ?? 6);
const CHANGES = Number(arg('changes') ?? 500);
const progress = progressPrinter();
const fmt = (n: number) => Math.round(n).toLocaleString('en');

type TestMap = { loaded(): boolean; jumpTo(o: { center: [number, number]; zoom: number }): void; areTilesLoaded(): boolean; panBy(o: [number, number], a: { duration: number }): void; setLayoutProperty(l: string, k: string, v: string): void; once(e: string, f: () => void): void };
declare global {
  interface Window {
    __yiwangMap?: unknown;
  }
}

/**
 * Pans left and right for `ms` and returns each frame's duration (ms). Plain JavaScript text: the
 * TypeScript loader would wrap named functions in helpers the page does not have.
 */
function frames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(`(async () => {
    const map = window.__yiwangMap;
    const out = [];
    let last = performance.now();
    const end = last + ${ms};
    let dir = 1;
    function pan() { map.panBy([dir * 300, 0], { duration: 1000 }); dir = -dir; }
    pan();
    const timer = setInterval(pan, 1000);
    await new Promise((resolve) => {
      function tick(t) { out.push(t - last); last = t; if (t < end) requestAnimationFrame(tick); else resolve(); }
      requestAnimationFrame(tick);
    });
    clearInterval(timer);
    return out.slice(1);
  })()`);
}

function report(label: string, f: number[]): void {
  const s = [...f].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
  const fps = (1000 * f.length) / f.reduce((a, b) => a + b, 0);
  console.log(`  ${label.padEnd(46)} ${fps.toFixed(1).padStart(5)} frames/s   frame p50 ${p(0.5).toFixed(1).padStart(6)} ms   p99 ${p(0.99).toFixed(1).padStart(6)} ms   (${f.length} frames)`);
}

console.log(`live-map benchmark — ${fmt(DEVICES)} devices, ${SECONDS} s per run, ${CHANGES} changes/s, node ${process.version}, ${os.cpus().length} cores`);
const server = await startDemoServer('bench-live-map', '0.02');
const browser = await launchChromium();
try {
  const { ctx } = server.y;
  const scale = DEVICES / Object.values(DEMO_DEVICES).reduce((a, b) => a + b, 0);
  const seeded = await seedDemoDevices(ctx, new DeviceStore(ctx.dialect), scale, progress);
  const pudong = ctx.services.jurisdictions.require('310115');
  const inView = (await ctx.db.selectFrom('devices_device').select(ctx.db.fn.countAll<number>().as('n')).where('jurisdiction_code', 'like', '310115%').executeTakeFirstOrThrow()).n;
  console.log(`seeded ${fmt(seeded)} devices (${fmt(Number(inView))} in 浦东新区)`);

  const context = await browser.newContext({ baseURL: server.base, viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await signIn(page, 'pudong.operator');
  await page.getByTestId('nav-map').click();
  await page.waitForURL('**/command/map');
  await page.waitForFunction(() => (window.__yiwangMap as TestMap | undefined)?.loaded() === true, undefined, { timeout: 60_000 });

  const snapshot = page.waitForResponse((r) => r.url().includes('/api/devices/map/rows'), { timeout: 60_000 });
  const t0 = Date.now();
  await page.evaluate((c) => (window.__yiwangMap as TestMap).jumpTo({ center: c, zoom: 10 }), pudong.centroid as [number, number]);
  const res = await snapshot;
  const body = await res.body();
  const bytes = body.byteLength;
  const rows = (JSON.parse(body.toString('utf8')) as { rows: unknown[] }).rows.length;
  await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('[data-testid="map"]')?.dataset.devices ?? 0) >= n, rows, { timeout: 60_000 });
  await page.evaluate(() => new Promise<void>((resolve) => (window.__yiwangMap as TestMap).once('idle', () => resolve())));
  const shown = await page.getByTestId('map').getAttribute('data-devices');
  console.log(`  load: jump to the district → ${fmt(Number(shown))} devices drawn in ${fmt(Date.now() - t0)} ms (snapshot ${(bytes / 1048576).toFixed(1)} MiB, ${fmt(res.request().timing().responseEnd)} ms to fetch)`);

  await page.evaluate(() => (window.__yiwangMap as TestMap).setLayoutProperty('devices', 'visibility', 'none'));
  report('baseline: the map alone (device layer hidden)', await frames(page, SECONDS * 1000));
  await page.evaluate(() => (window.__yiwangMap as TestMap).setLayoutProperty('devices', 'visibility', 'visible'));
  report(`${fmt(Number(shown))} devices shown`, await frames(page, SECONDS * 1000));

  // Readings from CHANGES smoke detectors a second, every tenth one an alarm: the feed patches the layer.
  const token = await gatewayToken(server.y as unknown as ComponentsYiwang, '310115');
  const smoke = (await ctx.db.selectFrom('devices_device').select('id').where('type_code', '=', 'smoke_detector').limit(CHANGES * SECONDS).execute()).map((r) => r.id);
  let running = true;
  let sent = 0;
  const feeder = (async () => {
    for (let s = 0; running; s++) {
      const started = Date.now();
      const batch = Array.from({ length: CHANGES }, (_, i) => smoke[(s * CHANGES + i) % smoke.length]!);
      await server.y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: batch.map((deviceId, i) => ({ deviceId, values: { smokeAlarm: i % 10 === 0 ? 1 : 0, batteryLevel: 90 } })) } });
      sent += batch.length;
      await sleep(Math.max(0, 1000 - (Date.now() - started)));
    }
  })();
  await sleep(1500);
  report(`shown, ${fmt(CHANGES)} changes/s over the WebSocket`, await frames(page, SECONDS * 1000));
  running = false;
  await feeder;
  const alerts = await page.getByTestId('map').getAttribute('data-alert-devices');
  console.log(`  ${fmt(sent)} readings sent; ${alerts} devices red on the map at the end`);
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  console.log(`  page JS heap ${(heap / 1048576).toFixed(0)} MiB; server resident memory ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
