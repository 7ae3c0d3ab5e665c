// The telemetry writer thread (write-thread.ts starts it): its own connection to the SQLite file,
// committing each group commit it is sent and answering when it is durable. The main thread meanwhile
// goes on reading MQTT, checking payloads and evaluating rules — on a second core.
import { parentPort } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { workerInput } from '../../../platform/workers/run.ts';
import type { Reading } from './reading.ts';
import { prepareTelemetry, writeTelemetry, type TelemetryBatch } from './sqlite-batch.ts';
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
const commit = db.transaction((b: TelemetryBatch) => writeTelemetry(statements, b));

function decode(m: WireBatch): TelemetryBatch {
  const readings: Reading[] = new Array(m.at.length);
  for (let i = 0; i < m.at.length; i++) readings[i] = { deviceId: m.devices[i]!, metric: m.metrics[i]!, at: m.at[i]!, value: m.values[i]! };
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
    commit.immediate(decode(m));
    reply = { id: m.id };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    reply = { id: m.id, error: e.message ?? String(err), code: e.code };
  }
  parentPort!.postMessage(reply);
});
