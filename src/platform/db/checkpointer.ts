// WAL checkpoints off the event loop. better-sqlite3 runs on the main thread, and SQLite's automatic
// checkpoint runs inside whichever commit crosses the threshold: that commit then copies pages into
// the database file and fsyncs it, and every request waits behind it (the exchange benchmark's p99
// went from 11 ms to 27 ms on them). Here a worker thread holds its own connection to the same file
// and runs PASSIVE checkpoints — which never wait for or block readers and writers — every second.
// The main connection keeps a high automatic threshold only as a backstop should the worker stop.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
let failures = 0;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
  } catch (err) {
    // A busy database skips a round; only a run of failures is worth a word.
    if (++failures === 10) parentPort.postMessage({ warn: String(err && err.message || err) });
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/** Pages the WAL may grow to before the main connection checkpoints itself (about 160 MB): the backstop. */
export const BACKSTOP_PAGES = 40_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, everyMs = 1000, warn: (msg: string) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, everyMs, driver } });
  worker.unref();
  let exited = false;
  const waiting = new Set<() => void>();
  const finish = () => {
    exited = true;
    for (const w of waiting) w();
    waiting.clear();
  };
  worker.on('exit', finish);
  worker.on('message', (m: { warn?: string; stopped?: boolean }) => {
    if (m.warn) warn(`sqlite checkpointer: ${m.warn}`);
    if (m.stopped) void worker.terminate().catch(() => {});
  });
  worker.on('error', (err) => warn(`sqlite checkpointer stopped: ${err.message}`));
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        waiting.add(resolve);
        worker.postMessage('stop');
        // A worker stuck in a checkpoint is not waited for long: terminate it (this timer keeps the
        // process alive until then, so the promise always settles).
        const t = setTimeout(() => void worker.terminate().catch(() => {}), 2000);
        waiting.add(() => clearTimeout(t));
      });
      return stopped;
    },
  };
}
