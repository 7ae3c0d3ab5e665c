import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { PLACES, type ComponentsYiwang } from '../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang } from './testing.ts';

for (const dialect of DIALECTS) {
  describe(`devices and HTTP ingestion (${dialect})`, () => {
    let y: ComponentsYiwang;
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'waitan.operator', 'city.operator', 'lujiazui.grid']);
    });
    after(async () => y?.close());
    const call = (who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => y.app.inject({ method, url, headers: y.as[who], payload: payload as object });

    test('device types carry their metrics with units and valid ranges', async () => {
      const res = await call('lujiazui.grid', 'GET', '/api/device-types');
      assert.equal(res.statusCode, 200);
      const water = res.json().items.find((t: { code: string }) => t.code === 'water_level');
      assert.equal(water.nameZh, '水位计');
      assert.deepEqual(Object.keys(water.metrics[0]).sort(), ['decimals', 'key', 'max', 'min', 'nameEn', 'nameZh', 'normal', 'unit']);
      assert.ok(res.json().items.length >= 12);
    });

    test('an operator registers a device in their street: jurisdiction and owner come from the place, the secret is shown once', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      assert.match(d.jurisdictionCode, /^310115005\d{6}$/);
      assert.ok(d.secret.length >= 30);
      const got = (await call('lujiazui.operator', 'GET', `/api/devices/${d.id}`)).json();
      assert.equal(got.ownerDept, 'sw.310115', 'a water gauge belongs to the district water authority');
      assert.equal(got.online, false);
      assert.equal(got.secret, undefined, 'the secret is never shown again');
      assert.match(got.name, /^<script>/, 'names are kept as text');
      assert.equal((await call('waitan.operator', 'GET', `/api/devices/${d.id}`)).statusCode, 404, 'another street does not see it');
      const listed = (await call('city.operator', 'GET', '/api/devices?jurisdiction=310115005&type=water_level')).json();
      assert.ok(listed.items.some((x: { id: string }) => x.id === d.id));
    });

    test('bad registrations name the field and the reason; other streets and grid workers may not register', async () => {
      const bad = async (payload: Record<string, unknown>, status: number, field: RegExp) => {
        const res = await call('lujiazui.operator', 'POST', '/api/devices', { type: 'water_level', name: 'x', point: PLACES.lujiazui, ...payload });
        assert.equal(res.statusCode, status, res.body);
        assert.match(JSON.stringify(res.json()), field);
      };
      await bad({ type: 'toaster' }, 400, /type.*not a device type/);
      await bad({ point: [PLACES.lujiazui[1], PLACES.lujiazui[0]] }, 400, /point.*\[lat, lon\]/);
      await bad({ point: [116.4, 39.9] }, 400, /outside Shanghai/);
      await bad({ point: PLACES.waitan }, 403, /jurisdiction|scope/i);
      await bad({ point: undefined }, 400, /point.*required/);
      await bad({ componentCode: '3101150101999999', point: undefined }, 400, /componentCode/);
      const grid = await call('lujiazui.grid', 'POST', '/api/devices', { type: 'water_level', name: 'x', point: PLACES.lujiazui });
      assert.equal(grid.statusCode, 403);
    });

    test('a gateway posts a batch: good values are stored before the reply, each bad one is refused with its field and kept as a dead letter', async () => {
      const a = await registerDevice(y, 'lujiazui.operator');
      const b = await registerDevice(y, 'lujiazui.operator', { type: 'smoke_detector', name: '烟感' });
      const elsewhere = await registerDevice(y, 'waitan.operator', { point: PLACES.waitan });
      const token = await gatewayToken(y, '310115');
      const now = y.clock.now();
      const res = await y.app.inject({
        method: 'POST',
        url: '/api/telemetry',
        headers: token,
        payload: {
          readings: [
            { deviceId: a.id, ts: now - 60_000, values: { waterLevel: 3.42, supplyVoltage: 13.1 } },
            { deviceId: a.id, ts: now, values: { waterLevel: 99, supplyVoltage: 13.2 } },
            { deviceId: b.id, values: { nonsense: 1 } },
            { deviceId: 'no-such-device', values: { waterLevel: 1 } },
            { deviceId: elsewhere.id, values: { waterLevel: 2 } },
            { deviceId: a.id, ts: now + 3_600_000, values: { waterLevel: 3 } },
          ],
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.accepted, 3);
      assert.deepEqual(body.refused.map((r: { field: string }) => r.field), ['readings[1].values.waterLevel', 'readings[2].values.nonsense', 'readings[3].deviceId', 'readings[4].deviceId', 'readings[5].ts']);
      assert.match(body.refused[0].reason, /99 is outside the valid range -5–15 m/);
      assert.match(body.refused[4].reason, /minutes in the future/);

      const state = (await call('lujiazui.operator', 'GET', `/api/devices/${a.id}`)).json();
      assert.deepEqual(state.state.waterLevel, { value: 3.42, at: now - 60_000 });
      assert.deepEqual(state.state.supplyVoltage, { value: 13.2, at: now }, 'the newest value wins');
      assert.equal(state.online, true);
      assert.equal(state.lastSeenAt, now);

      const letters = (await call('lujiazui.operator', 'GET', '/api/telemetry/dead-letters')).json().items;
      assert.ok(letters.some((l: { field: string; deviceId: string }) => l.field === 'readings[1].values.waterLevel' && l.deviceId === a.id));
      assert.ok(!letters.some((l: { deviceId: string }) => l.deviceId === 'no-such-device'), 'refusals of unknown devices belong to no street');
      const city = (await call('city.operator', 'GET', '/api/telemetry/dead-letters')).json().items;
      assert.ok(city.some((l: { deviceId: string; reason: string }) => l.deviceId === 'no-such-device' && /not a registered device/.test(l.reason)));
      assert.equal((await call('lujiazui.grid', 'GET', '/api/telemetry/dead-letters')).statusCode, 403);
    });

    test('readings need a system account; a malformed batch is a 400 naming the field', async () => {
      const op = await call('lujiazui.operator', 'POST', '/api/telemetry', { readings: [] });
      assert.equal(op.statusCode, 403);
      const token = await gatewayToken(y, '310115');
      const bad = await y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: [{ deviceId: 'x', values: { a: 'high' } }] } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /readings/);
    });

    test('rotating the secret and deleting are audited; a stale version is a conflict', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const rotated = await call('lujiazui.operator', 'POST', `/api/devices/${d.id}/secret`);
      assert.equal(rotated.statusCode, 200);
      assert.notEqual(rotated.json().secret, d.secret);
      assert.equal((await call('lujiazui.operator', 'DELETE', `/api/devices/${d.id}?version=1`)).statusCode, 409);
      assert.equal((await call('lujiazui.operator', 'DELETE', `/api/devices/${d.id}?version=2`)).statusCode, 204);
      const audit = await y.ctx.db.selectFrom('platform_audit').select('action').where('subject_id', '=', d.id).orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => a.action), ['devices.device.created', 'devices.device.credentials_rotated', 'devices.device.deleted']);
    });
  });
}
