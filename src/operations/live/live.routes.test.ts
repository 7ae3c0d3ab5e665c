import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { DIALECTS } from '../../platform/db/testing.ts';
import { PLACES, type ComponentsYiwang } from '../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang } from '../devices/testing.ts';
import { rulesModule } from '../rules/index.ts';
import { liveModule } from './index.ts';

for (const dialect of DIALECTS) {
  describe(`live devices for the command map (${dialect})`, () => {
    let y: ComponentsYiwang;
    let base: string;
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'waitan.operator'], [rulesModule, liveModule]);
      await y.app.listen({ port: 0, host: '127.0.0.1' });
      base = `127.0.0.1:${(y.app.server.address() as { port: number }).port}`;
    });
    after(async () => y?.close());

    const open = (who: string) =>
      new Promise<{ ws: WebSocket; next(pred: (m: { type: string; items: Array<{ id: string; status: string }> }) => boolean, ms: number): Promise<unknown> }>((resolve, reject) => {
        const ws = new WebSocket(`ws://${base}/api/live`, { headers: { cookie: y.as[who]!.cookie } });
        const messages: Array<{ type: string; items: Array<{ id: string; status: string }> }> = [];
        const waiters: Array<() => void> = [];
        ws.on('message', (d) => {
          messages.push(JSON.parse(String(d)));
          for (const w of waiters.splice(0)) w();
        });
        ws.on('error', reject);
        ws.on('open', () =>
          resolve({
            ws,
            next: async (pred, ms) => {
              const deadline = Date.now() + ms;
              for (;;) {
                const hit = messages.find(pred);
                if (hit) return hit;
                const left = deadline - Date.now();
                if (left <= 0) throw new Error(`no matching message within ${ms} ms; got ${JSON.stringify(messages)}`);
                await new Promise<void>((r) => {
                  waiters.push(r);
                  setTimeout(r, left);
                });
              }
            },
          }),
        );
      });

    test('a viewer gets a device\'s change within two seconds, red once a rule fires; another street hears nothing', async () => {
      const d = (await registerDevice(y, 'lujiazui.operator')).id;
      const [lon, lat] = PLACES.lujiazui;
      const box = [lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01];
      const map = (await y.app.inject({ url: `/api/devices/map?bbox=${box.join(',')}`, headers: y.as['lujiazui.operator'] })).json();
      assert.equal(map.items.find((x: { id: string }) => x.id === d)?.status, 'offline', 'never heard from yet');

      const mine = await open('lujiazui.operator');
      const theirs = await open('waitan.operator');
      for (const v of [mine, theirs]) v.ws.send(JSON.stringify({ type: 'viewport', bbox: box }));
      await new Promise((r) => setTimeout(r, 100));
      const token = await gatewayToken(y, '310115');
      const post = (waterLevel: number) => y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: [{ deviceId: d, values: { waterLevel } }] } });

      let t = Date.now();
      await post(3.1);
      await mine.next((m) => m.type === 'devices' && m.items.some((x) => x.id === d && x.status === 'ok'), 2000);
      assert.ok(Date.now() - t < 2000);

      y.clock.advance(1000);
      t = Date.now();
      await post(5.6); // above the 5.2 m critical level: the rule fires at once
      await mine.next((m) => m.type === 'devices' && m.items.some((x) => x.id === d && x.status === 'alert'), 2000);
      assert.ok(Date.now() - t < 2000);
      await new Promise((r) => setTimeout(r, 1200));
      await assert.rejects(theirs.next((m) => m.type === 'devices', 10), 'the other street saw nothing');
      assert.equal((await y.app.inject({ url: `/api/devices/map?bbox=${box.join(',')}`, headers: y.as['lujiazui.operator'] })).json().items.find((x: { id: string }) => x.id === d)?.status, 'alert');
      // The compact rows the map draws a district from: the same state, and nothing of another street.
      const rows = (await y.app.inject({ url: `/api/devices/map/rows?bbox=${box.join(',')}`, headers: y.as['lujiazui.operator'] })).json();
      assert.ok(rows.rows, JSON.stringify(rows));
      const row = rows.rows.find((r: unknown[]) => r[0] === d);
      assert.deepEqual(row, [d, Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6, 'alert', 'water_level', 'critical']);
      assert.equal(rows.truncated, false);
      assert.deepEqual((await y.app.inject({ url: `/api/devices/map/rows?bbox=${box.join(',')}`, headers: y.as['waitan.operator'] })).json().rows, []);
      mine.ws.close();
      theirs.ws.close();
    });

    test('the map endpoint names a bad box; the feed needs a session', async () => {
      const bad = await y.app.inject({ url: '/api/devices/map?bbox=1,2,3', headers: y.as['lujiazui.operator'] });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().field, 'bbox');
      const code = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://${base}/api/live`);
        ws.on('close', (c) => resolve(c));
        ws.on('error', () => resolve(-1));
      });
      assert.equal(code, 4401);
      const foreign = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://${base}/api/live`, { headers: { cookie: y.as['lujiazui.operator']!.cookie, origin: 'https://evil.example' } });
        ws.on('close', (c) => resolve(c));
        ws.on('error', () => resolve(-1));
      });
      assert.equal(foreign, 4403, 'a page of another site cannot read the feed with the cookie');
    });
  });
}
