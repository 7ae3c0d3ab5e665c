import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import type { AppContext, Clock } from '../context.ts';
import { openDatabase } from '../db/database.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { platformModule } from '../index.ts';
import { closeContext, createContext, migrateAll } from '../runtime.ts';
import type { EventBus } from './bus.ts';
import type { Envelope, Handler } from './events.ts';
import { BUSES, settle, testBusSpace, waitFor, type TestBusSpace } from './testing.ts';

/** One "process": its own connection to the shared database and its own bus connection. */
async function openProcess(tdb: TestDatabase, bus: EventBus, clock?: Clock): Promise<AppContext> {
  const config = { ...loadConfig({ YIWANG_DATA_DIR: '/tmp/yiwang-test-data' }), database: tdb.config };
  const ctx = await createContext(config, [platformModule], { bus, clock, database: openDatabase(tdb.config) });
  await migrateAll(ctx, [platformModule]);
  ctx.outbox.start(0); // relays after its own commits, like a serving process; no periodic sweep
  return ctx;
}

/** Commits an event the way a crashed process leaves it: in the table, never relayed. */
async function commitWithoutRelay(ctx: AppContext, n: number): Promise<void> {
  await ctx.db.transaction().execute((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n }));
}

/** A bus that publishes and then "crashes" before the outbox can mark the row published. */
function crashingAfterPublish(inner: EventBus): EventBus {
  return {
    kind: inner.kind,
    async publish(e) {
      await inner.publish(e);
      throw new Error('process died after publishing, before marking the row');
    },
    subscribe: (p, g, h) => inner.subscribe(p, g, h),
    listen: (p, h) => inner.listen(p, h),
    ping: () => inner.ping(),
    lagMs: () => inner.lagMs(),
    close: () => inner.close(),
  };
}

/** A bus that refuses one event (as NATS refuses one over its size limit) and carries the rest. */
function refusing(n: number) {
  return (inner: EventBus): EventBus => ({
    kind: inner.kind,
    async publish(e) {
      if ((e.payload as { n?: number }).n === n) throw new Error('message too large');
      await inner.publish(e);
    },
    subscribe: (p, g, h) => inner.subscribe(p, g, h),
    listen: (p, h) => inner.listen(p, h),
    ping: () => inner.ping(),
    lagMs: () => inner.lagMs(),
    close: () => inner.close(),
  });
}

/** Records payload numbers seen by a subscriber. */
function recorder(): { ns: number[]; handler: Handler<'bustest.thing.happened'> } {
  const ns: number[] = [];
  return { ns, handler: (e: Envelope<'bustest.thing.happened'>) => void ns.push(e.payload.n) };
}

