import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Envelope } from './events.ts';
import type { EventBus } from './bus.ts';
import { NatsBus, consumerName } from './nats-bus.ts';
import { settle, testBusSpace, waitFor, type TestBusSpace } from './testing.ts';

function event(n: number, name: 'bustest.thing.happened' | 'bustest.other.happened' = 'bustest.thing.happened'): Envelope<typeof name> {
  return { id: randomUUID(), name, occurredAt: Date.now(), payload: { v: 1, n } };
}

describe('NATS JetStream bus', () => {
  let space: TestBusSpace;
  let bus: EventBus;
  before(async () => {
    space = testBusSpace('nats');
    bus = await space.open();
  });
  after(async () => space?.close());

  test('an event published is delivered to a subscriber with its id, name and payload', async () => {
    const got: Envelope[] = [];
    const off = await bus.subscribe('bustest.thing.happened', 'roundtrip', (e) => void got.push(e as Envelope));
    const sent = event(1);
    await bus.publish(sent);
    await waitFor('delivery', () => got.length === 1);
    assert.deepEqual(got[0], sent);
    assert.ok(bus.lagMs() >= 0 && bus.lagMs() < 5000);
    await off();
  });

  test('a prefix pattern receives every event under it and nothing else', async () => {
    const got: string[] = [];
    const off = await bus.subscribe('bustest.>', 'prefix', (e) => void got.push(e.name));
    await bus.publish(event(1, 'bustest.thing.happened'));
    await bus.publish(event(2, 'bustest.other.happened'));
    await waitFor('two deliveries', () => got.length === 2);
    assert.deepEqual(got.sort(), ['bustest.other.happened', 'bustest.thing.happened']);
    await off();
  });

  test('two groups each get every event', async () => {
    let a = 0;
    let b = 0;
    const offA = await bus.subscribe('bustest.thing.happened', 'group-a', () => void a++);
    const offB = await bus.subscribe('bustest.thing.happened', 'group-b', () => void b++);
    for (let i = 0; i < 5; i++) await bus.publish(event(i));
    await waitFor('both groups', () => a === 5 && b === 5);
    await offA();
    await offB();
  });

  test('one group subscribed from two processes splits the events, each handled once', async () => {
    const other = await space.open();
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    const handler = (who: string) => async (e: Envelope<any>) => {
      if (seen.has(e.id)) dupes.push(e.id);
      seen.set(e.id, who);
      await new Promise((r) => setTimeout(r, 5));
    };
    const off1 = await bus.subscribe('bustest.thing.happened', 'workers', handler('one'));
    const off2 = await other.subscribe('bustest.thing.happened', 'workers', handler('two'));
    const total = 60;
    for (let i = 0; i < total; i++) await bus.publish(event(i));
    await waitFor('all events handled', () => seen.size === total, 10_000);
    await settle();
    assert.deepEqual(dupes, []);
    const byOne = [...seen.values()].filter((w) => w === 'one').length;
    assert.ok(byOne > 0 && byOne < total, `both processes took a share (one: ${byOne}, two: ${total - byOne})`);
    await off1();
    await off2();
    await other.close();
  });

  test('publishing the same event id twice delivers it once', async () => {
    const got: string[] = [];
    const off = await bus.subscribe('bustest.thing.happened', 'dedup', (e) => void got.push(e.id));
    const e = event(7);
    await bus.publish(e);
    await bus.publish(e);
    await bus.publish({ ...e }); // a different process re-publishing the same outbox row
    await waitFor('delivery', () => got.length >= 1);
    await settle();
    assert.deepEqual(got, [e.id]);
    await off();
  });

  test('a handler that throws gets the event again, after a delay, until it succeeds', async () => {
    const attempts: number[] = [];
    const off = await bus.subscribe('bustest.thing.happened', 'flaky', (e) => {
      attempts.push(Date.now());
      if (attempts.length < 3) throw new Error('database briefly away');
      assert.equal((e.payload as { n: number }).n, 42);
    });
    await bus.publish(event(42));
    await waitFor('third attempt', () => attempts.length === 3);
    await settle();
    assert.equal(attempts.length, 3, 'acknowledged after success, not delivered again');
    // Backoff: 50 ms then 100 ms in the test settings.
    assert.ok(attempts[1] - attempts[0] >= 40, `first retry waited ${attempts[1] - attempts[0]} ms`);
    assert.ok(attempts[2] - attempts[1] >= 90, `second retry waited ${attempts[2] - attempts[1]} ms`);
    await off();
  });

  test('a durable group resumes after a restart with what was published while it was away', async () => {
    const first: number[] = [];
    const proc1 = await space.open();
    const off1 = await proc1.subscribe('bustest.thing.happened', 'resume', (e) => void first.push((e.payload as { n: number }).n));
    await bus.publish(event(1));
    await waitFor('first', () => first.length === 1);
    await off1();
    await proc1.close();
    await bus.publish(event(2)); // nobody of group "resume" is listening
    const second: number[] = [];
    const proc2 = await space.open();
    const off2 = await proc2.subscribe('bustest.thing.happened', 'resume', (e) => void second.push((e.payload as { n: number }).n));
    await waitFor('the missed event', () => second.length === 1);
    await settle();
    assert.deepEqual(second, [2]);
    await off2();
    await proc2.close();
  });

  test('ping answers while connected and fails after close; publish after close is refused', async () => {
    const b = await space.open();
    await b.ping();
    await b.close();
    await assert.rejects(b.ping(), /closed/);
    await assert.rejects(b.publish(event(1)), /closed/);
  });

  test('event names map to subjects under the prefix; invalid names are refused', async () => {
    const b = bus as NatsBus;
    assert.match(b.subjectFor('cases.case.closed'), /^yiwangtest_\w+\.cases\.case\.closed$/);
    assert.match(b.subjectFor('cases.>'), /\.cases\.>$/);
    assert.throws(() => b.subjectFor('cases.*'), /not a valid/);
    assert.throws(() => b.subjectFor('has space'), /not a valid/);
    assert.notEqual(consumerName('a.b', 'c'), consumerName('a', 'b.c'));
    assert.match(consumerName('notify', 'notify.message.created'), /^[A-Za-z0-9_-]+$/);
  });
});
