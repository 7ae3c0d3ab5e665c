// The SQLite write paths of telemetry's group commit: on the writer thread (the default with a
// database file) and on the main connection (in-memory databases, or YIWANG_SQLITE_TELEMETRY_THREAD
// off) store the same rows; a commit that fails on the thread rejects and leaves nothing behind.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../../platform/db/database.ts';
import { migrate } from '../../../platform/db/migrator.ts';
import type { AppContext } from '../../../platform/context.ts';
import { modules } from '../../../modules.ts';
import { TelemetryStore } from './telemetry.store.ts';
import { TelemetryWriteThread } from './write-thread.ts';
import type { TelemetryBatch } from './sqlite-batch.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function open(thread: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-telemetry-'));
  dirs.push(dir);
  const config = { dialect: 'sqlite' as const, file: path.join(dir, 'y.sqlite'), checkpointMs: 0, telemetryThread: thread };
  const database = openDatabase(config);
  await migrate(database, modules.map((m) => ({ module: m.name, migrations: m.migrations })));
  const store = new TelemetryStore(database, config);
  const ctx = { transaction: (fn: never) => database.db.transaction().execute(fn) } as unknown as AppContext;
  const db = database.db as unknown as Kysely<any>;
  return { database, store, ctx, db };
}

const batch = (at: number, values: number[]): TelemetryBatch => ({
  readings: values.flatMap((v, i) => [
    { deviceId: 'gauge-1', metric: 'waterLevel', at: at + i * 1000, value: v },
    { deviceId: 'gauge-1', metric: 'supplyVoltage', at: at + i * 1000, value: 12 },
  ]),
  deadLetters: [{ received_at: at, source: 'mqtt', device_id: 'gauge-1', jurisdiction_code: null, topic: 't', field: 'values.x', reason: 'is not a metric of this type', payload: '{}' }],
  seen: new Set(['gauge-1']),
  receivedAt: at + 5000,
});

for (const thread of [true, false]) {
  test(`a group commit stores readings, state, rollups and dead letters once (${thread ? 'writer thread' : 'main connection'})`, async () => {
    const { database, store, ctx, db } = await open(thread);
    try {
      const t0 = 1_800_000_000_000; // on a minute boundary
      await store.commit(ctx, batch(t0, [2, 4, 3]));
      // Redelivered (a device resending after a lost PUBACK): stored and counted once.
      await store.commit(ctx, batch(t0, [2, 4, 3]));
      const stored = async (table: 'devices_reading' | 'devices_reading_all') => (await db.selectFrom(table).select(['at', 'value']).where('metric', '=', 'waterLevel').orderBy('at').execute()).map((r) => [r.at - t0, r.value]);
      /** A minute's rollup rows (the view may show a bucket twice: stored, and still landing), added up. */
      const minute = async (table: 'devices_rollup' | 'devices_rollup_all') => {
        const rows = await db.selectFrom(table).selectAll().where('metric', '=', 'waterLevel').where('size_ms', '=', 60_000).execute();
        return [rows.reduce((a, r) => a + r.n, 0), rows.reduce((a, r) => a + r.sum, 0), Math.min(...rows.map((r) => r.min)), Math.max(...rows.map((r) => r.max))];
      };
      // Read through the views right away (the thread may still hold them in the landing table)...
      assert.deepEqual(await stored('devices_reading_all'), [[0, 2], [1000, 4], [2000, 3]]);
      assert.deepEqual(await minute('devices_rollup_all'), [3, 9, 2, 4]);
      const state = await db.selectFrom('devices_state').selectAll().where('metric', '=', 'waterLevel').executeTakeFirstOrThrow();
      assert.deepEqual([state.at - t0, state.value], [2000, 3]);
      assert.equal((await db.selectFrom('devices_dead_letter').selectAll().execute()).length, 2);
      // ...and once moved, from the tables themselves, with nothing left landing.
      await store.settle();
      assert.deepEqual(await stored('devices_reading'), [[0, 2], [1000, 4], [2000, 3]]);
      assert.deepEqual(await minute('devices_rollup'), [3, 9, 2, 4]);
      assert.equal((await db.selectFrom('devices_reading_landing').selectAll().execute()).length, 0);
      // Redelivered after the move: still once.
      await store.commit(ctx, batch(t0, [2, 4, 3]));
      assert.deepEqual(await stored('devices_reading_all'), [[0, 2], [1000, 4], [2000, 3]]);
      assert.deepEqual(await minute('devices_rollup_all'), [3, 9, 2, 4]);
    } finally {
      await store.close();
      await database.close();
    }
  });
}

