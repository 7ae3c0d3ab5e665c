import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../platform/db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../platform/testing.ts';
import { MemoryBus } from '../platform/bus/memory-bus.ts';
import { closeContext, createContext } from '../platform/runtime.ts';
import { settle, testBusSpace, waitFor, type TestBusSpace } from '../platform/bus/testing.ts';
import type { NotifyService } from './notify.service.ts';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './webhook.ts';
import { makeSendInput, notifyTestModules, principal, testClock, XSS, type TestClock, type WebhookReceiver, webhookReceiver } from './testing.ts';

interface Fixture {
  y: TestYiwang;
  clock: TestClock;
  svc: NotifyService;
}

/** Sets a person up to receive `topics` on their webhook; returns their secret. */
async function subscribeWebhook(svc: NotifyService, accountId: string, url: string, topics: string[] = ['case']): Promise<string> {
  const prefs = await svc.updatePreferences(principal(accountId), { webhook: { url }, topics: Object.fromEntries(topics.map((t) => [t, { webhook: true }])) });
  return prefs.webhook.secret!;
}

const log = (svc: NotifyService, messageId: string) => svc.deliveryLog(messageId);

for (const dialect of DIALECTS) {
  describe(`notify webhook deliveries (${dialect})`, () => {
    let f: Fixture;
    let hook: WebhookReceiver;
    let n = 0;
    const someone = () => `acct-d-${dialect}-${++n}`;

    before(async () => {
      const clock = testClock();
      const y = await startTestYiwang(dialect, { modules: notifyTestModules(), clock });
      f = { y, clock, svc: y.ctx.services.notify };
    });
    after(async () => f?.y.close());
    beforeEach(async () => {
      hook = await webhookReceiver();
    });
    afterEach(async () => hook.close());

    test('after commit the message is POSTed to the webhook, signed with the person\'s secret', async () => {
      const me = someone();
      const secret = await subscribeWebhook(f.svc, me, hook.url);
      const { id } = await f.y.ctx.transaction((tx) => f.svc.send(tx, makeSendInput({ recipientId: me, subject: { type: 'case', id: 'c-7' } })));
      await waitFor('the webhook call', () => hook.received.length === 1);
      const [call] = hook.received;
      assert.equal(call.headers['content-type'], 'application/json; charset=utf-8');
      assert.ok(verifyWebhookSignature(secret, call.body, call.headers[SIGNATURE_HEADER] as string, Math.floor(f.clock.now() / 1000)));
      assert.ok(!verifyWebhookSignature('0'.repeat(64), call.body, call.headers[SIGNATURE_HEADER] as string, Math.floor(f.clock.now() / 1000)));
      assert.equal(call.json.type, 'notify.message');
      assert.equal(call.json.recipientId, me);
      assert.equal(call.json.message.id, id);
      assert.equal(call.json.message.topicLabel.zh, '案件处置');
      assert.ok(call.json.message.title.includes(XSS), 'text travels as JSON data, unchanged');
      assert.equal(call.headers['x-yiwang-delivery'], call.json.deliveryId);
      await waitFor('delivered', async () => (await log(f.svc, id))[0]?.status === 'delivered');
      const [d] = await log(f.svc, id);
      assert.equal(d.attempts, 1);
      assert.equal(d.attemptLog[0].ok, true);
    });

    test('a topic without the webhook, or a rolled-back send, calls nothing', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url, ['case']);
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me, topic: 'system' }));
      await assert.rejects(
        f.y.ctx.transaction(async (tx) => {
          await f.svc.send(tx, makeSendInput({ recipientId: me, topic: 'case' }));
          throw new Error('rolled back');
        }),
      );
      await f.y.ctx.outbox.drain();
      await settle(200);
      assert.equal(hook.received.length, 0);
      assert.deepEqual(await log(f.svc, id), []);
    });

    test('a failing webhook never loses the inbox message; retries back off and then give up', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      hook.answer = () => 503;
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me }));
      await waitFor('first attempt recorded', async () => (await log(f.svc, id))[0]?.attempts === 1);
      assert.equal((await f.svc.get(principal(me), id)).id, id, 'the inbox has it regardless');
      let [d] = await log(f.svc, id);
      assert.equal(d.status, 'pending');
      assert.equal(d.next_attempt_at, f.clock.now() + 1000, 'retry 1 after 1 s (test schedule)');
      assert.match(d.last_error!, /HTTP 503/);

      assert.equal(await f.svc.deliveries.runDue(), 0, 'not due yet');
      f.clock.advance(1000);
      assert.equal(await f.svc.deliveries.runDue(), 1);
      [d] = await log(f.svc, id);
      assert.equal(d.next_attempt_at, f.clock.now() + 2000, 'retry 2 after 2 s');
      f.clock.advance(2000);
      await f.svc.deliveries.runDue();
      [d] = await log(f.svc, id);
      assert.equal(d.status, 'failed', 'three attempts, then it stops');
      assert.equal(d.next_attempt_at, null);
      assert.deepEqual(d.attemptLog.map((a) => [a.attempt, a.ok, a.status_code]), [[1, false, 503], [2, false, 503], [3, false, 503]]);
      assert.equal(hook.received.length, 3);
      f.clock.advance(60_000);
      assert.equal(await f.svc.deliveries.runDue(), 0);
      // The inbox keeps the message (beside the notice that the webhook was set up).
      assert.deepEqual((await f.svc.list(principal(me), { topic: 'case' })).items.map((m) => m.id), [id]);
    });

    test('a webhook that recovers gets the message on the retry, once', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      hook.answer = (k) => (k === 1 ? 500 : 204);
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me }));
      await waitFor('first attempt', async () => (await log(f.svc, id))[0]?.attempts === 1);
      f.clock.advance(1000);
      await f.svc.deliveries.runDue();
      const [d] = await log(f.svc, id);
      assert.equal(d.status, 'delivered');
      assert.equal(hook.received.length, 2);
      assert.equal(hook.received[0].json.deliveryId, hook.received[1].json.deliveryId, 'the same delivery id, so the receiver can deduplicate');
      assert.deepEqual([hook.received[0].json.attempt, hook.received[1].json.attempt], [1, 2]);
    });

    test('an answer that retrying cannot fix (404) ends the delivery after one attempt', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      hook.answer = () => 404;
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me }));
      await waitFor('failed', async () => (await log(f.svc, id))[0]?.status === 'failed');
      assert.equal((await log(f.svc, id))[0].attempts, 1);
    });

    test('a webhook that does not answer times out and is retried; an unreachable one too', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      hook.answer = () => 'hang';
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me }));
      await waitFor('timed out', async () => (await log(f.svc, id))[0]?.attempts === 1, 5000);
      assert.match((await log(f.svc, id))[0].last_error!, /no answer within 500 ms/);

      const gone = someone();
      await subscribeWebhook(f.svc, gone, 'http://127.0.0.1:9/nothing-listens-here');
      const m2 = await f.svc.send(null, makeSendInput({ recipientId: gone }));
      await waitFor('refused', async () => (await log(f.svc, m2.id))[0]?.attempts === 1, 5000);
      const [d] = await log(f.svc, m2.id);
      assert.equal(d.status, 'pending');
      assert.match(d.last_error!, /could not reach/);
    });

    test('turning the webhook off before a retry cancels the delivery', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      hook.answer = () => 500;
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me }));
      await waitFor('first attempt', async () => (await log(f.svc, id))[0]?.attempts === 1);
      await f.svc.updatePreferences(principal(me), { topics: { case: { webhook: false } } });
      f.clock.advance(1000);
      await f.svc.deliveries.runDue();
      const [d] = await log(f.svc, id);
      assert.equal(d.status, 'cancelled');
      assert.equal(hook.received.length, 1);
    });

    test('two processes running due deliveries at once attempt each delivery once', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      hook.answer = (k) => (k <= 6 ? 500 : 200);
      const ids = (await f.svc.sendMany(null, Array.from({ length: 6 }, () => makeSendInput({ recipientId: me })))).map((r) => r.id);
      await waitFor('six first attempts', async () => (await Promise.all(ids.map((id) => log(f.svc, id)))).every(([d]) => d?.attempts === 1));
      const other = await createContext(f.y.ctx.config, notifyTestModules(), { bus: new MemoryBus(), clock: f.clock });
      try {
        f.clock.advance(1000);
        await Promise.all([f.svc.deliveries.runDue(), other.services.notify.deliveries.runDue()]);
      } finally {
        await closeContext(other);
      }
      const logs = await Promise.all(ids.map((id) => log(f.svc, id)));
      assert.ok(logs.every(([d]) => d.status === 'delivered' && d.attempts === 2), JSON.stringify(logs.map(([d]) => [d.status, d.attempts])));
      assert.equal(hook.received.length, 12);
      assert.equal(new Set(hook.received.slice(6).map((h) => h.json.deliveryId)).size, 6);
    });

    test('the same event handled twice (a redelivery) makes one delivery', async () => {
      const me = someone();
      await subscribeWebhook(f.svc, me, hook.url);
      const { id } = await f.svc.send(null, makeSendInput({ recipientId: me }));
      await waitFor('delivered', async () => (await log(f.svc, id))[0]?.status === 'delivered');
      assert.equal(await f.svc.deliveries.enqueue(id), 0);
      await f.svc.deliveries.runDue();
      assert.equal((await log(f.svc, id)).length, 1);
      assert.equal(hook.received.length, 1);
    });
  });
}

describe('notify webhook deliveries through NATS JetStream (postgres)', () => {
  let space: TestBusSpace;
  let y: TestYiwang;
  let hook: WebhookReceiver;
  before(async () => {
    space = testBusSpace('nats');
    hook = await webhookReceiver();
    y = await startTestYiwang('postgres', { modules: notifyTestModules(), bus: await space.open() });
  });
  after(async () => {
    await y?.close();
    await hook?.close();
    await space?.close();
  });

  test('the message event travels over NATS and the webhook is called once', async () => {
    const svc = y.ctx.services.notify;
    await subscribeWebhook(svc, 'acct-nats-1', hook.url);
    const { id } = await svc.send(null, makeSendInput({ recipientId: 'acct-nats-1' }));
    await waitFor('the webhook call', () => hook.received.length === 1, 10_000);
    await waitFor('delivered', async () => (await svc.deliveryLog(id))[0]?.status === 'delivered');
    await settle();
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0].json.message.id, id);
  });
});
