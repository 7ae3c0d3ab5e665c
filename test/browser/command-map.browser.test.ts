import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, startDemoServer, type DemoServer, watch } from './harness.ts';
import type { Yiwang } from '../../src/app.ts';
import { DEMO_PASSWORD } from '../../src/org/index.ts';
import { pointIn, XSS } from '../../src/operations/components/testing.ts';

// The command map in a real Chromium against a real server: MapLibre (WebGL) over the server's
// vector tiles, centred on the operator's street. A few components are registered through the API,
// then found on the map, hidden and shown with their class, clicked and read in their card.
// Screenshots go to test/artifacts/ for a person to look at.

const STREET = '310115005'; // 陆家嘴街道
const OPERATOR = 'lujiazui.operator';



interface Created {
  code: string;
  type: string;
  status: string;
  name: string | null;
  point: [number, number];
}

// Helpers that run in the page, against the map the app exposes to automated browsers.
type TestMap = {
  loaded(): boolean;
  isMoving(): boolean;
  areTilesLoaded(): boolean;
  getZoom(): number;
  jumpTo(o: { center: [number, number]; zoom: number }): void;
  project(p: [number, number]): { x: number; y: number };
  queryRenderedFeatures(o: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
};
declare global {
  interface Window {
    __yiwangMap?: unknown;
  }
}

/** Waits until the map has drawn everything it is loading (MapLibre's `idle`, seen by the app). */
async function mapIdle(page: Page): Promise<void> {
  try {
    await page.waitForFunction(
      () => {
        const m = window.__yiwangMap as TestMap | undefined;
        const el = document.querySelector<HTMLElement>('[data-testid="map"]');
        return !!m && m.loaded() && !m.isMoving() && m.areTilesLoaded() && el?.dataset.idle === 'true';
      },
      undefined,
      { polling: 100 },
    );
  } catch (err) {
    const state = await page.evaluate(() => {
      const m = window.__yiwangMap as TestMap | undefined;
      const el = document.querySelector<HTMLElement>('[data-testid="map"]');
      return m ? { loaded: m.loaded(), moving: m.isMoving(), tiles: m.areTilesLoaded(), data: { ...el?.dataset } } : 'no map';
    });
    throw new Error(`map not idle: ${JSON.stringify(state)}`, { cause: err });
  }
}

/** Codes of the single components drawn on the map now. */
function renderedCodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const m = window.__yiwangMap as TestMap;
    return [...new Set(m.queryRenderedFeatures({ layers: ['components-points'] }).map((f) => String(f.properties.code)))];
  });
}

/** Waits until `code` is (or is no longer) drawn. */
async function waitDrawn(page: Page, code: string, drawn: boolean): Promise<void> {
  await page.waitForFunction(
    ([c, want]) => {
      const m = window.__yiwangMap as TestMap | undefined;
      if (!m || !m.loaded() || m.isMoving() || !m.areTilesLoaded()) return false;
      const has = m.queryRenderedFeatures({ layers: ['components-points'] }).some((f) => f.properties.code === c);
      return has === want;
    },
    [code, drawn] as const,
  );
}