test('a commit that fails on the writer thread rejects with the reason and stores nothing of its batch', async () => {
  const { database, store, ctx, db } = await open(true);
  try {
    await store.commit(ctx, batch(1_800_000_000_000, [1]));
    await db.schema.dropTable('devices_state').execute();
    await assert.rejects(store.commit(ctx, batch(1_800_000_060_000, [5])), /devices_state/);
    // The readings written before the failing statement were rolled back with it.
    assert.deepEqual((await db.selectFrom('devices_reading_all').select('value').where('metric', '=', 'waterLevel').execute()).map((r) => r.value), [1]);
  } finally {
    await store.close();
    await database.close();
  }
});

test('a writer thread that dies while a batch waits for its turn is replaced: the batch commits and the turn is handed on', async () => {
  const { database, db } = await open(true);
  const turn = database.writeTurn!;
  const thread = new TelemetryWriteThread({ file: database.sqlite!.name, walAutocheckpoint: 1000 }, turn);
  try {
    thread.open();
    const first = (thread as unknown as { thread: { worker: import('node:worker_threads').Worker } }).thread.worker;
    // The first thread has been told the names gauge-1, waterLevel and supplyVoltage; its successor has not.
    await thread.write(batch(1_700_000_000_000, [5]));
    const release = await turn.acquire();
    const waiting = thread.write(batch(1_800_000_000_000, [7]));
    await first.terminate();
    release();
    await waiting;
    const rows = await db.selectFrom('devices_reading_all').select(['device_id', 'value']).where('metric', '=', 'waterLevel').orderBy('at').execute();
    assert.deepEqual(rows.map((r) => [r.device_id, r.value]), [['gauge-1', 5], ['gauge-1', 7]]);
    (await turn.acquire())();
  } finally {
    await thread.close();
    await database.close();
  }
});

test('readings still landing when the writer thread dies are moved by the next one, once, rollups included; a redelivery is not stored twice', async () => {
  const { database, db } = await open(true);
  const turn = database.writeTurn!;
  const input = { file: database.sqlite!.name, walAutocheckpoint: 1000 };
  const t0 = 1_800_000_000_000;
  let thread = new TelemetryWriteThread(input, turn);
  try {
    await thread.write(batch(t0, [2, 4]));
    assert.equal((await db.selectFrom('devices_reading_landing').selectAll().where('metric', '=', 'waterLevel').execute()).length, 2, 'landed, not yet moved');
    // As after kill -9: the thread is gone, the landing rows are not.
    await (thread as unknown as { thread: { worker: import('node:worker_threads').Worker } }).thread.worker.terminate();
    await thread.close();
    thread = new TelemetryWriteThread(input, turn);
    // The device did not get its PUBACK and sends the same readings again, and one more.
    await thread.write(batch(t0, [2, 4, 6]));
    await thread.settle();
    const rows = await db.selectFrom('devices_reading').select(['at', 'value']).where('metric', '=', 'waterLevel').orderBy('at').execute();
    assert.deepEqual(rows.map((r) => [r.at - t0, r.value]), [[0, 2], [1000, 4], [2000, 6]]);
    const minute = await db.selectFrom('devices_rollup').selectAll().where('metric', '=', 'waterLevel').where('size_ms', '=', 60_000).execute();
    assert.deepEqual(minute.map((r) => [r.n, r.sum]), [[3, 12]]);
    assert.equal((await db.selectFrom('devices_reading_landing').selectAll().execute()).length, 0);
  } finally {
    await thread.close();
    await database.close();
  }
});

test('with nothing more arriving, landed readings are moved into the readings table by idle commits within seconds', async () => {
  const { database, store, ctx, db } = await open(true);
  try {
    await store.commit(ctx, batch(1_800_000_000_000, [3, 5]));
    const moved = async () => (await db.selectFrom('devices_reading').select('value').where('metric', '=', 'waterLevel').execute()).length;
    assert.equal(await moved(), 0, 'landed first');
    const until = Date.now() + 15_000;
    while ((await moved()) < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await moved(), 2);
    const minute = await db.selectFrom('devices_rollup').selectAll().where('metric', '=', 'waterLevel').where('size_ms', '=', 60_000).executeTakeFirstOrThrow();
    assert.deepEqual([minute.n, minute.sum], [2, 8]);
  } finally {
    await store.close();
    await database.close();
  }
});
