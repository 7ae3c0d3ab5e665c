import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../testing.ts';

// Bad input of every kind gets a 4xx problem+json naming the field, never a 500. The batch-locate
// route stands in for any JSON-body route: the mapping is done once, in platform/http.
for (const dialect of DIALECTS) {
  describe(`problem+json for bad input (${dialect})`, () => {
    let y: TestYiwang;
    before(async () => {
      y = await startTestYiwang(dialect, { env: { YIWANG_BODY_LIMIT: '4096' } });
    });
    after(async () => y?.close());

    const post = (payload: string, contentType = 'application/json') =>
      y.app.inject({ method: 'POST', url: '/api/jurisdictions/locate', payload, headers: { 'content-type': contentType } });

    function assertProblem(res: Awaited<ReturnType<typeof post>>, status: number, code: string, field?: string) {
      assert.equal(res.statusCode, status, res.body);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const p = res.json();
      assert.equal(p.code, code);
      assert.equal(p.status, status);
      assert.ok(p.title && p.detail && p.type, 'title, detail and type are present');
      if (field) assert.equal(p.field, field);
      return p;
    }

    test('malformed JSON is a 400 BODY_MALFORMED', async () => {
      assertProblem(await post('{"points": [[121.5, 31.2]'), 400, 'BODY_MALFORMED', 'body');
    });

    test('an empty JSON body is a 400', async () => {
      const res = await post('');
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    });

    test('an oversized body is a 413 BODY_TOO_LARGE', async () => {
      const points = Array.from({ length: 400 }, () => [121.5, 31.2]);
      assertProblem(await post(JSON.stringify({ points })), 413, 'BODY_TOO_LARGE', 'body');
    });

    test('a value out of range is a 400 naming the exact field', async () => {
      const p = assertProblem(await post(JSON.stringify({ points: [[121.5, 31.2], [200, 31]] })), 400, 'FIELD_INVALID', 'points.1.0');
      assert.match(p.detail, /points\.1\.0/);
    });

    test('a missing field is a 400 FIELD_REQUIRED naming it', async () => {
      assertProblem(await post('{}'), 400, 'FIELD_REQUIRED', 'points');
    });

    test('an unknown field is refused by name', async () => {
      const p = assertProblem(await post(JSON.stringify({ points: [[121.5, 31.2]], pionts: [] })), 400, 'FIELD_INVALID', 'pionts');
      assert.match(p.detail, /not a known field/);
    });

    test('a wrong type is a 400', async () => {
      const p = assertProblem(await post(JSON.stringify({ points: [['east', 31]] })), 400, 'FIELD_INVALID', 'points.0.0');
      assert.match(p.detail, /must be number/);
    });

    test('an unsupported content type is a 415', async () => {
      assertProblem(await post('points=1', 'application/x-www-form-urlencoded'), 415, 'MEDIA_TYPE_UNSUPPORTED');
    });

    test('an unknown route is a 404 and a wrong method on a known path too, both problem+json', async () => {
      assertProblem(await y.app.inject('/api/no/such/route'), 404, 'ROUTE_NOT_FOUND');
      assertProblem(await y.app.inject({ method: 'DELETE', url: '/api/jurisdictions/locate' }), 404, 'ROUTE_NOT_FOUND');
    });

    test('NUL characters and unpaired surrogates are a 400 naming the field, also where the database would choke', async () => {
      const login = await y.app.inject({ method: 'POST', url: '/api/auth/login', payload: JSON.stringify({ username: 'a\u0000b', password: 'x' }), headers: { 'content-type': 'application/json' } });
      assertProblem(login, 400, 'FIELD_INVALID', 'username');
      const surrogate = await y.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{"username":"x\\ud800","password":"x"}', headers: { 'content-type': 'application/json' } });
      assertProblem(surrogate, 400, 'FIELD_INVALID', 'username');
      assertProblem(await y.app.inject('/api/jurisdictions/search?q=%00'), 400, 'FIELD_INVALID', 'q');
    });

    test('a write from a page of another site is refused; the same site and non-browser clients pass', async () => {
      const body = JSON.stringify({ points: [[121.5, 31.2]] });
      const send = (origin?: string) =>
        y.app.inject({ method: 'POST', url: '/api/jurisdictions/locate', payload: body, headers: { 'content-type': 'application/json', host: 'yiwang.example:8080', ...(origin ? { origin } : {}) } });
      const evil = await send('https://evil.example');
      assertProblem(evil, 403, 'ORIGIN_FORBIDDEN', 'origin');
      assertProblem(await send('null'), 403, 'ORIGIN_FORBIDDEN');
      assert.equal((await send('https://yiwang.example:8080')).statusCode, 200, 'same host');
      assert.equal((await send()).statusCode, 200, 'no Origin: not a browser page');
      assert.equal((await y.app.inject({ url: '/api/jurisdictions/search?q=x', headers: { origin: 'https://evil.example' } })).statusCode, 200, 'reads are not writes');
    });

    test('the server keeps serving after all of that', async () => {
      const res = await post(JSON.stringify({ points: [[116.4, 39.9]] }));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { results: [null] });
    });
  });
}
