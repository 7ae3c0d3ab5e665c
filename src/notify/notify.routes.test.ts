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
 * in `x-test-roles` (comma-separated, default citizen). Keeps these tests independent of org.
 */
const headerAuthenticator: Authenticator = {
  async authenticate(req: FastifyRequest) {
    const id = req.headers['x-test-account'];
    if (typeof id !== 'string' || !id) return null;
    const roles = String(req.headers['x-test-roles'] ?? 'citizen').split(',') as Role[];
    return principal(id, roles);
  },
};

const as = (accountId: string, roles = 'citizen') => ({ 'x-test-account': accountId, 'x-test-roles': roles });

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
      // Someone else's preferences are untouched.
      assert.equal((await call({ url: '/api/messages/preferences', headers: as('zhang') })).json().webhook.url, null);
      const bad = await call({ method: 'PUT', url: '/api/messages/preferences', headers: as('qian'), payload: { webhook: { url: 'gopher://old.example/' } } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'FIELD_INVALID');
      assert.equal(bad.json().field, 'webhook.url');
      const unknown = await call({ method: 'PUT', url: '/api/messages/preferences', headers: as('qian'), payload: { sms: true } });
      assert.equal(unknown.statusCode, 400);
    });

    test('an official sends a message (201, audited) and the citizen finds it; a citizen gets 403', async () => {
      const payload = { recipientId: 'feng', topic: 'application', title: '材料补正通知', body: `请补充营业执照副本 ${XSS}`, link: '/portal/applications/42' };
      const denied = await call({ method: 'POST', url: '/api/messages', headers: as('chen'), payload });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 'ROLE_FORBIDDEN');
      const sent = await call({ method: 'POST', url: '/api/messages', headers: as('officer-9', 'staff'), payload });
      assert.equal(sent.statusCode, 201, sent.body);
      const { id } = sent.json();
      const inbox = (await call({ url: '/api/messages', headers: as('feng') })).json();
      assert.equal(inbox.items[0].id, id);
      assert.equal(inbox.items[0].link, '/portal/applications/42');
      const [entry] = await y.ctx.audit.forSubject('notify_message', id);
      assert.equal(entry.action, 'notify.message.sent');
      assert.equal(entry.actor_id, 'officer-9');
      const invalid = await call({ method: 'POST', url: '/api/messages', headers: as('officer-9', 'staff'), payload: { ...payload, link: 'javascript:alert(1)' } });
      assert.equal(invalid.statusCode, 400);
      assert.equal(invalid.json().field, 'link');
      const missing = await call({ method: 'POST', url: '/api/messages', headers: as('officer-9', 'staff'), payload: { topic: 'system', title: 't', body: 'b' } });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().code, 'FIELD_REQUIRED');
    });

    test('the message routes are in the OpenAPI document', async () => {
      const doc = (await call({ url: '/api/openapi.json' })).json();
      for (const p of ['/api/messages', '/api/messages/{id}/read', '/api/messages/read-all', '/api/messages/preferences', '/api/messages/topics']) {
        assert.ok(doc.paths[p], p);
      }
    });
  });
}
