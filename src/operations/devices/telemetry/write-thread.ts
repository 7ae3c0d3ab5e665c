// Group commits off the event loop. With SQLite, better-sqlite3 runs every statement on the calling
// thread: storing 50,000 readings a second kept the main thread busy in SQLite for about a third of
// its time, and every MQTT message and rule waited behind each commit. With a database file, a
// worker thread (write.worker.ts) holds a second connection and commits the batches; the main
// thread only hands each one over (as columns: numbered names and typed arrays) and learns when it is
// durable. An in-memory database cannot be shared with a thread: it stays on the main connection.
//
// Writers of both connections take turns (write-turn.ts) before SQLite's write lock: another
// module's transaction may wait for the telemetry commit under way (it goes before those still
// waiting), a few milliseconds to a few tens, but asynchronously — the event loop goes on.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../../platform/workers/run.ts';
import type { WriteTurn } from '../../../platform/db/write-turn.ts';
import type { NewDeadLetter, TelemetryBatch } from './sqlite-batch.ts';
import type { CommitKind } from './landing.ts';

export interface WriterThreadInput {
  file: string;
  walAutocheckpoint: number;
}

/**
 * One batch as sent to the thread. Device ids and metric names go as numbers into a list of names
 * both sides keep for the thread's life, each name sent once (`names`: the ones new with this
 * batch, in order): cloning two strings per reading was a twentieth of the main thread at 50,000
 * readings/s.
 */
export interface WireBatch {
  id: number;
  names: string[];
  devices: Int32Array;
  metrics: Int32Array;
  at: Float64Array;
  values: Float64Array;
  deadLetters: NewDeadLetter[];
  seen: string[];
  receivedAt: number;
  /** An idle commit (nothing arriving) or a settling one: it moves a big slice of what landed (landing.ts). */
  kind?: Exclude<CommitKind, 'batch'>;
}

/**
 * `idleIn`: readings have landed and are not moved yet; with nothing else to commit, an idle commit
 * in that many ms would move some (null: nothing waits). Id 0 is the thread's own news at its start.
 */
export type WireReply = { id: number; error?: undefined; idleIn: number | null } | { id: number; error: string; code: string | undefined; idleIn?: number | null; fatal?: boolean };

/** The soonest an idle commit follows the last commit (ms): slices of a cycle are spaced by it. */
const IDLE_MOVE_MS = 100;
/** Settling commits at most (see settle()). */
const SETTLE_SLICES = 200;

const EMPTY = (): TelemetryBatch => ({ readings: [], deadLetters: [], seen: new Set(), receivedAt: Date.now() });

/** One running thread and the batches sent to it and not yet answered. */
interface Thread {
  worker: Worker;
  pending: Map<number, { resolve(): void; reject(err: Error): void }>;
  /** It stopped (crashed, or closed): nothing more may be sent to it. */
  gone: boolean;
  /** The names sent to it so far, with their numbers (WireBatch). */
  names: Map<string, number>;
}

