// Group commits off the event loop. With SQLite, better-sqlite3 runs every statement on the calling
// thread: storing 50,000 readings a second kept the main thread busy in SQLite for about a third of
// its time, and every MQTT message and rule waited behind each commit. With a database file, a
// worker thread (write.worker.ts) holds a second connection and commits the batches; the main
// thread only hands each one over (as columns: strings and two Float64Arrays) and learns when it is
// durable. An in-memory database cannot be shared with a thread: it stays on the main connection.
//
// Writers of both connections take turns (write-turn.ts) before SQLite's write lock: another
// module's transaction may wait for one telemetry commit, a few milliseconds to a few tens, but
// asynchronously — the event loop goes on.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../../platform/workers/run.ts';
import type { WriteTurn } from '../../../platform/db/write-turn.ts';
import type { NewDeadLetter, TelemetryBatch } from './sqlite-batch.ts';

export interface WriterThreadInput {
  file: string;
  walAutocheckpoint: number;
}

/** One batch as sent to the thread. */
export interface WireBatch {
  id: number;
  devices: string[];
  metrics: string[];
  at: Float64Array;
  values: Float64Array;
  deadLetters: NewDeadLetter[];
  seen: string[];
  receivedAt: number;
}

export type WireReply = { id: number; error?: undefined } | { id: number; error: string; code: string | undefined };

export class TelemetryWriteThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  private nextId = 1;

  constructor(
    private readonly input: WriterThreadInput,
    /** The main connection's turn (write-turn.ts): taken for each batch, so neither side sleeps in SQLite's busy handler waiting for the other. */
    private readonly turn: WriteTurn,
  ) {}

  /**
   * Starts the thread now rather than at the first write (which would then wait for it to boot,
   * about 0.3 s and more on a busy machine).
   */
  open(): void {
    this.worker ??= this.start();
  }

  /** Commits the batch on the thread's connection; resolves once it is durable. */
  write(b: TelemetryBatch): Promise<void> {
    const worker = (this.worker ??= this.start());
    const n = b.readings.length;
    const msg: WireBatch = { id: this.nextId++, devices: new Array(n), metrics: new Array(n), at: new Float64Array(n), values: new Float64Array(n), deadLetters: b.deadLetters, seen: [...b.seen], receivedAt: b.receivedAt };
    for (let i = 0; i < n; i++) {
      const r = b.readings[i]!;
      msg.devices[i] = r.deviceId;
      msg.metrics[i] = r.metric;
      msg.at[i] = r.at;
      msg.values[i] = r.value;
    }
    return this.turn.acquire().then(
      (release) =>
        new Promise<void>((resolve, reject) => {
          const end = (err?: Error) => {
            release();
            if (err) reject(err);
            else resolve();
          };
          this.pending.set(msg.id, { resolve: () => end(), reject: end });
          // While a commit is outstanding the thread keeps the process alive; idle, it does not.
          worker.ref();
          worker.postMessage(msg, [msg.at.buffer as ArrayBuffer, msg.values.buffer as ArrayBuffer]);
        }),
    );
  }

  /** Stops the thread (after the writes sent to it); the next write starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = once(worker, 'exit');
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited.catch(() => {});
    clearTimeout(timer);
  }

  private start(): Worker {
    const worker = startWorker(new URL('./write.worker.ts', import.meta.url), this.input);
    worker.unref();
    worker.on('message', (m: WireReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error === undefined) p.resolve();
      else p.reject(Object.assign(new Error(m.error), { code: m.code }));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the telemetry writer thread stopped (exit code ${code})`)));
    return worker;
  }
}
