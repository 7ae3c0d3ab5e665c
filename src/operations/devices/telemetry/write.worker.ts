// The telemetry writer thread (write-thread.ts starts it): its own connection to the SQLite file,
// committing each group commit it is sent and answering when it is durable. The main thread meanwhile
// goes on reading MQTT, checking payloads and evaluating rules — on a second core.
import { parentPort } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { workerInput } from '../../../platform/workers/run.ts';
import type { Reading } from './reading.ts';
import { prepareTelemetry, writeTelemetry, type TelemetryBatch } from './sqlite-batch.ts';
import { Landing, type CommitKind } from './landing.ts';
import type { WireBatch, WireReply, WriterThreadInput } from './write-thread.ts';

const input = workerInput<WriterThreadInput>();
const db = new SQLite(input.file, { fileMustExist: true });
// As the main connection (database.ts): WAL is the file's; the rest is per connection.
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
db.pragma(`wal_autocheckpoint = ${input.walAutocheckpoint}`);
const statements = prepareTelemetry(db);
// Readings land and are moved into their series a few seconds later (landing.ts). What landed
// before a restart is taken back first.
const landing = new Landing(db, statements);
landing.recover();
const commit = db.transaction((b: TelemetryBatch, kind: CommitKind) => writeTelemetry(statements, b, landing, kind));
// Readings taken back after a restart: the main side sends idle commits to move them.
if (landing.waiting) parentPort!.postMessage({ id: 0, idleIn: landing.idleIn(Date.now()) } satisfies WireReply);

/** Device ids and metric names by number, as the main side numbered them (WireBatch). */
const names: string[] = [];

function decode(m: WireBatch): TelemetryBatch {
  for (const name of m.names) names.push(name);
  const readings: Reading[] = new Array(m.at.length);
  for (let i = 0; i < m.at.length; i++) readings[i] = { deviceId: names[m.devices[i]!]!, metric: names[m.metrics[i]!]!, at: m.at[i]!, value: m.values[i]! };
  return { readings, deadLetters: m.deadLetters, seen: new Set(m.seen), receivedAt: m.receivedAt };
}

parentPort!.on('message', (m: WireBatch | 'stop') => {
  if (m === 'stop') {
    db.close();
    parentPort!.close();
    return;
  }
  let reply: WireReply;
  try {
    // BEGIN IMMEDIATE: take the write lock first (as every writer here does), or wait for it.
    commit.immediate(decode(m), m.kind ?? 'batch');
    reply = { id: m.id, idleIn: landing.idleIn(Date.now()) };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    // Rolled back: what the landing had noted in memory during the commit is no longer true. If it
    // cannot be read back either, the thread ends (its batches fail) and the next write starts a
    // new one, which reads it back from the start.
    let fatal = false;
    try {
      landing.recover();
    } catch {
      fatal = true;
    }
    reply = { id: m.id, error: e.message ?? String(err), code: e.code, idleIn: fatal ? null : landing.idleIn(Date.now()), fatal };
  }
  parentPort!.postMessage(reply);
  if (reply.error !== undefined && reply.fatal) process.exit(1);
});
