// An existing NGSI-LD client library (ngsijs, FIWARE's JavaScript client by Ficodes, a test-only
// dependency) reads, queries and subscribes through Yiwang's /ngsi-ld/v1 over real HTTP: the
// shapes it expects (URN ids, Property/GeoProperty objects, Location headers, error bodies) are ours.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
// @ts-expect-error ngsijs ships no types
import NGSI from 'ngsijs';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { PLACES, type ComponentsYiwang } from '../../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang } from '../testing.ts';

interface LdConnection {
  queryEntities(o: Record<string, unknown>): Promise<{ results: Array<Record<string, any>>; count?: number }>;
  getEntity(o: Record<string, unknown>): Promise<{ entity: Record<string, any> }>;
  queryTemporalEntities(o: Record<string, unknown>): Promise<{ results: Array<Record<string, any>> }>;
  createSubscription(s: Record<string, unknown>): Promise<{ subscription: { id: string } }>;
  getSubscription(o: Record<string, unknown>): Promise<{ subscription: Record<string, any> }>;
  listSubscriptions(o?: Record<string, unknown>): Promise<{ results: Array<Record<string, any>> }>;
  deleteSubscription(o: Record<string, unknown>): Promise<unknown>;
}

for (const dialect of DIALECTS) {
  describe(`NGSI-LD through an existing client library, ngsijs (${dialect})`, () => {
    let y: ComponentsYiwang;
    let ld: LdConnection;
    let high: string;
    let low: string;
    const notified: any[] = [];
    let receiver: http.Server;
    let receiverUrl: string;

    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator']);
      await y.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(y.app.server.address() as AddressInfo).port}/`;
      ld = new NGSI.Connection(base, { headers: { cookie: y.as['lujiazui.operator']!.cookie } }).ld;
      receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          notified.push(JSON.parse(body));
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;

      const [lon, lat] = PLACES.lujiazui;
      high = (await registerDevice(y, 'lujiazui.operator', { name: '高水位' })).id;
      low = (await registerDevice(y, 'lujiazui.operator', { name: '低水位', point: [lon + 0.004, lat] })).id;
      const now = y.clock.now();
      const res = await y.app.inject({
        method: 'POST',
        url: '/api/telemetry',
        headers: await gatewayToken(y, '310115'),
        payload: { readings: [{ deviceId: high, ts: now - 60_000, values: { waterLevel: 4.6 } }, { deviceId: high, ts: now, values: { waterLevel: 4.9 } }, { deviceId: low, ts: now, values: { waterLevel: 2.1 } }] },
      });
      assert.equal(res.json().accepted, 3, res.body);
    });
    after(async () => {
      await y?.close();
      receiver?.closeAllConnections();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    test('queryEntities by type with q, attrs, count and a geo-query; getEntity by its URN', async () => {
      const gauges = await ld.queryEntities({ type: 'WaterLevelGauge', count: true });
      assert.equal(gauges.count, 2);
      assert.deepEqual(gauges.results.map((e) => e.id).sort(), [`urn:ngsi-ld:WaterLevelGauge:${high}`, `urn:ngsi-ld:WaterLevelGauge:${low}`].sort());
      const over = await ld.queryEntities({ type: 'WaterLevelGauge', q: 'waterLevel>4.5', attrs: ['waterLevel'] });
      assert.equal(over.results.length, 1);
      assert.equal(over.results[0]!.waterLevel.type, 'Property');
      assert.equal(over.results[0]!.waterLevel.value, 4.9);
      const [lon, lat] = PLACES.lujiazui;
      const near = await ld.queryEntities({ type: 'WaterLevelGauge', georel: 'near;maxDistance==200', geometry: 'Point', coordinates: `[${lon},${lat}]` });
      assert.deepEqual(near.results.map((e) => e.id), [`urn:ngsi-ld:WaterLevelGauge:${high}`]);

      const { entity } = await ld.getEntity({ id: `urn:ngsi-ld:WaterLevelGauge:${high}` });
      assert.equal(entity.type, 'WaterLevelGauge');
      assert.deepEqual(entity.location, { type: 'GeoProperty', value: { type: 'Point', coordinates: PLACES.lujiazui } });
      assert.match(String(entity['@context']), /ngsi-ld-core-context/);
      await assert.rejects(ld.getEntity({ id: 'urn:ngsi-ld:WaterLevelGauge:nope' }), (err: Error) => err.name === 'NotFoundError' || /not ?found/i.test(err.message));
    });

    test('queryTemporalEntities: readings over time, oldest first', async () => {
      const { results } = await ld.queryTemporalEntities({ type: 'WaterLevelGauge', attrs: ['waterLevel'], timerel: 'before', timeAt: new Date(y.clock.now() + 1000), q: 'waterLevel>4.5' });
      assert.equal(results.length, 1);
      assert.deepEqual(results[0]!.waterLevel.map((p: { value: number }) => p.value), [4.6, 4.9]);
    });

    test('createSubscription, get and list it; a reading notifies its endpoint; deleteSubscription', async () => {
      const { subscription } = await ld.createSubscription({
        type: 'Subscription',
        entities: [{ type: 'WaterLevelGauge' }],
        watchedAttributes: ['waterLevel'],
        q: 'waterLevel>5',
        notification: { endpoint: { uri: receiverUrl, accept: 'application/json' } },
      });
      assert.match(subscription.id, /^urn:ngsi-ld:Subscription:/);
      assert.equal((await ld.getSubscription({ id: subscription.id })).subscription.id, subscription.id);
      assert.ok((await ld.listSubscriptions()).results.some((s) => s.id === subscription.id));

      y.clock.advance(1000);
      const res = await y.app.inject({ method: 'POST', url: '/api/telemetry', headers: await gatewayToken(y, '310115'), payload: { readings: [{ deviceId: high, ts: y.clock.now(), values: { waterLevel: 5.3 } }] } });
      assert.equal(res.statusCode, 200, res.body);
      for (let i = 0; i < 500 && notified.length === 0; i++) await sleep(10);
      assert.equal(notified.length, 1, 'notified once');
      assert.equal(notified[0].subscriptionId, subscription.id);
      assert.equal(notified[0].data[0].waterLevel.value, 5.3);

      await ld.deleteSubscription({ id: subscription.id });
      await assert.rejects(ld.getSubscription({ id: subscription.id }));
    });
  });
}