describe('command map in Chromium', () => {
  let y: Yiwang;
  let base: string;
  let browser: Browser;
  let server: DemoServer;

  before(async () => {
    server = await startDemoServer('map-browser');
    y = server.y;
    base = server.base;
    browser = await launchChromium(); // with SwiftShader for MapLibre's WebGL (see harness.ts)
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

  test('an operator finds a component on the map, filters classes, reads its card and switches language', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await page.goto('/login');
      await page.getByTestId('login-username').fill(OPERATOR);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('area-frame').waitFor();

      // A manhole cover (damaged, its name carrying script), a street light and a parking meter,
      // a few metres apart inside 陆家嘴街道, registered through the API as the operator.
      const [lon, lat] = pointIn(y.ctx, STREET);
      const register = async (body: Record<string, unknown>): Promise<Created> => {
        const res = await page.request.post('/api/components', { data: body });
        assert.equal(res.status(), 201, await res.text());
        return (await res.json()) as Created;
      };
      const cover = await register({ type: '0101', geometry: { type: 'Point', coordinates: [lon, lat] }, status: 'damaged', name: `${XSS} 井盖`, address: '陆家嘴环路 1 号', attributes: { material: '球墨铸铁', shape: '圆形', diameter_mm: 700 } });
      const light = await register({ type: '0118', geometry: { type: 'Point', coordinates: [lon + 0.0002, lat] }, name: '路灯 A-01', attributes: { lamp_type: 'LED', power_w: 120 } });
      const meter = await register({ type: '0202', geometry: { type: 'Point', coordinates: [lon - 0.0002, lat] }, status: 'occupied', name: '咪表 P-07' });
      assert.equal(cover.status, 'damaged');
      const types = (await (await page.request.get('/api/component-types')).json()) as { classes: Array<{ code: string; nameZh: string; nameEn: string }> };
      assert.equal(types.classes.length, 6);

      // The map opens on the operator's street: its outline is highlighted, the classes and base
      // layers are checkboxes, counts per place show while zoomed out.
      await page.getByTestId('nav-map').click();
      await page.waitForURL('**/command/map');
      const map = page.getByTestId('map');
      await map.waitFor();
      await page.waitForFunction(() => !!window.__yiwangMap);
      await mapIdle(page);
      assert.equal(await page.getByTestId('page-title').textContent(), '城市部件地图');
      assert.match((await page.getByTestId('map-scope').textContent()) ?? '', /陆家嘴街道/);
      for (const c of types.classes) {
        const box = page.getByTestId(`layer-toggle-${c.code}`);
        assert.equal(await box.getAttribute('type'), 'checkbox');
        assert.equal(await box.isChecked(), true);
        assert.equal(await page.getByTestId(`layer-label-${c.code}`).textContent(), c.nameZh);
        // A real label: the checkbox is reachable by its name.
        assert.equal(await page.getByRole('checkbox', { name: c.nameZh, exact: true }).count(), 1);
      }
      assert.equal(await page.getByRole('checkbox', { name: '道路', exact: true }).isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: '单元网格', exact: true }).isChecked(), true);
      assert.match((await page.getByTestId('map-legend').textContent()) ?? '', /完好.*破损.*丢失.*占用.*废弃/);
      const startZoom = await page.evaluate(() => (window.__yiwangMap as TestMap).getZoom());
      assert.ok(startZoom < 15, `the street fits the view (zoom ${startZoom})`);
      await page.getByTestId('map-zoom-hint').waitFor();
      await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="map"]')?.dataset.renderedAggregates ?? 0) >= 3);
      await page.locator('.map-agg-count').first().waitFor();
      await shot(page, 'command-map-overview');

      // Close in on the components: single features, coloured by status.
      await page.evaluate(([lo, la]) => (window.__yiwangMap as TestMap).jumpTo({ center: [lo, la], zoom: 18 }), [lon, lat] as const);
      await mapIdle(page);
      await waitDrawn(page, cover.code, true);
      const all = await renderedCodes(page);
      for (const c of [cover, light, meter]) assert.ok(all.includes(c.code), `${c.code} drawn`);
      assert.equal(await page.getByTestId('map-zoom-hint').count(), 0);
      await shot(page, 'command-map');

      // 公用设施 (01) off: the cover and the light go, the meter (02) stays; on again: back.
      const before = Number(await map.getAttribute('data-rendered-components'));
      await page.getByTestId('layer-toggle-01').uncheck();
      await waitDrawn(page, cover.code, false);
      await waitDrawn(page, light.code, false);
      await waitDrawn(page, meter.code, true);
      await mapIdle(page);
      assert.equal(await map.getAttribute('data-classes'), '02,03,04,05,06');
      const without = Number(await map.getAttribute('data-rendered-components'));
      assert.ok(without < before, `fewer components drawn without class 01 (${before} → ${without})`);
      await page.getByTestId('layer-toggle-01').check();
      await waitDrawn(page, cover.code, true);
      await waitDrawn(page, light.code, true);
      await mapIdle(page);
      assert.equal(Number(await map.getAttribute('data-rendered-components')), before);

      // A click on the cover's pixel opens its card.
      const at = await page.evaluate(([lo, la]) => (window.__yiwangMap as TestMap).project([lo, la]), cover.point);
      const canvas = await page.locator('.maplibregl-canvas').boundingBox();
      assert.ok(canvas);
      await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
      const card = page.getByTestId('component-card');
      await card.waitFor();
      await page.waitForURL(`**/command/map/${cover.code}`);
      await waitText(card.getByTestId('card-code'), cover.code);
      assert.equal(await card.getByTestId('card-code').textContent(), cover.code);
      assert.equal(await card.getByTestId('card-status').getAttribute('data-status'), 'damaged');
      assert.equal((await card.getByTestId('card-status').textContent())?.trim(), '破损');
      const name = (await card.getByTestId('card-name').textContent()) ?? '';
      assert.ok(name.includes(XSS), `the name shows its script tag as text: ${name}`);
      assert.equal(await page.locator('#root script').count(), 0, 'nothing was injected');
      assert.match((await card.getByTestId('card-place').textContent()) ?? '', /陆家嘴街道/);
      assert.notEqual((await card.getByTestId('card-owner').textContent())?.trim(), '—', 'an owner department is named');
      // Attributes are titled by the type's schema.
      const attrs = (await card.getByTestId('card-attributes').textContent()) ?? '';
      assert.match(attrs, /井盖材质\s*球墨铸铁/);
      assert.match(attrs, /井盖形状\s*圆形/);
      assert.match((await card.getByTestId('card-history').textContent()) ?? '', /登记/);
      assert.match((await card.getByTestId('card-linked').textContent()) ?? '', /暂无/);
      await shot(page, 'command-map-card');

      // The close button closes it; a deep link opens it again, centred on the component.
      await card.getByTestId('card-close').click();
      await page.waitForURL('**/command/map');
      assert.equal(await page.getByTestId('component-card').count(), 0);
      await page.goto(`/command/map/${light.code}`);
      await waitText(page.getByTestId('card-code'), light.code);
      assert.equal(await page.getByTestId('card-status').getAttribute('data-status'), 'intact');
      await page.waitForFunction(() => !!window.__yiwangMap);
      await mapIdle(page);
      await waitDrawn(page, light.code, true);
      assert.match((await page.getByTestId('card-attributes').textContent()) ?? '', /光源类型\s*LED/);

      // English: the layer panel, legend and card follow the language.
      await page.getByTestId('lang-en').click();
      for (const c of types.classes) await waitText(page.getByTestId(`layer-label-${c.code}`), c.nameEn);
      assert.equal(await page.getByTestId('page-title').textContent(), 'City components map');
      assert.equal(await page.getByRole('checkbox', { name: 'Roads', exact: true }).count(), 1);
      assert.match((await page.getByTestId('map-legend').textContent()) ?? '', /Intact.*Damaged.*Missing.*Occupied.*Removed/);
      await waitText(page.getByTestId('card-status'), 'Intact');
      assert.match((await page.getByTestId('map-scope').textContent()) ?? '', /Lujiazui Subdistrict/);
      await shot(page, 'command-map-en');
      await page.getByTestId('lang-zh').click();
      await waitText(page.getByTestId('layer-label-01'), '公用设施');

      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

async function waitText(locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent().catch(() => '')) ?? '';
    if (last.includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected "${text}" in "${last}"`);
}
