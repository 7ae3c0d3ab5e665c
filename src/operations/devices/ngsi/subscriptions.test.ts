import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import dns from 'node:dns/promises';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { PLACES, type ComponentsYiwang } from '../../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang, TEST_NOTIFIER_OPTIONS } from '../testing.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  json: any;
}

/** A notification endpoint on a local port; `answer(n)` gives the status of the n-th request (from 1), or 'hang' never to answer. */
interface Endpoint {
  url: string;
  received: Received[];
  /** When each request arrived (performance.now()). */
  times: number[];
  /** Requests whose answer was 2xx. */
  answered: Received[];
  close(): Promise<void>;
}

async function endpoint(answer: (n: number) => number | 'hang' = () => 200): Promise<Endpoint> {
  const e: Endpoint = { url: '', received: [], times: [], answered: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      e.received.push(r);
      e.times.push(performance.now());
      const status = answer(e.received.length);
      if (status === 'hang') return;
      if (status < 300) e.answered.push(r);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  e.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  e.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return e;
}

/** Polls until `fn` gives something truthy, or fails naming what it waited for. */
async function until<T>(what: string, fn: () => T | Promise<T>, ms = 5000): Promise<NonNullable<T>> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

const NGSI_BAD_REQUEST = 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData';

for (const dialect of DIALECTS) {
  describe(`NGSI-LD subscriptions (${dialect})`, () => {
    let y: ComponentsYiwang;
    let token: { authorization: string };
    const endpoints: Endpoint[] = [];
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'waitan.operator']);
      token = await gatewayToken(y, '310115');
    });
    after(async () => {
      await y?.close();
      await Promise.all(endpoints.map((e) => e.close()));
    });
    const open = async (answer?: (n: number) => number | 'hang') => {
      const e = await endpoint(answer);
      endpoints.push(e);
      return e;
    };
    const call = (who: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
      y.app.inject({ method, url, headers: who ? y.as[who] : {}, payload: payload as object });
    const gaugeSub = (uri: string, over: Record<string, unknown> = {}) => ({
      type: 'Subscription',
      entities: [{ type: 'WaterLevelGauge' }],
      watchedAttributes: ['waterLevel'],
      notification: { endpoint: { uri, accept: 'application/json' } },
      ...over,
    });
    /** Creates a subscription as `who`; its id from the Location header. */
    const subscribe = async (body: unknown, who = 'lujiazui.operator'): Promise<string> => {
      const res = await call(who, 'POST', '/ngsi-ld/v1/subscriptions', body);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.body, '', 'a 201 has no body, only its Location');
      const location = String(res.headers.location);
      assert.match(location, /^\/ngsi-ld\/v1\/subscriptions\/urn:ngsi-ld:Subscription:[0-9a-f-]{36}$/);
      return location.split('/').pop()!;
    };
    /** Posts one reading a second after the last (a repeat of the same time would be the same reading). */
    const post = async (deviceId: string, values: Record<string, number>, auth = token) => {
      y.clock.advance(1000);
      const res = await y.app.inject({ method: 'POST', url: '/api/telemetry', headers: auth, payload: { readings: [{ deviceId, ts: y.clock.now(), values }] } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().refused.length, 0, res.body);
    };
    const getSub = async (id: string, who = 'lujiazui.operator') => (await call(who, 'GET', `/ngsi-ld/v1/subscriptions/${id}`)).json();

    test('a subscription with q is notified of a matching reading (normalized, with observedAt), and not of others', async () => {
      const gauge = (await registerDevice(y, 'lujiazui.operator', { name: '高水位' })).id;
      const e = await open();
      const id = await subscribe(gaugeSub(e.url, { q: 'waterLevel>4.5' }));

      await post(gauge, { waterLevel: 4.8 });
      const at = y.clock.now();
      await until('the first notification', () => e.received.length);
      const first = e.received[0];
      assert.equal(first!.headers['content-type'], 'application/json');
      assert.match(String(first!.headers.link), /ngsi-ld-core-context.*rel="http:\/\/www.w3.org\/ns\/json-ld#context"/);
      const n = first!.json;
      assert.match(n.id, /^urn:ngsi-ld:Notification:/);
      assert.equal(n.type, 'Notification');
      assert.equal(n.subscriptionId, id);
      assert.equal(n.notifiedAt, new Date(at).toISOString());
      assert.equal(n.data.length, 1);
      const entity = n.data[0];
      assert.equal(entity.id, `urn:ngsi-ld:WaterLevelGauge:${gauge}`);
      assert.equal(entity.type, 'WaterLevelGauge');
      assert.deepEqual(entity.waterLevel, { type: 'Property', value: 4.8, observedAt: new Date(at).toISOString(), unitCode: 'MTR' });
      assert.deepEqual(entity.location, { type: 'GeoProperty', value: { type: 'Point', coordinates: PLACES.lujiazui } });

      // Below the threshold, then a change of an attribute not watched: neither is notified, so the
      // next notification to arrive is the one for 4.7 (a lane delivers in order).
      await post(gauge, { waterLevel: 4.0 });
      await post(gauge, { supplyVoltage: 12.1 });
      await post(gauge, { waterLevel: 4.7 });
      await until('the second notification', () => e.received.length >= 2);
      assert.equal(e.received[1]!.json.data[0].waterLevel.value, 4.7);
      assert.equal(e.received[1]!.json.data[0].supplyVoltage.value, 12.1, 'the entity is sent whole, as it is now');
      await y.ctx.services.ngsiSubscriptions.notifier.idle();
      assert.equal(e.received.length, 2);

      const shown = await until('both deliveries recorded', async () => {
        const s = await getSub(id);
        return s.notification.timesSent === 2 ? s : null;
      });
      assert.equal(shown.notification.status, 'ok');
      assert.equal(shown.notification.lastSuccess, new Date(y.clock.now()).toISOString());
      assert.deepEqual(shown.entities, [{ type: 'WaterLevelGauge' }]);
      assert.equal(shown.q, 'waterLevel>4.5');
      await call('lujiazui.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${id}`);
    });

    test('a dead endpoint and a failing one delay nobody else; the failing one gets it after retries, the dead one shows its error', async () => {
      const gauge = (await registerDevice(y, 'lujiazui.operator', { name: '桥下' })).id;
      const dead = await open(() => 'hang');
      const flaky = await open((n) => (n <= 2 ? 500 : 200));
      const healthy = await open();
      // Made first, so a shared queue would put the dead one ahead of the others.
      const deadId = await subscribe(gaugeSub(dead.url));
      const flakyId = await subscribe(gaugeSub(flaky.url));
      const healthyId = await subscribe(gaugeSub(healthy.url));

      const sent = performance.now();
      await post(gauge, { waterLevel: 3.3 });
      await until('the healthy endpoint', () => healthy.answered.length);
      const took = healthy.times[0]! - sent;
      assert.ok(took < TEST_NOTIFIER_OPTIONS.timeoutMs! / 2, `the healthy endpoint waited ${Math.round(took)} ms`);
      await until('the dead endpoint to have the request, unanswered', () => dead.received.length);
      assert.equal((await getSub(deadId)).notification.lastFailure, undefined, 'and it has not timed out yet');

      await until('the flaky endpoint to succeed', () => flaky.answered.length);
      assert.equal(flaky.received.length, 3, 'two failures, then success');
      assert.deepEqual(flaky.answered[0]!.json.data.map((x: { waterLevel: { value: number } }) => x.waterLevel.value), [3.3]);
      // The endpoint has answered; the success is recorded just after.
      const f = await until('the flaky success recorded', async () => {
        const s = await getSub(flakyId);
        return s.notification.timesSent === 1 ? s.notification : null;
      });
      assert.equal(f.status, 'ok');
      assert.match(f.lastError, /attempt 2 of 6: the endpoint answered HTTP 500/);
      assert.ok(f.lastSuccess && f.lastFailure);

      const d = await until('the dead endpoint\'s error', async () => {
        const s = await getSub(deadId);
        return s.notification.lastError ? s.notification : null;
      }, TEST_NOTIFIER_OPTIONS.timeoutMs! * 3);
      assert.match(d.lastError, /attempt 1 of 6: no answer within 2000 ms/);
      assert.equal(d.status, 'failed');
      assert.equal(d.timesSent, 0);
      assert.equal(d.lastSuccess, undefined);
      assert.equal(healthy.received.length, 1);
      await until('the healthy delivery recorded', async () => (await getSub(healthyId)).notification.timesSent === 1);
      for (const id of [deadId, flakyId, healthyId]) assert.equal((await call('lujiazui.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${id}`)).statusCode, 204);
    });

    test('throttling: one notification per period, the changes in between coalesced into the next (keyValues, chosen attributes, JSON-LD)', async () => {
      const gauge = (await registerDevice(y, 'lujiazui.operator', { name: '节流' })).id;
      const e = await open();
      const id = await subscribe(gaugeSub(e.url, { throttling: 1, notification: { endpoint: { uri: e.url, accept: 'application/ld+json' }, attributes: ['waterLevel'], format: 'keyValues' } }));
      await post(gauge, { waterLevel: 1.1 });
      await until('the first notification', () => e.received.length);
      await post(gauge, { waterLevel: 1.2 });
      await post(gauge, { waterLevel: 1.3 });
      await until('the second notification', () => e.received.length >= 2);
      assert.deepEqual(e.received.map((r) => r.json.data), [
        [{ id: `urn:ngsi-ld:WaterLevelGauge:${gauge}`, type: 'WaterLevelGauge', waterLevel: 1.1 }],
        [{ id: `urn:ngsi-ld:WaterLevelGauge:${gauge}`, type: 'WaterLevelGauge', waterLevel: 1.3 }],
      ]);
      assert.equal(e.received[0]!.headers['content-type'], 'application/ld+json');
      assert.match(e.received[0]!.json['@context'], /ngsi-ld-core-context/);
      assert.ok(e.times[1]! - e.times[0]! >= 950, `the second came ${Math.round(e.times[1]! - e.times[0]!)} ms after the first`);
      await call('lujiazui.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${id}`);
    });

    test('a host name that resolves to a private address is not notified (checked at each delivery, not only when subscribing)', async (t) => {
      // This machine's own name resolves to a loopback or private address on the development and CI machines.
      const host = os.hostname().toLowerCase();
      const addresses = await dns.lookup(host, { all: true }).catch(() => []);
      if (!addresses.some((a) => /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|f[cd])/.test(a.address))) return t.skip(`${host} does not resolve to a private address here`);
      const e = await open();
      const port = new URL(e.url).port;
      const gauge = (await registerDevice(y, 'lujiazui.operator', { name: '私网测试' })).id;
      const id = await subscribe(gaugeSub(`http://${host}:${port}/notify`));
      await post(gauge, { waterLevel: 3.3 });
      const f = await until('the refused delivery', async () => (await getSub(id)).notification.lastFailure && (await getSub(id)).notification);
      assert.match(f.lastError, /resolves to .*private, loopback or link-local address/);
      assert.equal(e.received.length, 0, 'nothing reached the endpoint');
      await call('lujiazui.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${id}`);
    });

    test('bad bodies are BadRequestData naming the field', async () => {
      const uri = 'http://127.0.0.1:9/n';
      const bad = async (body: unknown, field: string) => {
        const res = await call('lujiazui.operator', 'POST', '/ngsi-ld/v1/subscriptions', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.body}`);
        assert.equal(res.json().type, NGSI_BAD_REQUEST);
        assert.equal(res.json().field, field, res.body);
      };
      await bad(gaugeSub('ftp://example.com/n'), 'notification.endpoint.uri');
      await bad(gaugeSub('not a url'), 'notification.endpoint.uri');
      await bad({ ...gaugeSub(uri), notification: {} }, 'notification.endpoint');
      await bad({ ...gaugeSub(uri), type: 'Entity' }, 'type');
      await bad({ ...gaugeSub(uri), entities: [] }, 'entities');
      await bad({ ...gaugeSub(uri), entities: [{ type: 'Toaster' }] }, 'entities[0].type');
      await bad({ ...gaugeSub(uri), entities: [{ type: 'WaterLevelGauge', idPattern: '.*' }] }, 'entities[0].idPattern');
      await bad({ ...gaugeSub(uri), watchedAttributes: ['pm25'] }, 'watchedAttributes[0]');
      await bad({ ...gaugeSub(uri), q: 'waterLevel~4' }, 'q');
      await bad({ ...gaugeSub(uri), throttling: -1 }, 'throttling');
      await bad({ ...gaugeSub(uri), expiresAt: '2030-01-01T00:00:00Z' }, 'expiresAt');
      await bad({ ...gaugeSub(uri), notification: { endpoint: { uri }, format: 'concise' } }, 'notification.format');
      // Addresses only the server can reach are refused (127.0.0.1 itself is allowed in tests by YIWANG_NOTIFY_PRIVATE_HOSTS).
      for (const inside of ['http://10.1.2.3/n', 'http://169.254.169.254/latest/meta-data', 'http://localhost:8080/n', 'http://[::1]:8080/n', 'http://192.168.1.20/n', 'http://127.0.0.2/n', 'http://[::ffff:10.0.0.1]/n']) {
        const res = await call('lujiazui.operator', 'POST', '/ngsi-ld/v1/subscriptions', gaugeSub(inside));
        assert.equal(res.statusCode, 400, `${inside} → ${res.body}`);
        assert.equal(res.json().field, 'notification.endpoint.uri');
        assert.match(res.json().detail, /private, loopback or link-local address.*YIWANG_NOTIFY_PRIVATE_HOSTS/);
      }
      const ld = await y.app.inject({
        method: 'POST',
        url: '/ngsi-ld/v1/subscriptions',
        headers: { ...y.as['lujiazui.operator'], 'content-type': 'application/ld+json' },
        payload: JSON.stringify({ ...gaugeSub(uri), '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld' }),
      });
      assert.equal(ld.statusCode, 201, 'a JSON-LD body with its @context is understood');
      await call('lujiazui.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${String(ld.headers.location).split('/').pop()}`);
      assert.equal((await call(null, 'GET', '/ngsi-ld/v1/subscriptions')).statusCode, 401);
    });

    test('another street neither sees nor deletes a subscription, nor is notified of devices outside its own; deleting stops notifications', async () => {
      const gauge = (await registerDevice(y, 'lujiazui.operator', { name: '陆家嘴' })).id;
      const theirs = (await registerDevice(y, 'waitan.operator', { name: '外滩', point: PLACES.waitan })).id;
      const mine = await open();
      const other = await open();
      const id = await subscribe(gaugeSub(mine.url));
      const otherId = await subscribe(gaugeSub(other.url), 'waitan.operator');

      assert.equal((await call('waitan.operator', 'GET', `/ngsi-ld/v1/subscriptions/${id}`)).statusCode, 404);
      assert.equal((await call('waitan.operator', 'GET', `/ngsi-ld/v1/subscriptions/${id}`)).json().type, 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
      assert.equal((await call('waitan.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${id}`)).statusCode, 404);
      const listed = (await call('waitan.operator', 'GET', '/ngsi-ld/v1/subscriptions')).json();
      assert.deepEqual(listed.map((s: { id: string }) => s.id), [otherId]);
      assert.ok((await call('lujiazui.operator', 'GET', '/ngsi-ld/v1/subscriptions')).json().some((s: { id: string }) => s.id === id));

      // Lujiazui's reading first: were it sent to waitan's endpoint, it would arrive there first.
      await post(gauge, { waterLevel: 2.2 });
      await post(theirs, { waterLevel: 2.3 }, await gatewayToken(y, '310101'));
      await until('waitan\'s notification', () => other.received.length);
      assert.equal(other.received[0]!.json.data[0].id, `urn:ngsi-ld:WaterLevelGauge:${theirs}`);
      await until('lujiazui\'s notification', () => mine.received.length);
      assert.deepEqual(mine.received.map((r) => r.json.data[0].id), [`urn:ngsi-ld:WaterLevelGauge:${gauge}`]);

      assert.equal((await call('lujiazui.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${id}`)).statusCode, 204);
      assert.equal((await call('lujiazui.operator', 'GET', `/ngsi-ld/v1/subscriptions/${id}`)).statusCode, 404);
      await post(gauge, { waterLevel: 2.4 });
      await y.ctx.services.ngsiSubscriptions.notifier.idle();
      assert.equal(mine.received.length, 1, 'a deleted subscription is not notified');
      await call('waitan.operator', 'DELETE', `/ngsi-ld/v1/subscriptions/${otherId}`);
    });
  });
}
