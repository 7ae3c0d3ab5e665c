// The landing table's mover on its own (the writer thread drives it; write-thread.test.ts goes
// through the thread): a cycle moved in slices, duplicates refused on either side of the move, the
// views showing every reading once throughout, and rollups summed once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../platform/db/database.ts';
import { migrate } from '../../../platform/db/migrator.ts';
import { modules } from '../../../modules.ts';
import { Landing } from './landing.ts';
import { prepareTelemetry } from './sqlite-batch.ts';
import type { Reading } from './reading.ts';

const T0 = 1_800_000_000_000; // on an hour boundary
const SERIES = 30_000; // more than an empty commit moves (20,000): the cycle takes two

/** A migrated in-memory database, a mover over it, and two helpers. */
async function fresh() {
  const database = openDatabase({ dialect: 'sqlite', file: ':memory:' });
  await migrate(database, modules.map((m) => ({ module: m.name, migrations: m.migrations })));
  const sqlite = database.sqlite!;
  return {
    database,
    sqlite,
    landing: new Landing(sqlite, prepareTelemetry(sqlite)),
    inTx: <T>(fn: () => T): T => sqlite.transaction(fn)(),
    count: (sql: string) => Number(sqlite.prepare(sql).pluck().get()),
  };
}

test('a cycle moves in slices; a reading sent again before, during or after its move is stored and counted once', async () => {
  const { database, sqlite, landing, inTx, count } = await fresh();
  try {
    const readings: Reading[] = Array.from({ length: SERIES }, (_, i) => ({ deviceId: `gauge-${String(i).padStart(5, '0')}`, metric: 'waterLevel', at: T0 + (i % 60) * 1000, value: 1 + (i % 3) }));
    const now = Date.now();

    assert.equal(inTx(() => landing.land(readings, T0)), SERIES);
    inTx(() => landing.move(SERIES, now)); // not due yet: nothing moves
    assert.equal(count('select count(*) from devices_reading'), 0);
    assert.equal(count('select count(*) from devices_reading_all'), SERIES, 'landing readings are read through the view');
    assert.equal(inTx(() => landing.land(readings.slice(0, 10), T0)), 0, 'already landing');

    inTx(() => landing.move(0, now + 60_000, 'idle')); // due: a cycle starts and an idle commit moves 20,000 in key order
    const moved = count('select count(*) from devices_reading');
    assert.equal(moved, 20_000);
    assert.equal(count('select count(*) from devices_reading_all'), SERIES, 'moved and still in the landing table: seen once');
    // Sent again: one already moved, one of the cycle not yet moved, and a new reading.
    const again = [readings[0]!, readings[SERIES - 1]!, { ...readings[0]!, at: T0 + 3_600_000 }];
    assert.equal(inTx(() => landing.land(again, T0)), 1);
    assert.ok(landing.waiting);

    inTx(() => landing.settle());
    assert.ok(!landing.waiting);
    assert.equal(count('select count(*) from devices_reading'), SERIES + 1);
    assert.equal(count('select count(*) from devices_reading_landing'), 0);
    // Minute and hour rollups: every reading once (values 1, 2, 3 in turn).
    const totals = (size: number) => sqlite.prepare('select sum(n), sum(sum) from devices_rollup where size_ms = ?').raw().get(size);
    assert.deepEqual(totals(60_000), [SERIES + 1, 2 * SERIES + 1]);
    assert.deepEqual(totals(3_600_000), [SERIES + 1, 2 * SERIES + 1]);
    assert.equal(count('select count(*) from devices_rollup_all where size_ms = 60000'), count('select count(*) from devices_rollup where size_ms = 60000'), 'nothing landing: the view is the table');

    // A new mover over the same file (after a restart) knows what is stored.
    const next = new Landing(sqlite, prepareTelemetry(sqlite));
    next.recover();
    assert.equal(inTx(() => next.land(readings.slice(0, 100), T0)), 0);
  } finally {
    await database.close();
  }
});

test('rowids a rolled-back commit used are handed out again: a cycle ending afterwards deletes only what it moved', async () => {
  const { database, sqlite, landing, inTx, count } = await fresh();
  try {
    const series = (from: number, n: number): Reading[] => Array.from({ length: n }, (_, i) => ({ deviceId: `gauge-${from + i}`, metric: 'waterLevel', at: T0, value: 1 }));
    const later = Date.now() + 60_000;

    inTx(() => landing.land(series(0, 3000), T0)); // rowids 1–3000
    assert.throws(() =>
      inTx(() => {
        landing.land(series(5000, 50), T0); // rowids 3001–3050, then rolled back
        throw new Error('disk full');
      }),
    );
    landing.recover(); // as the writer thread does after a failed commit
    inTx(() => landing.move(0, later)); // a cycle of 3,000 starts; 2,000 move
    inTx(() => landing.move(landing.land(series(6000, 50), T0), later)); // rowids 3001–3050 again; the cycle ends
    assert.equal(count('select count(*) from devices_reading_all'), 3050, 'nothing acknowledged is lost');
    assert.equal(count('select count(*) from devices_reading_landing'), 50, 'the new readings still wait in the landing table');
    inTx(() => landing.settle());
    assert.equal(count('select count(*) from devices_reading'), 3050);
  } finally {
    await database.close();
  }
});
