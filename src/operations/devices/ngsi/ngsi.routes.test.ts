import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { PLACES, type ComponentsYiwang } from '../../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang } from '../testing.ts';

for (const dialect of DIALECTS) {
  describe(`NGSI-LD API (${dialect})`, () => {
    let y: ComponentsYiwang;
    let high: string;
    let low: string;
    let smoke: string;
    const t = Date.UTC(2026, 1, 28, 23, 0);
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'waitan.operator']);
      const [lon, lat] = PLACES.lujiazui;
      high = (await registerDevice(y, 'lujiazui.operator', { name: '高水位' })).id;
      low = (await registerDevice(y, 'lujiazui.operator', { name: '低水位', point: [lon + 0.004, lat] })).id; // ~380 m east
      smoke = (await registerDevice(y, 'lujiazui.operator', { type: 'smoke_detector', name: '烟感' })).id;
      const token = await gatewayToken(y, '310115');
      const now = y.clock.now();
      const res = await y.app.inject({
        method: 'POST',
        url: '/api/telemetry',
        headers: token,
        payload: {
          readings: [
            { deviceId: high, ts: now - 120_000, values: { waterLevel: 4.2 } },
            { deviceId: high, ts: now - 60_000, values: { waterLevel: 4.6 } },
            { deviceId: high, ts: now, values: { waterLevel: 4.9, supplyVoltage: 12.6 } },
            { deviceId: low, ts: now, values: { waterLevel: 2.1 } },
          ],
        },
      });
      assert.equal(res.json().accepted, 5);
      void t;
    });
    after(async () => y?.close());
    const get = (url: string, who = 'lujiazui.operator', accept = 'application/json') => y.app.inject({ url, headers: { ...y.as[who], accept } });
    const ids = (body: Array<{ id: string }>) => body.map((e) => e.id.split(':').pop()).sort();

    test('entities by type: URN ids, Properties with observedAt and unitCode, a GeoProperty, the core @context in a Link header', async () => {
      const res = await get('/ngsi-ld/v1/entities?type=WaterLevelGauge&count=true');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers.link), /ngsi-ld-core-context.*rel="http:\/\/www.w3.org\/ns\/json-ld#context"/);
      assert.equal(res.headers['ngsild-results-count'], '2');
      const body = res.json();
      assert.deepEqual(ids(body), [high, low].sort());
      const e = body.find((x: { id: string }) => x.id.endsWith(high));
      assert.equal(e.id, `urn:ngsi-ld:WaterLevelGauge:${high}`);
      assert.equal(e.type, 'WaterLevelGauge');
      assert.deepEqual(e.waterLevel, { type: 'Property', value: 4.9, observedAt: new Date(y.clock.now()).toISOString(), unitCode: 'MTR' });
      assert.deepEqual(e.location, { type: 'GeoProperty', value: { type: 'Point', coordinates: PLACES.lujiazui } });
      assert.equal(e.name.value, '高水位');
    });

    test('q, attrs, keyValues, and geo-queries near a point and within a polygon', async () => {
      assert.deepEqual(ids((await get('/ngsi-ld/v1/entities?type=WaterLevelGauge&q=waterLevel>4.5')).json()), [high]);
      assert.deepEqual(ids((await get('/ngsi-ld/v1/entities?q=waterLevel<3|supplyVoltage>=12.6')).json()), [high, low].sort());
      assert.deepEqual(ids((await get('/ngsi-ld/v1/entities?q=waterLevel>4;supplyVoltage<12')).json()), []);
      const kv = (await get(`/ngsi-ld/v1/entities?type=WaterLevelGauge&attrs=waterLevel&options=keyValues&q=waterLevel>4.5`)).json();
      assert.deepEqual(kv, [{ id: `urn:ngsi-ld:WaterLevelGauge:${high}`, type: 'WaterLevelGauge', waterLevel: 4.9 }]);
      const [lon, lat] = PLACES.lujiazui;
      const near = await get(`/ngsi-ld/v1/entities?type=WaterLevelGauge,SmokeDetector&georel=near;maxDistance==200&geometry=Point&coordinates=[${lon},${lat}]`);
      assert.deepEqual(ids(near.json()), [high, smoke].sort());
      const far = await get(`/ngsi-ld/v1/entities?type=WaterLevelGauge&georel=near;minDistance==200&geometry=Point&coordinates=[${lon},${lat}]`);
      assert.deepEqual(ids(far.json()), [low]);
      const d = 0.002;
      const square = JSON.stringify([[[lon + d, lat - d], [lon + 0.006, lat - d], [lon + 0.006, lat + d], [lon + d, lat + d], [lon + d, lat - d]]]);
      assert.deepEqual(ids((await get(`/ngsi-ld/v1/entities?georel=within&geometry=Polygon&coordinates=${encodeURIComponent(square)}`)).json()), [low]);
    });

    test('one entity (JSON-LD when asked), and its readings over time', async () => {
      const urn = `urn:ngsi-ld:WaterLevelGauge:${high}`;
      const ld = await get(`/ngsi-ld/v1/entities/${urn}`, 'lujiazui.operator', 'application/ld+json');
      assert.equal(ld.statusCode, 200);
      assert.match(String(ld.headers['content-type']), /application\/ld\+json/);
      assert.match(ld.json()['@context'], /ngsi-ld-core-context/);
      const last2 = (await get(`/ngsi-ld/v1/temporal/entities/${urn}?attrs=waterLevel&lastN=2`)).json();
      assert.deepEqual(last2.waterLevel.map((p: { value: number }) => p.value), [4.6, 4.9]);
      const now = y.clock.now();
      const between = (await get(`/ngsi-ld/v1/temporal/entities/${urn}?attrs=waterLevel&timerel=between&timeAt=${new Date(now - 130_000).toISOString()}&endTimeAt=${new Date(now - 30_000).toISOString()}`)).json();
      assert.deepEqual(between.waterLevel.map((p: { value: number; observedAt: string }) => [p.value, p.observedAt]), [[4.2, new Date(now - 120_000).toISOString()], [4.6, new Date(now - 60_000).toISOString()]]);
    });

    test('errors are NGSI-LD problem types; other streets see nothing', async () => {
      const bad = await get('/ngsi-ld/v1/entities?q=waterLevel~4');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().type, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
      assert.equal((await get('/ngsi-ld/v1/entities')).statusCode, 400, 'some filter is required');
      assert.equal((await get('/ngsi-ld/v1/entities?type=Toaster')).json().type, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
      const missing = await get('/ngsi-ld/v1/entities/urn:ngsi-ld:WaterLevelGauge:nope');
      assert.equal(missing.json().type, 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
      assert.equal((await get(`/ngsi-ld/v1/entities/urn:ngsi-ld:WaterLevelGauge:${high}`, 'waitan.operator')).statusCode, 404);
      assert.deepEqual((await get('/ngsi-ld/v1/entities?type=WaterLevelGauge', 'waitan.operator')).json(), []);
      assert.equal((await y.app.inject({ url: '/ngsi-ld/v1/entities?type=WaterLevelGauge' })).statusCode, 401);
    });
  });
}
