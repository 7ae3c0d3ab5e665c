import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteTurn } from './write-turn.ts';
import '../bus/testing.ts'; // declares the test event bustest.thing.happened

const tick = () => new Promise((r) => setImmediate(r));

test('writers take turns in the order they asked; ending a turn twice hands it on once', async () => {
  const turn = new WriteTurn();
  const order: string[] = [];
  const first = await turn.acquire();
  const waiting = ['b', 'c'].map((name) =>
    turn.acquire().then((release) => {
      order.push(name);
      return release;
    }),
  );
  await tick();
  assert.deepEqual(order, [], 'nobody goes while the first holds the turn');
  first();
  first();
  const b = await waiting[0]!;
  await tick();
  assert.deepEqual(order, ['b'], 'a second end of the first turn did not let c in beside b');
  b();
  (await waiting[1]!)();
  assert.deepEqual(order, ['b', 'c']);
  // Free again: taken at once.
  (await turn.acquire())();
});

test('a main-connection write goes before waiting telemetry commits, but cannot starve them', async () => {
  const turn = new WriteTurn();
  const order: string[] = [];
  const take = (name: string, lane: 'urgent' | 'bulk') =>
    turn.acquire(lane).then((release) => {
      order.push(name);
      release();
    });
  const first = await turn.acquire('bulk');
  const all = [take('commit-1', 'bulk'), take('commit-2', 'bulk'), take('alert', 'urgent')];
  await tick();
  first();
  await Promise.all(all);
  assert.deepEqual(order, ['alert', 'commit-1', 'commit-2'], 'the alert waited for the commit in flight only');

  // Twenty small writers queued behind a held turn, one telemetry commit among them: it goes after eight.
  order.length = 0;
  const held = await turn.acquire();
  const more = [take('commit', 'bulk'), ...Array.from({ length: 20 }, (_, i) => take(`w${i}`, 'urgent'))];
  await tick();
  held();
  await Promise.all(more);
  assert.equal(order.indexOf('commit'), 8, order.join(' '));
  assert.equal(order.length, 21);
});

test('on SQLite, a transaction waiting for its turn (behind a telemetry commit) does not hold the connection: reads go on', { timeout: 30_000 }, async () => {
  const { loadConfig } = await import('../config.ts');
  const { openDatabase } = await import('./database.ts');
  const { createTestDatabase } = await import('./testing.ts');
  const { platformModule } = await import('../index.ts');
  const { closeContext, createContext, migrateAll } = await import('../runtime.ts');
  const tdb = await createTestDatabase('sqlite');
  const config = { ...loadConfig({ YIWANG_DATA_DIR: '/tmp/yiwang-test-data' }), database: tdb.config };
  const database = openDatabase(tdb.config);
  const ctx = await createContext(config, [platformModule], { database });
  try {
    await migrateAll(ctx, [platformModule]);
    const events = () => ctx.db.selectFrom('platform_outbox').select('seq').where('name', '=', 'bustest.thing.happened').execute();
    // The telemetry writer thread holds the turn for a commit.
    const telemetry = await database.writeTurn!.acquire('bulk');
    let written = false;
    const tx = ctx.transaction(async (t) => {
      await ctx.outbox.add(t, 'bustest.thing.happened', { v: 1, n: 1 });
      written = true;
    });
    await tick();
    const read = await Promise.race([events(), new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 2000))]);
    assert.deepEqual(read, [], 'the read was answered while the transaction waited');
    assert.equal(written, false, 'the transaction waits for the turn');
    telemetry();
    await tx;
    assert.equal((await events()).length, 1);
  } finally {
    await closeContext(ctx);
    await tdb.drop();
  }
});
