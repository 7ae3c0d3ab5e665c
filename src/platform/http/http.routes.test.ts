import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../testing.ts';

for (const dialect of DIALECTS) {
  describe(`platform http (${dialect})`, () => {
    let y: TestYiwang;
    before(async () => {
      y = await startTestYiwang(dialect, { env: { YIWANG_BODY_LIMIT: '2048' } });
    });
    after(async () => y?.close());

    test('healthz answers and readyz reports database and bus', async () => {
      assert.equal((await y.app.inject('/healthz')).statusCode, 200);
      const ready = await y.app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json().checks, { database: 'ok', bus: 'ok' });
      assert.equal(ready.json().dialect, dialect);
    });

    test('an unknown route is a 404 problem+json naming the route', async () => {
      const res = await y.app.inject('/api/nope');
      assert.equal(res.statusCode, 404);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(res.json().code, 'ROUTE_NOT_FOUND');
      assert.match(res.json().detail, /\/api\/nope/);
    });

    test('metrics are Prometheus text with request counts by route, bus lag and pool', async () => {
      await y.app.inject('/healthz');
      const res = await y.app.inject('/metrics');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /yiwang_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      assert.match(res.body, /yiwang_http_request_duration_seconds_bucket/);
      assert.match(res.body, /yiwang_bus_lag_seconds/);
      assert.match(res.body, /yiwang_db_pool_connections\{dialect="\w+",state="total"\}/);
    });

    test('OpenAPI 3 document and docs page are served', async () => {
      const doc = await y.app.inject('/api/openapi.json');
      assert.equal(doc.statusCode, 200);
      assert.match(doc.json().openapi, /^3\./);
      const page = await y.app.inject('/api/docs/');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /swagger/i);
    });

    test('readyz answers 503 naming the service that is down, without its error text', async () => {
      await y.ctx.bus.close(); // last test of the suite: the bus stays down
      const res = await y.app.inject('/readyz');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().status, 'unavailable');
      assert.deepEqual(res.json().checks, { database: 'ok', bus: 'unreachable' });
    });
  });
}
