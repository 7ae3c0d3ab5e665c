import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest, InjectOptions } from 'fastify';
import type { Role } from '../platform/access.ts';
import type { Authenticator } from '../platform/context.ts';
import { DIALECTS } from '../platform/db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../platform/testing.ts';
import { makeSendInput, notifyTestModules, principal, testClock, XSS, type TestClock } from './testing.ts';

/**
 * Stands in for org's authenticator: `x-test-account: <id>` signs in as that account, with the roles
 * in `x-test-roles` (comma-separated, default citizen), officials in the scope `x-test-scope`
 * (default 陆家嘴 310115005), through a session or, with `x-test-via: token`, an API token.
 * Keeps these tests independent of org.
 */
const headerAuthenticator: Authenticator = {
  async authenticate(req: FastifyRequest) {
    const id = req.headers['x-test-account'];
    if (typeof id !== 'string' || !id) return null;
    const roles = String(req.headers['x-test-roles'] ?? 'citizen').split(',') as Role[];
    const scope = typeof req.headers['x-test-scope'] === 'string' ? req.headers['x-test-scope'] : null;
    return principal(id, roles, scope, req.headers['x-test-via'] === 'token' ? 'token' : 'session');
  },
};

const as = (accountId: string, roles = 'citizen', scope?: string) => ({ 'x-test-account': accountId, 'x-test-roles': roles, ...(scope ? { 'x-test-scope': scope } : {}) });
const viaToken = (accountId: string, roles = 'staff', scope?: string) => ({ ...as(accountId, roles, scope), 'x-test-via': 'token' });

/** Stands in for org's accounts: who exists and where each is filed (citizens under the city). */
const DIRECTORY = new Map<string, string>([
  ['feng', '310000'],
  ['lujiazui-operator', '310115005'],
  ['waitan-operator', '310101013'],
]);

/** Asserts a 4xx problem+json reply (never a 500), optionally of this code and field. */
function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }, status: number, code?: string, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  if (code) assert.equal(res.json().code, code);
  if (field) assert.equal(res.json().field, field);
}

