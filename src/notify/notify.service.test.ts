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
    const events = async (messageId: string) =>
      (await y.ctx.db.selectFrom('platform_outbox').select(['name', 'payload']).where('name', '=', 'notify.message.created').execute()).filter((r) =>
        JSON.stringify(r.payload).includes(messageId),
      );

    before(async () => {
      clock = testClock();
      y = await startTestYiwang(dialect, { modules: notifyTestModules(), clock });
      svc = y.ctx.services.notify;
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

    test('preferences: inbox always on, webhook off until set up; a URL gets a secret; bad input is refused', async () => {
      const p = principal(someone());
      const initial = await svc.preferences(p);
      assert.deepEqual(initial.topics.case, { inbox: true, webhook: false });
      assert.deepEqual(initial.webhook, { url: null, secret: null });

      await rejectsWith(svc.updatePreferences(p, { topics: { case: { webhook: true } } }), 'FIELD_INVALID', 'topics.case.webhook');
      await rejectsWith(svc.updatePreferences(p, { topics: { case: { inbox: false } } }), 'FIELD_INVALID', 'topics.case.inbox');
      await rejectsWith(svc.updatePreferences(p, { topics: { gossip: { webhook: false } } }), 'FIELD_INVALID', 'topics.gossip');
      await rejectsWith(svc.updatePreferences(p, { topics: { case: { sms: true } } }), 'FIELD_INVALID', 'topics.case.sms');
      for (const url of ['ftp://example.com/x', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url', 'file:///etc/passwd']) {
        await rejectsWith(svc.updatePreferences(p, { webhook: { url } }), 'FIELD_INVALID', 'webhook.url');
      }

      const set = await svc.updatePreferences(p, { webhook: { url: 'https://hooks.example.com/yiwang' }, topics: { case: { webhook: true }, alert: { webhook: true, inbox: true } } });
      assert.equal(set.webhook.url, 'https://hooks.example.com/yiwang');
      assert.match(set.webhook.secret!, /^[0-9a-f]{64}$/);
      assert.deepEqual(set.topics.case, { inbox: true, webhook: true });
      assert.deepEqual(set.topics.system, { inbox: true, webhook: false });
      assert.deepEqual(await svc.preferences(p), set);

      const rotated = await svc.updatePreferences(p, { rotateWebhookSecret: true });
      assert.notEqual(rotated.webhook.secret, set.webhook.secret);
      const off = await svc.updatePreferences(p, { topics: { case: { webhook: false }, alert: { webhook: false } }, webhook: { url: null } });
      assert.equal(off.webhook.url, null);
      assert.deepEqual(off.topics.case, { inbox: true, webhook: false });
    });

    test('an official sends a message: audited, and the citizen has it; a citizen may not send', async () => {
      const citizen = someone();
      const staff = principal(someone(), ['staff']);
      await rejectsWith(svc.sendAs(principal(someone()), { recipientId: citizen, topic: 'system', title: 't', body: 'b' }), 'ROLE_FORBIDDEN');
      await rejectsWith(svc.sendAs(null, { recipientId: citizen, topic: 'system', title: 't', body: 'b' }), 'AUTH_REQUIRED');
      const { id } = await svc.sendAs(staff, { recipientId: citizen, topic: 'consultation', title: '征求意见', body: `请对草案提出意见 ${XSS}` });
      assert.equal((await svc.get(principal(citizen), id)).topic, 'consultation');
      const [entry] = await y.ctx.audit.forSubject('notify_message', id);
      assert.equal(entry.action, 'notify.message.sent');
      assert.equal(entry.actor_id, staff.accountId);
      assert.equal((entry.detail as { recipientId: string }).recipientId, citizen);
    });

    test('sending to an account that does not exist is refused when accounts are known', async () => {
      svc.useAccountCheck(async (id) => id.startsWith('real-'));
      try {
        await rejectsWith(svc.sendAs(principal(someone(), ['staff']), { recipientId: 'ghost', topic: 'system', title: 't', body: 'b' }), 'ACCOUNT_NOT_FOUND', 'recipientId');
        assert.equal((await svc.sendAs(principal(someone(), ['staff']), { recipientId: 'real-1', topic: 'system', title: 't', body: 'b' })).created, true);
      } finally {
        svc.useAccountCheck(null);
      }
    });
  });
}