for (const dialect of DIALECTS) {
  for (const busKind of BUSES) {
    describe(`outbox (${dialect}, ${busKind} bus)`, () => {
      let tdb: TestDatabase;
      let space: TestBusSpace;
      const open: AppContext[] = [];
      const proc = async (clock?: Clock, wrap: (b: EventBus) => EventBus = (b) => b) => {
        const ctx = await openProcess(tdb, wrap(await space.open()), clock);
        open.push(ctx);
        return ctx;
      };
      const close = async (ctx: AppContext) => {
        open.splice(open.indexOf(ctx), 1);
        await closeContext(ctx);
      };

      before(async () => {
        tdb = await createTestDatabase(dialect);
        space = testBusSpace(busKind);
      });
      after(async () => {
        for (const ctx of open.splice(0)) await closeContext(ctx).catch(() => {});
        await space?.close();
        await tdb?.drop();
      });

      test('a committed transaction publishes its event exactly once; a rolled-back one publishes nothing', async () => {
        const ctx = await proc();
        const seen = recorder();
        const off = await ctx.bus.subscribe('bustest.thing.happened', 'once', seen.handler);
        await ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 1 }));
        await assert.rejects(
          ctx.transaction(async (tx) => {
            await ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 2 });
            throw new Error('validation failed after the event was added');
          }),
          /validation failed/,
        );
        await ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 3 }));
        await waitFor('both committed events', () => seen.ns.length >= 2);
        await ctx.outbox.drain(); // a second relay run finds nothing left to publish
        await settle();
        assert.deepEqual(seen.ns, [1, 3]);
        assert.equal(await ctx.outbox.pending(), 0);
        await off();
        await close(ctx);
      });

      test('events of many transactions arrive once each, in commit order', async () => {
        const ctx = await proc();
        const seen = recorder();
        const off = await ctx.bus.subscribe('bustest.thing.happened', 'order', seen.handler);
        for (let n = 0; n < 30; n++) await ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n }));
        await waitFor('30 events', () => seen.ns.length >= 30);
        await settle();
        assert.deepEqual(seen.ns, [...Array(30).keys()]);
        await off();
        await close(ctx);
      });

      test('concurrent commits share relay runs, and events committed just before a stop are still published', async () => {
        const ctx = await proc();
        const seen = recorder();
        const off = await ctx.bus.subscribe('bustest.thing.happened', 'burst', seen.handler);
        await Promise.all(Array.from({ length: 20 }, (_, n) => ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 100 + n }))));
        await waitFor('20 concurrent events', () => seen.ns.length >= 20);
        assert.equal(new Set(seen.ns).size, 20);
        // Committed, and the relay's run not yet begun, when the process stops.
        await ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 999 }));
        await ctx.outbox.stop();
        await waitFor('the last event', () => seen.ns.includes(999));
        assert.equal(await ctx.outbox.pending(), 0);
        await off();
        await close(ctx);
      });

      test("a running relay's own commits are born claimed by it: no other relay takes them, and they go out once without a claim", async () => {
        const t0 = Date.now();
        const clock = { now: () => t0 };
        const mine = await proc(clock);
        const other = await proc(clock);
        const seen = recorder();
        const off = await mine.bus.subscribe('bustest.thing.happened', 'born', seen.handler);
        await mine.transaction((tx) => mine.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 7 }));
        // The relay runs on the next turn of the event loop: the row is already claimed at commit.
        const row = await mine.db.selectFrom('platform_outbox').select(['claimed_until', 'published_at']).where('name', '=', 'bustest.thing.happened').orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.equal(Number(row.claimed_until), t0 + 30_000);
        assert.equal(await other.outbox.drain(), 0, 'claimed by the relay that committed it');
        await waitFor('the event', () => seen.ns.includes(7));
        await settle();
        assert.deepEqual(seen.ns.filter((n) => n === 7), [7]);
        assert.equal(await mine.outbox.pending(), 0);
        await off();
        await close(other);
        await close(mine);
      });

      test('after a crash between commit and publish, the next process publishes the event once', async () => {
        const crashed = await proc();
        await commitWithoutRelay(crashed, 100);
        assert.equal(await crashed.outbox.pending(), 1);
        await close(crashed);

        const restarted = await proc();
        const seen = recorder();
        const off = await restarted.bus.subscribe('bustest.thing.happened', 'restart', seen.handler);
        restarted.outbox.start(50);
        await waitFor('the orphaned event', () => seen.ns.length >= 1);
        await settle();
        assert.deepEqual(seen.ns, [100]);
        assert.equal(await restarted.outbox.pending(), 0);
        await off();
        await close(restarted);
      });

      test('rows claimed by a relay that died are published by another relay once the claim expires', async () => {
        const t0 = Date.now();
        let now = t0;
        const clock = { now: () => now };
        const dying = await proc(clock);
        await commitWithoutRelay(dying, 200);
        // The dying relay claims the row, then the process stops before publishing.
        await dying.db.updateTable('platform_outbox').set({ claimed_until: t0 + 30_000 }).where('published_at', 'is', null).execute();
        await close(dying);

        const other = await proc(clock);
        const seen = recorder();
        const off = await other.bus.subscribe('bustest.thing.happened', 'claims', seen.handler);
        assert.equal(await other.outbox.drain(), 0, 'still claimed: left alone');
        now = t0 + 31_000;
        assert.equal(await other.outbox.drain(), 1);
        await waitFor('the event', () => seen.ns.length >= 1);
        await settle();
        assert.deepEqual(seen.ns, [200]);
        await off();
        await close(other);
      });

      test('a subscriber that writes in its own transaction (and emits an event) does not deadlock the relay', async () => {
        const ctx = await proc();
        const chained: number[] = [];
        const off1 = await ctx.bus.subscribe('bustest.thing.happened', 'writer', async (e) => {
          await ctx.transaction(async (tx) => {
            await ctx.audit.record(tx, { actorId: null, action: 'bustest.thing.seen', subjectType: 'bustest', subjectId: String(e.payload.n) });
            await ctx.outbox.add(tx, 'bustest.other.happened', { v: 1, n: e.payload.n * 10 });
          });
        });
        const off2 = await ctx.bus.subscribe('bustest.other.happened', 'chain', (e) => void chained.push(e.payload.n));
        // Meanwhile the request side keeps writing too.
        await Promise.all([1, 2, 3].map((n) => ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n }))));
        await waitFor('the chained events', () => chained.length >= 3, 10_000);
        assert.deepEqual([...chained].sort((a, b) => a - b), [10, 20, 30]);
        const audited = await ctx.db.selectFrom('platform_audit').select('subject_id').where('action', '=', 'bustest.thing.seen').execute();
        assert.equal(audited.length, 3);
        await off1();
        await off2();
        await close(ctx);
      });

      test('two relays on one database publish each event once between them', async () => {
        const a = await proc();
        const b = await proc();
        const seen = recorder();
        // One subscriber per bus connection; on NATS both share the group, in memory each sees its own relay's.
        const offA = await a.bus.subscribe('bustest.thing.happened', 'pair', seen.handler);
        const offB = await b.bus.subscribe('bustest.thing.happened', 'pair', seen.handler);
        for (let n = 0; n < 20; n++) await commitWithoutRelay(n % 2 ? a : b, n);
        await Promise.all([a.outbox.drain(), b.outbox.drain(), a.outbox.drain(), b.outbox.drain()]);
        await a.outbox.drain();
        await waitFor('20 events', () => seen.ns.length >= 20, 10_000);
        await settle();
        assert.deepEqual([...seen.ns].sort((x, y) => x - y), [...Array(20).keys()]);
        await offA();
        await offB();
        await close(a);
        await close(b);
      });

      test('an event that cannot be published does not hold up the ones after it, and is parked after repeated failures', async () => {
        let now = Date.now();
        const ctx = await proc({ now: () => now }, refusing(2));
        const seen = recorder();
        const off = await ctx.bus.subscribe('bustest.thing.happened', 'poison', seen.handler);
        for (const n of [1, 2, 3, 4]) await ctx.db.transaction().execute((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n }));
        await ctx.outbox.drain();
        await ctx.outbox.drain(); // the rest of the batch was let go at once, not after the claim expires
        await waitFor('the events after the refused one', () => seen.ns.length >= 3);
        assert.deepEqual(seen.ns, [1, 3, 4]);
        assert.equal(await ctx.outbox.pending(), 1);
        for (let i = 0; i < 25; i++) {
          now += 10 * 60_000; // past any back-off
          await ctx.outbox.drain();
        }
        assert.equal(await ctx.outbox.parked(), 1, 'given up on after repeated failures');
        assert.equal(await ctx.outbox.pending(), 0);
        await off();
        await close(ctx);
      });

      test('waves of commits, some landing while the relay marks or waits, are all published without a periodic run, and stop() returns', async () => {
        const ctx = await proc(); // relays after commits only: a lost wake-up would leave events behind
        const seen = recorder();
        const off = await ctx.bus.subscribe('bustest.thing.happened', 'waves', async (e: Envelope<'bustest.thing.happened'>) => {
          if (e.payload.n % 7 === 0) await new Promise((r) => setTimeout(r, 2)); // handlers finish at different times
          seen.handler(e);
        });
        let n = 1000;
        for (let wave = 0; wave < 6; wave++) {
          await Promise.all(Array.from({ length: 60 }, () => ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: n++ }))));
          await new Promise((r) => setTimeout(r, wave * 3));
        }
        await waitFor('every event', () => seen.ns.length >= 360, 15_000);
        assert.equal(new Set(seen.ns).size, 360);
        await ctx.outbox.stop();
        assert.equal(await ctx.outbox.pending(), 0);
        await off();
        await close(ctx);
      });

      if (busKind === 'memory') {
        test('a slow subscriber falls behind alone: the others get later events at once, and its events stay unpublished until it has handled them', async () => {
          const ctx = await proc();
          let release!: () => void;
          const held = new Promise<void>((r) => (release = r));
          const slow: number[] = [];
          const offSlow = await ctx.bus.subscribe('bustest.thing.happened', 'slow', async (e: Envelope<'bustest.thing.happened'>) => {
            if (e.payload.n === 400) await held; // opening a case behind a long commit, say
            slow.push(e.payload.n);
          });
          const fast = recorder();
          const offFast = await ctx.bus.subscribe('bustest.thing.happened', 'fast', fast.handler);
          try {
            for (const n of [400, 401, 402]) await ctx.transaction((tx) => ctx.outbox.add(tx, 'bustest.thing.happened', { v: 1, n }));
            await waitFor('the fast subscriber', () => fast.ns.length === 3);
            assert.deepEqual(fast.ns, [400, 401, 402]);
            assert.deepEqual(slow, [], 'the slow one is still on its first');
            assert.equal(await ctx.outbox.pending(), 3, 'published only once every subscriber has handled it');
          } finally {
            release(); // a failure must not leave the relay waiting for ever
          }
          await waitFor('the slow subscriber', () => slow.length === 3);
          assert.deepEqual(slow, [400, 401, 402], 'in order');
          await ctx.outbox.drain();
          assert.equal(await ctx.outbox.pending(), 0);
          await offSlow();
          await offFast();
          await close(ctx);
        });
      }

      if (busKind === 'nats') {
        test('published but not marked before a crash: the next relay re-publishes and the subscriber still sees it once', async () => {
          // The subscriber runs in a process of its own that stays up throughout.
          const listener = await proc();
          const seen = recorder();
          const off = await listener.bus.subscribe('bustest.thing.happened', 'survivor', seen.handler);

          const crashed = await proc(undefined, crashingAfterPublish);
          await crashed.transaction((tx) => crashed.outbox.add(tx, 'bustest.thing.happened', { v: 1, n: 300 }));
          await waitFor('the first publish', () => seen.ns.length >= 1);
          assert.equal(await crashed.outbox.pending(), 1, 'the row is still unpublished');
          await close(crashed);

          // The crashed relay's claim (or its retry back-off) runs out before the next relay takes the row.
          const restarted = await proc({ now: () => Date.now() + 31_000 });
          assert.equal(await restarted.outbox.drain(), 1, 'the relay publishes the row again');
          assert.equal(await restarted.outbox.pending(), 0);
          await settle(500);
          assert.deepEqual(seen.ns, [300], 'JetStream dropped the second publish of the same event id');
          await off();
          await close(restarted);
          await close(listener);
        });
      }
    });
  }
}