for (const dialect of DIALECTS) {
  describe(`notify routes (${dialect})`, () => {
    let y: TestYiwang;
    let clock: TestClock;
    const call = (o: InjectOptions) => y.app.inject(o);
    const send = async (recipientId: string, over: Parameters<typeof makeSendInput>[0] | object = {}) => {
      clock.advance(1000);
      return (await y.ctx.services.notify.send(null, makeSendInput({ recipientId, ...over }))).id;
    };

    before(async () => {
      clock = testClock();
      y = await startTestYiwang(dialect, { modules: notifyTestModules(), clock });
      y.ctx.authenticator = headerAuthenticator;
      y.ctx.services.notify.useRecipientLookup(async (id) => (DIRECTORY.has(id) ? { jurisdictionCode: DIRECTORY.get(id)! } : null));
    });
    after(async () => y?.close());

    test('without signing in the inbox is 401 AUTH_REQUIRED', async () => {
      for (const [method, url] of [['GET', '/api/messages'], ['GET', '/api/messages/preferences'], ['POST', '/api/messages/read-all']] as const) {
        const res = await call({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
        assert.equal(res.statusCode, 401, url);
        assert.equal(res.json().code, 'AUTH_REQUIRED');
      }
    });

    test('a citizen sees only their own messages, with unread counts per topic', async () => {
      const mine = [await send('zhang', { topic: 'case' }), await send('zhang', { topic: 'application' })];
      await send('li', { topic: 'case', title: '李先生的消息' });
      const res = await call({ url: '/api/messages', headers: as('zhang') });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(body.items.map((m: { id: string }) => m.id), [mine[1], mine[0]]);
      assert.deepEqual(Object.keys(body.items[0]).sort(), ['body', 'createdAt', 'id', 'link', 'readAt', 'subject', 'title', 'topic']);
      assert.ok(body.items.every((m: { title: string }) => !m.title.includes('李先生')));
      assert.equal(body.unreadByTopic.case, 1);
      assert.equal(body.unreadByTopic.application, 1);
      assert.equal(body.unreadTotal, 2);
      assert.equal(body.nextCursor, null);
      assert.ok(body.items[0].title.includes(XSS), 'the API returns text as data; escaping is the screen\'s job');
    });

    test('another person\'s message cannot be read or marked read: 404, and it stays unread', async () => {
      const id = await send('wang');
      for (const who of [as('zhao'), as('staff-1', 'staff'), as('admin-1', 'admin')]) {
        assert.equal((await call({ url: `/api/messages/${id}`, headers: who })).statusCode, 404);
        const res = await call({ method: 'POST', url: `/api/messages/${id}/read`, headers: who });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().code, 'MESSAGE_NOT_FOUND');
      }
      const own = await call({ url: `/api/messages/${id}`, headers: as('wang') });
      assert.equal(own.statusCode, 200);
      assert.equal(own.json().readAt, null);
    });

    test('marking read: one message, then all of a topic, then all', async () => {
      const a = await send('sun', { topic: 'alert' });
      await send('sun', { topic: 'alert' });
      await send('sun', { topic: 'system' });
      const one = await call({ method: 'POST', url: `/api/messages/${a}/read`, headers: as('sun') });
      assert.equal(one.statusCode, 200);
      assert.equal(one.json().readAt, clock.now());
      const topic = await call({ method: 'POST', url: '/api/messages/read-all', headers: as('sun'), payload: { topic: 'alert' } });
      assert.deepEqual(topic.json(), { updated: 1 });
      const unread = await call({ url: '/api/messages?unread=true', headers: as('sun') });
      assert.deepEqual(unread.json().items.map((m: { topic: string }) => m.topic), ['system']);
      const all = await call({ method: 'POST', url: '/api/messages/read-all', headers: as('sun') });
      assert.equal(all.statusCode, 200, all.body);
      assert.deepEqual(all.json(), { updated: 1 });
      const bad = await call({ method: 'POST', url: '/api/messages/read-all', headers: as('sun'), payload: { topic: 'gossip' } });
      assert.equal(bad.statusCode, 400);
    });

    test('paging with limit and cursor, filtered by topic; a forged cursor is a 400', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await send('zhou', { topic: 'case' }));
      await send('zhou', { topic: 'alert' });
      const p1 = (await call({ url: '/api/messages?topic=case&limit=3', headers: as('zhou') })).json();
      assert.deepEqual(p1.items.map((m: { id: string }) => m.id), [ids[4], ids[3], ids[2]]);
      const p2 = (await call({ url: `/api/messages?topic=case&limit=3&cursor=${p1.nextCursor}`, headers: as('zhou') })).json();
      assert.deepEqual(p2.items.map((m: { id: string }) => m.id), [ids[1], ids[0]]);
      assert.equal(p2.nextCursor, null);
      const forged = await call({ url: '/api/messages?cursor=abc', headers: as('zhou') });
      assert.equal(forged.statusCode, 400);
      assert.equal(forged.json().field, 'cursor');
      assert.equal((await call({ url: '/api/messages?limit=500', headers: as('zhou') })).statusCode, 400);
    });

    test('topics come with zh-CN and English labels', async () => {
      const res = await call({ url: '/api/messages/topics' });
      assert.equal(res.statusCode, 200);
      const caseTopic = res.json().items.find((t: { topic: string }) => t.topic === 'case');
      assert.deepEqual(caseTopic.label, { zh: '案件处置', en: 'Cases' });
      assert.deepEqual(res.json().channels, ['webhook']);
    });

    test('preferences: read, set a webhook for a topic, refuse a non-http URL naming the field', async () => {
      const got = await call({ url: '/api/messages/preferences', headers: as('qian') });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json().topics.alert, { inbox: true, webhook: false });
      const put = await call({
        method: 'PUT',
        url: '/api/messages/preferences',
        headers: as('qian'),
        payload: { webhook: { url: 'https://hooks.example.com/q' }, topics: { alert: { webhook: true } } },
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().topics.alert.webhook, true);
      assert.match(put.json().webhook.secret, /^[0-9a-f]{64}$/);
      assert.deepEqual((await call({ url: '/api/messages/preferences', headers: as('qian') })).json().webhook, { url: 'https://hooks.example.com/q', secretSet: true });
      // Someone else's preferences are untouched.
      assert.equal((await call({ url: '/api/messages/preferences', headers: as('zhang') })).json().webhook.url, null);
      const bad = await call({ method: 'PUT', url: '/api/messages/preferences', headers: as('qian'), payload: { webhook: { url: 'gopher://old.example/' } } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'FIELD_INVALID');
      assert.equal(bad.json().field, 'webhook.url');
      const unknown = await call({ method: 'PUT', url: '/api/messages/preferences', headers: as('qian'), payload: { sms: true } });
      assert.equal(unknown.statusCode, 400);
    });

    test('a city-wide official sends a message (201, audited) and the citizen finds it; a citizen gets 403', async () => {
      const payload = { recipientId: 'feng', topic: 'application', title: '材料补正通知', body: `请补充营业执照副本 ${XSS}`, link: '/portal/applications/42' };
      const denied = await call({ method: 'POST', url: '/api/messages', headers: as('chen'), payload });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 'ROLE_FORBIDDEN');
      const sent = await call({ method: 'POST', url: '/api/messages', headers: as('officer-9', 'staff', '310000'), payload });
      assert.equal(sent.statusCode, 201, sent.body);
      const { id } = sent.json();
      const inbox = (await call({ url: '/api/messages', headers: as('feng') })).json();
      assert.equal(inbox.items[0].id, id);
      assert.equal(inbox.items[0].link, '/portal/applications/42');
      const [entry] = await y.ctx.audit.forSubject('notify_message', id);
      assert.equal(entry.action, 'notify.message.sent');
      assert.equal(entry.actor_id, 'officer-9');
      const invalid = await call({ method: 'POST', url: '/api/messages', headers: as('officer-9', 'staff', '310000'), payload: { ...payload, link: 'javascript:alert(1)' } });
      assert.equal(invalid.statusCode, 400);
      assert.equal(invalid.json().field, 'link');
      const missing = await call({ method: 'POST', url: '/api/messages', headers: as('officer-9', 'staff', '310000'), payload: { topic: 'system', title: 't', body: 'b' } });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().code, 'FIELD_REQUIRED');
    });

    test('a street official cannot message a citizen or another street (403 SCOPE_FORBIDDEN, as for no account at all), only their own street', async () => {
      const payload = (recipientId: string) => ({ recipientId, topic: 'system', title: '值班安排', body: '今晚加强巡查。' });
      const grid = as('grid-7', 'grid_worker', '310115005');
      const answers = [];
      for (const recipientId of ['waitan-operator', 'feng', 'nobody-here']) {
        const res = await call({ method: 'POST', url: '/api/messages', headers: grid, payload: payload(recipientId) });
        assertProblem(res, 403, 'SCOPE_FORBIDDEN', 'recipientId');
        const { instance: _i, detail, ...rest } = res.json();
        answers.push({ ...rest, detail: detail.replace(recipientId, '<id>') });
      }
      assert.deepEqual(answers[0], answers[2]);
      assert.deepEqual(answers[1], answers[2]);
      assert.equal((await call({ method: 'POST', url: '/api/messages', headers: grid, payload: payload('lujiazui-operator') })).statusCode, 201);
      // A system's API token is held to the same rule.
      const device = viaToken('device-3', 'system', '310115005');
      assertProblem(await call({ method: 'POST', url: '/api/messages', headers: device, payload: payload('waitan-operator') }), 403, 'SCOPE_FORBIDDEN', 'recipientId');
      assert.equal((await call({ method: 'POST', url: '/api/messages', headers: device, payload: payload('lujiazui-operator') })).statusCode, 201);
      assert.equal((await call({ url: '/api/messages', headers: as('waitan-operator', 'operator', '310101013') })).json().items.length, 0);
    });

    test('a message sent through the API may not link to another site (phishing)', async () => {
      const payload = { recipientId: 'feng', topic: 'account', title: '请重新登录', body: '您的账户存在风险，请立即重新登录。' };
      const admin = as('admin-2', 'admin', '310000');
      for (const link of ['https://evil.example/login', '//evil.example/login', '/\\evil.example/login', 'HTTP://evil.example']) {
        assertProblem(await call({ method: 'POST', url: '/api/messages', headers: admin, payload: { ...payload, link } }), 400, 'FIELD_INVALID', 'link');
      }
      assert.equal((await call({ method: 'POST', url: '/api/messages', headers: admin, payload: { ...payload, link: '/portal/account' } })).statusCode, 201);
    });

    test('the webhook secret is shown only when made or rotated; an API token can neither see nor rotate it', async () => {
      const rotate = (headers: Record<string, string>) => call({ method: 'POST', url: '/api/messages/preferences/webhook-secret', headers });
      assertProblem(await rotate(as('hua')), 400, 'FIELD_INVALID', 'webhook.url');
      const set = await call({ method: 'PUT', url: '/api/messages/preferences', headers: as('hua', 'staff'), payload: { webhook: { url: 'https://hooks.example.com/hua' } } });
      const first = set.json().webhook.secret;
      assert.match(first, /^[0-9a-f]{64}$/);
      const rotated = await rotate(as('hua', 'staff'));
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.match(rotated.json().webhook.secret, /^[0-9a-f]{64}$/);
      assert.notEqual(rotated.json().webhook.secret, first);
      const token = viaToken('hua');
      const read = await call({ url: '/api/messages/preferences', headers: token });
      assert.deepEqual(read.json().webhook, { url: 'https://hooks.example.com/hua', secretSet: true });
      assert.ok(!read.body.includes(rotated.json().webhook.secret));
      assertProblem(await rotate(token), 403, 'SESSION_REQUIRED');
      assertProblem(await call({ method: 'PUT', url: '/api/messages/preferences', headers: token, payload: { webhook: { url: 'https://attacker.example/' } } }), 403, 'SESSION_REQUIRED');
      assertProblem(await rotate({}), 401, 'AUTH_REQUIRED');
      const notices = (await call({ url: '/api/messages?topic=account', headers: as('hua', 'staff') })).json().items.map((m: { title: string }) => m.title);
      assert.deepEqual(notices, ['消息推送签名密钥已更换', '消息推送地址已更改']);
    });

    test('NUL characters, lone surrogates and over-long encoded URLs are a 400 problem+json, never a 500', async () => {
      const admin = as('admin-3', 'admin', '310000');
      const message = { recipientId: 'feng', topic: 'system', title: '通知', body: '正文' };
      for (const [field, value] of [['title', 'x\u0000y'], ['title', 'x\ud800'], ['body', 'x\u0000y'], ['body', 'x\ud800'], ['link', '/portal/x\u0000y'], ['link', '/portal/\udc00']] as const) {
        assertProblem(await call({ method: 'POST', url: '/api/messages', headers: admin, payload: { ...message, [field]: value } }), 400, 'FIELD_INVALID', field);
      }
      const put = (url: string) => call({ method: 'PUT', url: '/api/messages/preferences', headers: as('lin'), payload: { webhook: { url } } });
      for (const url of ['https://hooks.example.com/x\u0000y', 'https://hooks.example.com/x\ud800', 'https://hooks.example.com/' + 'é'.repeat(1900)]) {
        assertProblem(await put(url), 400, 'FIELD_INVALID', 'webhook.url');
      }
      // Just inside the limit once encoded: stored and given back as encoded.
      const fits = 'https://hooks.example.com/' + 'é'.repeat(329);
      const ok = await put(fits);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().webhook.url, new URL(fits).href);
      assert.equal(new URL(fits).href.length, 2000);
      assert.equal((await call({ url: '/api/messages', headers: as('feng') })).statusCode, 200);
    });

    test('the message routes are in the OpenAPI document', async () => {
      const doc = (await call({ url: '/api/openapi.json' })).json();
      for (const p of ['/api/messages', '/api/messages/{id}/read', '/api/messages/read-all', '/api/messages/preferences', '/api/messages/preferences/webhook-secret', '/api/messages/topics']) {
        assert.ok(doc.paths[p], p);
      }
    });
  });
}
