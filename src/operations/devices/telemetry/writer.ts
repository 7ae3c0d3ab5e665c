// Group commit: every reading is acknowledged only once it is in storage, yet a transaction per
// reading would cap ingestion at a few thousand a second. So writes wait in a queue; when no commit
// is running the queue is written at once (low latency when quiet), and while one runs the next
// batch gathers behind it (big transactions under load). Each caller's promise settles when the
// transaction holding its readings has committed.
import type { AppContext } from '../../../platform/context.ts';
import type { Reading } from './reading.ts';
import type { NewDeadLetter, TelemetryBatch, TelemetryStore } from './telemetry.store.ts';

interface Pending {
  readings: Reading[];
  deadLetters: NewDeadLetter[];
  /** Devices heard from (authenticated), whatever was refused: their last-seen time moves. */
  seen: string[];
  resolve(): void;
  reject(err: unknown): void;
}

/** Most readings in one transaction: bounds its time, so the queue behind it is not starved. */
const MAX_BATCH = 5000;

export class TelemetryWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private readonly committed: Array<(readings: Reading[]) => void> = [];
  private readonly accepted: Array<(readings: Reading[]) => void> = [];
  /** Readings accepted in this turn of the event loop, handed to the `accepted` listeners at its end. */
  private acceptedNow: Reading[] | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: TelemetryStore,
  ) {}

  /** Stores readings and dead letters and marks devices seen; resolves when they are committed. */
  write(readings: Reading[], deadLetters: NewDeadLetter[], seen: string[]): Promise<void> {
    if (readings.length === 0 && deadLetters.length === 0 && seen.length === 0) return Promise.resolve();
    const written = new Promise<void>((resolve, reject) => {
      this.queue.push({ readings, deadLetters, seen, resolve, reject });
      this.running ??= this.drain();
    });
    // Handed over after the drain's first turn (queued above, when it starts): an idle writer
    // posts the batch to the store before the rules take the main thread.
    if (readings.length > 0 && this.accepted.length > 0) {
      if (this.acceptedNow) for (const r of readings) this.acceptedNow.push(r);
      else {
        this.acceptedNow = readings.slice();
        setImmediate(() => this.handAccepted());
      }
    }
    return written;
  }

  /** Called with every committed batch's readings, in commit order (live state, rules). */
  onCommitted(fn: (readings: Reading[]) => void): void {
    this.committed.push(fn);
  }

  /**
   * Called with readings as they are accepted (checked and queued for storage), before their commit:
   * those of one turn of the event loop together. The rules follow these (decision 0008): an alert
   * does not wait for the group commit, nor for the commit in flight ahead of it. A reading whose
   * commit then fails is not acknowledged, so its device sends it again; the rules' series keep one
   * reading per time, so judging it twice changes nothing.
   */
  onAccepted(fn: (readings: Reading[]) => void): void {
    this.accepted.push(fn);
  }

  /** Resolves when everything queued so far is written. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Resolves when everything queued so far is written and moved out of the landing table into the
   * readings table and its rollups (retention, before it deletes; tests reading the tables).
   * Queries do not need it: they read both (the views devices_reading_all and devices_rollup_all).
   */
  async settle(): Promise<void> {
    await this.flush();
    await this.store.settle();
  }

  /** Gets the store ready to commit (starts its writer thread: the server's start, not the first reading, waits for it). */
  open(): void {
    this.store.open((err) => this.ctx.log.error({ err }, 'telemetry: readings left in the landing table could not be moved'));
  }

  /** Writes what is queued, then stops the store's writer thread (a later write starts it again). */
  async close(): Promise<void> {
    await this.flush();
    await this.store.close();
  }

  private async drain(): Promise<void> {
    // Let the writes of the current turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      let running: Promise<Committed> | null = this.commitNext();
      while (running) {
        const done = await running;
        // The next commit starts before this one's writers are answered and its readings handed to
        // the listeners: answering (a PUBACK per message) and the rules take the main thread for a
        // while, and the store (the writer thread, PostgreSQL) would sit idle meanwhile.
        running = this.commitNext();
        this.answer(done);
        // A listener may have written meanwhile, after the queue was found empty.
        running ??= this.commitNext();
      }
    } finally {
      this.running = null;
    }
  }

  private handAccepted(): void {
    const readings = this.acceptedNow;
    this.acceptedNow = null;
    if (readings) this.tell(this.accepted, readings);
  }

  /** Takes a batch off the queue and starts committing it; null when the queue is empty. */
  private commitNext(): Promise<Committed> | null {
    if (this.queue.length === 0) return null;
    const take: Pending[] = [];
    let n = 0;
    while (this.queue.length && (n === 0 || n + this.queue[0]!.readings.length <= MAX_BATCH)) {
      const p = this.queue.shift()!;
      n += p.readings.length + p.deadLetters.length;
      take.push(p);
    }
    const batch: TelemetryBatch = { readings: [], deadLetters: [], seen: new Set(), receivedAt: this.ctx.clock.now() };
    for (const p of take) {
      for (const r of p.readings) batch.readings.push(r);
      for (const d of p.deadLetters) batch.deadLetters.push(d);
      for (const id of p.seen) batch.seen.add(id);
    }
    return this.store.commit(this.ctx, batch).then(
      () => ({ take, batch, err: null }),
      (err: unknown) => ({ take, batch, err: err ?? new Error('the batch could not be written') }),
    );
  }

  /** Answers a commit's writers and, if it was written, hands its readings to the listeners (in commit order). */
  private answer({ take, batch, err }: Committed): void {
    if (err !== null) {
      this.ctx.log.error({ err, readings: batch.readings.length }, 'telemetry: a batch could not be written');
      for (const p of take) p.reject(err);
      return;
    }
    for (const p of take) p.resolve();
    this.tell(this.committed, batch.readings);
  }

  /** Hands readings to each listener; one that throws is logged and does not stop the others. */
  private tell(listeners: Array<(readings: Reading[]) => void>, readings: Reading[]): void {
    for (const fn of listeners) {
      try {
        fn(readings);
      } catch (err) {
        this.ctx.log.error({ err }, 'telemetry: a listener failed');
      }
    }
  }
}

interface Committed {
  take: Pending[];
  batch: TelemetryBatch;
  err: unknown;
}
