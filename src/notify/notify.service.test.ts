import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../platform/errors.ts';
import { DIALECTS } from '../platform/db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../platform/testing.ts';
import type { NotifyService } from './notify.service.ts';
import { TOPICS } from './topics.ts';
import { makeSendInput, notifyTestModules, principal, testClock, XSS, type TestClock } from './testing.ts';

/** Asserts a promise fails with an AppError of this code (and field). */
async function rejectsWith(p: Promise<unknown>, code: string, field?: string) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError, got ${err}`);
    assert.equal(err.code, code);
    if (field) assert.equal(err.field, field);
    return true;
  });
}

for (const dialect of DIALECTS) {
  describe(`notify service (${dialect})`, () => {
    let y: TestYiwang;
    let clock: TestClock;
    let svc: NotifyService;
    let n = 0;
    /** A fresh recipient per test keeps inboxes apart. */
    const someone = () => `acct-${dialect}-${++n}`;
    /** Accounts the stand-in directory knows, with the jurisdiction org files them under. */
    const directory = new Map<string, string>();
    /** A fresh account filed under `jurisdictionCode` (citizens and companies: the city). */
    const account = (jurisdictionCode = '310000') => {
      const id = someone();
      directory.set(id, jurisdictionCode);
      return id;
    };
    const outboxOf = async (name: string, accountId: string) =>
      (await y.ctx.db.selectFrom('platform_outbox').select(['payload']).where('name', '=', name).orderBy('seq').execute())
        .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>)
        .filter((e) => e.accountId === accountId);
    const events = async (messageId: string) =>
      (await y.ctx.db.selectFrom('platform_outbox').select(['name', 'payload']).where('name', '=', 'notify.message.created').execute()).filter((r) =>
        JSON.stringify(r.payload).includes(messageId),
      );

    before(async () => {
      clock = testClock();
      y = await startTestYiwang(dialect, { modules: notifyTestModules(), clock });
      svc = y.ctx.services.notify;
      svc.useRecipientLookup(async (id) => (directory.has(id) ? { jurisdictionCode: directory.get(id)! } : null));
    });
    after(async () => y?.close());

    test('a message sent inside a committed transaction exists, with its event', async () => {
      const me = someone();
      const { id, created } = await y.ctx.transaction((tx) => svc.send(tx, makeSendInput({ recipientId: me, subject: { type: 'case', id: 'c-1' } })));
      assert.equal(created, true);
      const inbox = await svc.list(principal(me), {});
      assert.deepEqual(inbox.items.map((m) => m.id), [id]);
      assert.deepEqual(inbox.items[0].subject, { type: 'case', id: 'c-1' });
      assert.ok(inbox.items[0].title.includes(XSS), 'text is stored as given; clients render it as text');
      assert.equal((await events(id)).length, 1);
    });

    test('a message sent inside a rolled-back transaction never existed, and no event was published', async () => {
      const me = someone();
      let sentId = '';
      await assert.rejects(
        y.ctx.transaction(async (tx) => {
          sentId = (await svc.send(tx, makeSendInput({ recipientId: me }))).id;
          throw new Error('the case could not be closed');
        }),
      );
      assert.deepEqual((await svc.list(principal(me), {})).items, []);
      assert.equal((await events(sentId)).length, 0);
    });

    test('send(null, …) runs in a transaction of its own', async () => {
      const me = someone();
      const { id } = await svc.send(null, makeSendInput({ recipientId: me }));
      assert.equal((await svc.get(principal(me), id)).id, id);
    });

    test('a repeated dedupe key gives back the first message and creates nothing', async () => {
      const me = someone();
      const first = await svc.send(null, makeSendInput({ recipientId: me, dedupeKey: 'case:c-9:closed' }));
      const again = await svc.send(null, makeSendInput({ recipientId: me, dedupeKey: 'case:c-9:closed', title: 'different' }));
      assert.deepEqual(again, { id: first.id, created: false });
      // The same key for someone else is a different message.
      const other = await svc.send(null, makeSendInput({ recipientId: someone(), dedupeKey: 'case:c-9:closed' }));
      assert.equal(other.created, true);
      assert.equal((await svc.list(principal(me), {})).items.length, 1);
      assert.equal((await events(first.id)).length, 1);
    });

    test('sendMany sends in one transaction and answers in input order, deduplicating within the batch', async () => {
      const [a, b] = [someone(), someone()];
      const results = await svc.sendMany(null, [
        makeSendInput({ recipientId: a, topic: 'alert' }),
        makeSendInput({ recipientId: b, dedupeKey: 'k' }),
        makeSendInput({ recipientId: b, dedupeKey: 'k' }),
      ]);
      assert.deepEqual(results.map((r) => r.created), [true, true, false]);
      assert.equal(results[1].id, results[2].id);
      assert.equal((await svc.list(principal(b), {})).items.length, 1);
      assert.deepEqual(await svc.sendMany(null, []), []);
    });

    test('invalid messages are refused with the field named', async () => {
      const me = someone();
      await rejectsWith(svc.send(null, { ...makeSendInput({ recipientId: me }), topic: 'gossip' as never }), 'FIELD_INVALID', 'topic');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, title: '  ' })), 'FIELD_INVALID', 'title');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, body: 'x'.repeat(5001) })), 'FIELD_INVALID', 'body');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, link: 'javascript:alert(1)' })), 'FIELD_INVALID', 'link');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, link: '//evil.example/x' })), 'FIELD_INVALID', 'link');
      // Browsers read a backslash as a slash and drop tabs: both would lead to evil.example.
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, link: '/\\evil.example/x' })), 'FIELD_INVALID', 'link');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, link: '/\t/evil.example/x' })), 'FIELD_INVALID', 'link');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, title: 'x\u0000y' })), 'FIELD_INVALID', 'title');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, body: 'x\ud800' })), 'FIELD_INVALID', 'body');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: me, subject: { type: 'case', id: 'c'.repeat(129) } })), 'FIELD_INVALID', 'subject.id');
      await rejectsWith(svc.send(null, makeSendInput({ recipientId: '' })), 'FIELD_INVALID', 'recipientId');
      // One bad message in a batch sends none.
      await rejectsWith(svc.sendMany(null, [makeSendInput({ recipientId: me }), makeSendInput({ recipientId: me, title: '' })]), 'FIELD_INVALID', 'title');
      assert.equal((await svc.list(principal(me), {})).items.length, 0);
    });

    test('the inbox lists newest first, pages with a cursor, and filters by topic and unread', async () => {
      const me = someone();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        ids.push((await svc.send(null, makeSendInput({ recipientId: me, topic: i % 2 ? 'alert' : 'case', title: `第${i}条` }))).id);
      }
      const p = principal(me);
      const page1 = await svc.list(p, { limit: 2 });
      assert.deepEqual(page1.items.map((m) => m.id), [ids[4], ids[3]]);
      assert.ok(page1.nextCursor);
      const page2 = await svc.list(p, { limit: 2, cursor: page1.nextCursor! });
      assert.deepEqual(page2.items.map((m) => m.id), [ids[2], ids[1]]);
      const page3 = await svc.list(p, { limit: 2, cursor: page2.nextCursor! });
      assert.deepEqual(page3.items.map((m) => m.id), [ids[0]]);
      assert.equal(page3.nextCursor, null);

      assert.deepEqual((await svc.list(p, { topic: 'alert' })).items.map((m) => m.id), [ids[3], ids[1]]);
      await svc.markRead(p, ids[4]);
      assert.deepEqual((await svc.list(p, { unread: true })).items.map((m) => m.id), [ids[3], ids[2], ids[1], ids[0]]);
      const { unreadByTopic, unreadTotal } = await svc.list(p, {});
      assert.deepEqual(Object.keys(unreadByTopic).sort(), [...TOPICS].sort());
      assert.equal(unreadByTopic.case, 2);
      assert.equal(unreadByTopic.alert, 2);
      assert.equal(unreadByTopic.system, 0);
      assert.equal(unreadTotal, 4);
      await rejectsWith(svc.list(p, { cursor: 'bm9wZQ' }), 'FIELD_INVALID', 'cursor');
    });

    test('reading keeps the first read time; read-all marks one topic or all', async () => {
      const me = someone();
      const p = principal(me);
      const a = await svc.send(null, makeSendInput({ recipientId: me, topic: 'case' }));
      await svc.send(null, makeSendInput({ recipientId: me, topic: 'case' }));
      await svc.send(null, makeSendInput({ recipientId: me, topic: 'system' }));
      const firstRead = (await svc.markRead(p, a.id)).readAt;
      clock.advance(5000);
      assert.equal((await svc.markRead(p, a.id)).readAt, firstRead);
      assert.deepEqual(await svc.markAllRead(p, 'case'), { updated: 1 });
      assert.equal((await svc.list(p, {})).unreadByTopic.system, 1);
      assert.deepEqual(await svc.markAllRead(p), { updated: 1 });
      assert.equal((await svc.list(p, {})).unreadTotal, 0);
    });

    test('nobody reads or marks someone else\'s message, whatever their role', async () => {
      const owner = someone();
      const { id } = await svc.send(null, makeSendInput({ recipientId: owner }));
      for (const p of [principal(someone()), principal(someone(), ['admin'], '310000'), principal(someone(), ['operator'])]) {
        await rejectsWith(svc.get(p, id), 'MESSAGE_NOT_FOUND');
        await rejectsWith(svc.markRead(p, id), 'MESSAGE_NOT_FOUND');
        assert.equal((await svc.list(p, {})).items.length, 0);
        await svc.markAllRead(p);
      }
      assert.equal((await svc.get(principal(owner), id)).readAt, null, 'still unread for its owner');
      await rejectsWith(svc.list(null, {}), 'AUTH_REQUIRED');
    });

    test('preferences: inbox always on, webhook off until set up; the secret is shown once, when it is made; bad input is refused', async () => {
      const p = principal(someone());
      const initial = await svc.preferences(p);
      assert.deepEqual(initial.topics.case, { inbox: true, webhook: false });
      assert.deepEqual(initial.webhook, { url: null, secretSet: false });

      await rejectsWith(svc.updatePreferences(p, { topics: { case: { webhook: true } } }), 'FIELD_INVALID', 'topics.case.webhook');
      await rejectsWith(svc.updatePreferences(p, { topics: { case: { inbox: false } } }), 'FIELD_INVALID', 'topics.case.inbox');
      await rejectsWith(svc.updatePreferences(p, { topics: { gossip: { webhook: false } } }), 'FIELD_INVALID', 'topics.gossip');
      await rejectsWith(svc.updatePreferences(p, { topics: { case: { sms: true } } }), 'FIELD_INVALID', 'topics.case.sms');
      for (const url of ['ftp://example.com/x', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url', 'file:///etc/passwd']) {
        await rejectsWith(svc.updatePreferences(p, { webhook: { url } }), 'FIELD_INVALID', 'webhook.url');
      }
      await rejectsWith(svc.rotateWebhookSecret(p), 'FIELD_INVALID', 'webhook.url');

      const set = await svc.updatePreferences(p, { webhook: { url: 'https://hooks.example.com/yiwang' }, topics: { case: { webhook: true }, alert: { webhook: true, inbox: true } } });
      assert.equal(set.webhook.url, 'https://hooks.example.com/yiwang');
      assert.equal(set.webhook.secretSet, true);
      assert.match(set.webhook.secret!, /^[0-9a-f]{64}$/);
      assert.deepEqual(set.topics.case, { inbox: true, webhook: true });
      assert.deepEqual(set.topics.system, { inbox: true, webhook: false });
      // Reading (or changing anything else) never shows the secret again.
      const { secret: first, ...shown } = set.webhook;
      assert.deepEqual(await svc.preferences(p), { ...set, webhook: shown });
      const again = await svc.updatePreferences(p, { webhook: { url: 'https://hooks.example.com/yiwang/v2' }, topics: { system: { webhook: true } } });
      assert.deepEqual(again.webhook, { url: 'https://hooks.example.com/yiwang/v2', secretSet: true });

      const rotated = await svc.rotateWebhookSecret(p);
      assert.match(rotated.webhook.secret!, /^[0-9a-f]{64}$/);
      assert.notEqual(rotated.webhook.secret, first);
      assert.equal((await svc.preferences(p)).webhook.secret, undefined);

      // Removing the URL removes its secret; a new URL gets a new one, shown once.
      const off = await svc.updatePreferences(p, { topics: { case: { webhook: false }, alert: { webhook: false }, system: { webhook: false } }, webhook: { url: null } });
      assert.deepEqual(off.webhook, { url: null, secretSet: false });
      assert.deepEqual(off.topics.case, { inbox: true, webhook: false });
      const back = await svc.updatePreferences(p, { webhook: { url: 'https://hooks.example.com/yiwang' } });
      assert.match(back.webhook.secret!, /^[0-9a-f]{64}$/);
      assert.notEqual(back.webhook.secret, rotated.webhook.secret);
    });

    test('an API token may read preferences and switch topics, but not see or replace the secret, nor move the webhook', async () => {
      const id = someone();
      const session = principal(id, ['staff']);
      const token = principal(id, ['staff'], null, 'token');
      await svc.updatePreferences(session, { webhook: { url: 'https://hooks.example.com/mine' } });
      const read = await svc.preferences(token);
      assert.deepEqual(read.webhook, { url: 'https://hooks.example.com/mine', secretSet: true });
      await rejectsWith(svc.rotateWebhookSecret(token), 'SESSION_REQUIRED');
      await rejectsWith(svc.updatePreferences(token, { webhook: { url: 'https://attacker.example/collect' } }), 'SESSION_REQUIRED');
      await rejectsWith(svc.updatePreferences(token, { webhook: { url: null } }), 'SESSION_REQUIRED');
      assert.equal((await svc.updatePreferences(token, { topics: { alert: { webhook: true } } })).topics.alert.webhook, true);
      assert.equal((await svc.preferences(session)).webhook.url, 'https://hooks.example.com/mine');
    });

    test('a preferences change is audited, publishes notify.preferences.updated without secret or URL, and a new webhook is announced in the inbox', async () => {
      const me = someone();
      const p = principal(me);
      const set = await svc.updatePreferences(p, { webhook: { url: 'https://hooks.example.com/t0ken-in-path' }, topics: { case: { webhook: true } } });
      const [event] = await outboxOf('notify.preferences.updated', me);
      assert.deepEqual(event, { v: 1, accountId: me, changed: ['channels', 'webhookUrl', 'webhookSecret'], webhookHost: 'hooks.example.com', channels: { case: ['webhook'] } });
      const [entry] = await y.ctx.audit.forSubject('account', me);
      assert.equal(entry.action, 'notify.preferences.updated');
      assert.equal(entry.actor_id, me);
      for (const leak of [set.webhook.secret!, 't0ken-in-path']) {
        assert.ok(!JSON.stringify(event).includes(leak) && !JSON.stringify(entry.detail).includes(leak), `${leak} must not be in the event or the audit log`);
      }
      const inbox = await svc.list(p, { topic: 'account' });
      assert.equal(inbox.items.length, 1);
      assert.equal(inbox.items[0].title, '消息推送地址已更改');
      assert.match(inbox.items[0].body, /hooks\.example\.com/);

      // Nothing changed, nothing recorded; topics alone are audited but not announced.
      await svc.updatePreferences(p, { webhook: { url: 'https://hooks.example.com/t0ken-in-path' }, topics: { case: { webhook: true } } });
      assert.equal((await outboxOf('notify.preferences.updated', me)).length, 1);
      await svc.updatePreferences(p, { topics: { alert: { webhook: true } } });
      assert.deepEqual((await outboxOf('notify.preferences.updated', me)).map((e) => e.changed), [['channels', 'webhookUrl', 'webhookSecret'], ['channels']]);
      assert.equal((await svc.list(p, { topic: 'account' })).items.length, 1);

      await svc.rotateWebhookSecret(p);
      assert.deepEqual((await outboxOf('notify.preferences.updated', me)).at(-1)!.changed, ['webhookSecret']);
      assert.equal((await y.ctx.audit.forSubject('account', me)).length, 3);

      // A change that fails part-way leaves no trace: no URL, no event, no notice.
      await rejectsWith(svc.updatePreferences(p, { webhook: { url: 'https://elsewhere.example/' }, topics: { gossip: { webhook: true } } }), 'FIELD_INVALID', 'topics.gossip');
      assert.equal((await svc.preferences(p)).webhook.url, 'https://hooks.example.com/t0ken-in-path');
      assert.equal((await outboxOf('notify.preferences.updated', me)).length, 3);
      assert.equal((await svc.list(p, { topic: 'account' })).items.length, 2, 'the webhook notice and the rotation notice');
    });

    test('a city-wide official sends a message to a citizen: audited with the jurisdiction; a citizen may not send', async () => {
      const citizen = account('310000');
      const staff = principal(someone(), ['staff'], '310000');
      await rejectsWith(svc.sendAs(principal(someone()), { recipientId: citizen, topic: 'system', title: 't', body: 'b' }), 'ROLE_FORBIDDEN');
      await rejectsWith(svc.sendAs(null, { recipientId: citizen, topic: 'system', title: 't', body: 'b' }), 'AUTH_REQUIRED');
      const { id } = await svc.sendAs(staff, { recipientId: citizen, topic: 'consultation', title: '征求意见', body: `请对草案提出意见 ${XSS}` });
      assert.equal((await svc.get(principal(citizen), id)).topic, 'consultation');
      const [entry] = await y.ctx.audit.forSubject('notify_message', id);
      assert.equal(entry.action, 'notify.message.sent');
      assert.equal(entry.actor_id, staff.accountId);
      assert.equal(entry.jurisdiction_code, '310000');
      assert.equal((entry.detail as { recipientId: string }).recipientId, citizen);
    });

    test('an official messages only accounts inside their jurisdiction; a missing account gets the same answer', async () => {
      const waitanOperator = account('310101013');
      const colleague = account('310115005');
      const citizen = account('310000');
      const body = { topic: 'system' as const, title: '请重新登录', body: '账户异常' };
      for (const sender of [principal(someone(), ['grid_worker'], '310115005'), principal(someone(), ['system'], '310115005', 'token')]) {
        const answers = [];
        for (const recipientId of [waitanOperator, citizen, 'ghost-account']) {
          const err = await svc.sendAs(sender, { ...body, recipientId }).then(() => assert.fail(`sent to ${recipientId}`), (e: unknown) => e);
          assert.ok(err instanceof AppError);
          assert.equal(err.code, 'SCOPE_FORBIDDEN');
          answers.push([err.status, err.code, err.field, err.message.replace(recipientId, '<id>')]);
        }
        assert.equal(answers[0]![2], 'recipientId');
        assert.deepEqual(answers[0], answers[2], 'an account outside the scope and none at all look alike');
        assert.deepEqual(answers[1], answers[2]);
        assert.equal((await svc.sendAs(sender, { ...body, recipientId: colleague })).created, true);
      }
      assert.equal((await svc.list(principal(waitanOperator, ['operator'], '310101013'), {})).items.length, 0);
      assert.equal((await svc.list(principal(colleague, ['operator']), {})).items.length, 2);
      // A district official reaches the streets below; without any account directory, nobody is reachable.
      assert.equal((await svc.sendAs(principal(someone(), ['staff'], '310115'), { ...body, recipientId: colleague })).created, true);
      svc.useRecipientLookup(null);
      try {
        await rejectsWith(svc.sendAs(principal(someone(), ['admin'], '310000'), { ...body, recipientId: colleague }), 'SCOPE_FORBIDDEN', 'recipientId');
      } finally {
        svc.useRecipientLookup(async (id) => (directory.has(id) ? { jurisdictionCode: directory.get(id)! } : null));
      }
    });

    test('messages from officials may link only to app paths', async () => {
      const citizen = account('310000');
      const official = principal(someone(), ['admin'], '310000');
      const body = { recipientId: citizen, topic: 'account' as const, title: '请重新登录', body: '您的账户存在风险' };
      for (const link of ['https://evil.example/login', 'http://evil.example/', '//evil.example/login', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)', 'portal/x']) {
        await rejectsWith(svc.sendAs(official, { ...body, link }), 'FIELD_INVALID', 'link');
      }
      assert.equal((await svc.list(principal(citizen), {})).items.length, 0);
      const { id } = await svc.sendAs(official, { ...body, link: '/portal/account/security?from=message#top' });
      assert.equal((await svc.get(principal(citizen), id)).link, '/portal/account/security?from=message#top');
    });
  });
}