export class TelemetryWriteThread {
  private thread: Thread | null = null;
  private nextId = 1;
  private idleMove: NodeJS.Timeout | null = null;
  /** The thread's last news of its landing table (WireReply). */
  private idleIn: number | null = null;
  private idleQueued = false;

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
    this.running();
  }

  /**
   * Moves every landed reading into the readings table (after what was sent before), a slice per
   * commit so that other writers get their turns in between. Under a steady stream new readings
   * keep landing, so it stops after SETTLE_SLICES slices (4 million readings) whatever is left.
   */
  async settle(): Promise<void> {
    let slices = 0;
    do await this.write(EMPTY(), 'settle');
    while (this.idleIn !== null && ++slices < SETTLE_SLICES);
  }

  /**
   * Commits the batch on the thread's connection; resolves once it is durable. `only`: an idle
   * commit for that thread, dropped if it has gone or been closed meanwhile (it must not start one).
   */
  write(b: TelemetryBatch, kind?: WireBatch['kind'], only?: Thread): Promise<void> {
    const id = this.nextId++;
    return this.turn.acquire('bulk').then(
      (release) =>
        new Promise<void>((resolve, reject) => {
          const end = (err?: Error) => {
            release();
            if (err) reject(err);
            else resolve();
          };
          if (only && (this.thread !== only || only.gone)) return end();
          let t: Thread | null = null;
          let known = 0;
          try {
            // The thread is picked once the turn is ours: one that stopped while we waited is replaced.
            t = this.running();
            known = t.names.size;
            const msg = encode(id, b, kind, t.names);
            t.pending.set(id, { resolve: () => end(), reject: end });
            // While a commit is outstanding the thread keeps the process alive; idle, it does not.
            t.worker.ref();
            t.worker.postMessage(msg, [msg.devices.buffer, msg.metrics.buffer, msg.at.buffer, msg.values.buffer] as ArrayBuffer[]);
          } catch (err) {
            // Not sent (a batch that cannot be cloned; no thread could start): the thread never saw
            // this batch's new names, so they are forgotten here too, and the turn is handed on.
            if (t) {
              for (const [name, k] of t.names) if (k >= known) t.names.delete(name);
              t.pending.delete(id);
              if (t.pending.size === 0) t.worker.unref();
            }
            end(err as Error);
          }
        }),
    );
  }

  /** Stops the thread (after the writes sent to it); the next write starts a new one. */
  async close(): Promise<void> {
    if (this.idleMove) clearTimeout(this.idleMove);
    this.idleMove = null;
    const t = this.thread;
    if (!t) return;
    this.thread = null;
    t.gone = true;
    const exited = once(t.worker, 'exit');
    t.worker.postMessage('stop');
    const timer = setTimeout(() => void t.worker.terminate(), 5000);
    await exited.catch(() => {});
    clearTimeout(timer);
  }

  /**
   * Landed readings are moved a slice per commit; when no readings come, an empty commit now and
   * then moves the rest (and sums their rollups) in a few seconds.
   */
  private moveWhenIdle(t: Thread, inMs: number): void {
    if (this.idleMove) clearTimeout(this.idleMove);
    this.idleMove = setTimeout(() => {
      this.idleMove = null;
      // A commit under way (or an idle one waiting for the turn) answers with the same news.
      if (this.thread !== t || t.gone || t.pending.size > 0 || this.idleQueued) return;
      this.idleQueued = true;
      this.write(EMPTY(), 'idle', t)
        .catch(() => {
          // Failed: the next batch's commit tries again, and is answered with the reason.
        })
        .finally(() => {
          this.idleQueued = false;
        });
    }, Math.max(IDLE_MOVE_MS, inMs));
    this.idleMove.unref();
  }

  private running(): Thread {
    if (this.thread && !this.thread.gone) return this.thread;
    const worker = startWorker(new URL('./write.worker.ts', import.meta.url), this.input);
    const t: Thread = { worker, pending: new Map(), gone: false, names: new Map() };
    this.thread = t;
    worker.unref();
    worker.on('message', (m: WireReply) => {
      if (m.idleIn !== undefined) this.idleIn = m.idleIn;
      // Not after a failure: a disk that stays full would be retried every 100 ms with nothing arriving.
      if (m.error === undefined && m.idleIn !== null) this.moveWhenIdle(t, m.idleIn);
      // The thread is ending (it could not read its landing table back): the next write must not be handed to it.
      if (m.error !== undefined && m.fatal) {
        t.gone = true;
        if (this.thread === t) this.thread = null;
      }
      const p = t.pending.get(m.id);
      if (!p) return;
      t.pending.delete(m.id);
      if (t.pending.size === 0) worker.unref();
      if (m.error === undefined) p.resolve();
      else p.reject(Object.assign(new Error(m.error), { code: m.code }));
    });
    // Only this thread's own batches fail with it; the next write starts another thread.
    const fail = (err: Error) => {
      t.gone = true;
      if (this.thread === t) this.thread = null;
      for (const p of t.pending.values()) p.reject(err);
      t.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the telemetry writer thread stopped (exit code ${code})`)));
    return t;
  }
}

/** A batch as columns, its names numbered in `names` (new ones added, and sent along). */
function encode(id: number, b: TelemetryBatch, kind: WireBatch['kind'], names: Map<string, number>): WireBatch {
  const n = b.readings.length;
  const msg: WireBatch = { id, names: [], devices: new Int32Array(n), metrics: new Int32Array(n), at: new Float64Array(n), values: new Float64Array(n), deadLetters: b.deadLetters, seen: [...b.seen], receivedAt: b.receivedAt, kind };
  const number = (name: string) => {
    let k = names.get(name);
    if (k === undefined) {
      names.set(name, (k = names.size));
      msg.names.push(name);
    }
    return k;
  };
  for (let i = 0; i < n; i++) {
    const r = b.readings[i]!;
    msg.devices[i] = number(r.deviceId);
    msg.metrics[i] = number(r.metric);
    msg.at[i] = r.at;
    msg.values[i] = r.value;
  }
  return msg;
}
