import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Dialect, Executor, Tx } from '../db/database.ts';
import { withWriteTurn, type WriteTurn } from '../db/write-turn.ts';
import { fromJson, toJson } from '../db/dialect.ts';
import type { EventBus } from './bus.ts';
import type { Envelope, EventMap, EventName } from './events.ts';
import { OutboxBirths, type OutboxRow } from './outbox-births.ts';

// A relay that claimed events and died frees them after this long.
const CLAIM_MS = 30_000;
// A publish that keeps failing is retried after 1 s, 2 s, 4 s … up to 5 minutes; after 20 failures
// (about an hour) the event is parked for an operator instead of being retried for ever.
const MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 5 * 60_000;
// Events handed to the bus and not yet handled by every subscriber, at most.
const MAX_IN_FLIGHT = 2000;

declare module '../db/tables.ts' {
  interface Tables {
    platform_outbox: {
      seq: number;
      event_id: string;
      name: string;
      payload: unknown;
      occurred_at: number;
      published_at: number | null;
      attempts: number;
      last_error: string | null;
      claimed_until: number | null;
      parked_at: number | null;
    };
  }
}

/**
 * Transactional outbox: a service adds its events in the same transaction as its change, and the
 * relay publishes them after commit. A rolled-back transaction leaves no row, so no event; a crash
 * between commit and publish leaves the row unpublished, and the next relay run (in this process
 * after restart, or in any other process) publishes it. The event id travels as the message id so
 * NATS JetStream drops a re-publish of the same event, making delivery exactly-once per commit.
 */
export class Outbox {
  private draining: Promise<number> | null = null;
  private started = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private published = 0;
  /** Events born claimed by this relay (outbox-births.ts). */
  private readonly births = new OutboxBirths();

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly bus: EventBus,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void = () => {},
    /** SQLite: the process's write turn (write-turn.ts), taken around the claim. */
    private readonly turn: WriteTurn | null = null,
  ) {}

  /**
   * Marks a transaction this process runs (ctx.transaction calls it first thing): while the relay
   * runs, the events added in it are born claimed by it (outbox-births.ts).
   */
  begin(tx: Tx): void {
    if (this.started) this.births.begin(tx);
  }

  /** After the commit of a transaction begun here: its events go out now. */
  committed(tx: Tx): void {
    this.births.committed(tx);
    this.kick();
  }

  /** Records an event inside the caller's transaction; it is published only if that commits. */
  async add<N extends EventName>(tx: Tx, name: N, payload: EventMap[N]): Promise<Envelope<N>> {
    const event = { id: randomUUID(), name, occurredAt: this.now(), payload } as Envelope<N>;
    await this.insert(tx, [{ event_id: event.id, name, payload: toJson(payload), occurred_at: event.occurredAt }]);
    return event;
  }

  /** Records several events of one kind inside the caller's transaction (multi-row inserts). */
  async addMany<N extends EventName>(tx: Tx, name: N, payloads: Array<EventMap[N]>): Promise<void> {
    const at = this.now();
    const rows = payloads.map((payload) => ({ event_id: randomUUID(), name, payload: toJson(payload), occurred_at: at }));
    for (let i = 0; i < rows.length; i += 500) await this.insert(tx, rows.slice(i, i + 500));
  }

  private async insert(tx: Tx, rows: Array<Omit<OutboxRow, 'seq' | 'attempts'>>): Promise<void> {
    const mine = this.births.of(tx);
    const claimedUntil = this.now() + CLAIM_MS;
    const values = rows.map((r) => ({ ...r, published_at: null, attempts: 0, last_error: null, claimed_until: mine ? claimedUntil : null }));
    if (!mine) return void (await tx.insertInto('platform_outbox').values(values as any).execute());
    const inserted = await tx.insertInto('platform_outbox').values(values as any).returning(['seq', 'event_id']).execute();
    // Neither database promises RETURNING's order: each row is matched by its event id.
    const seqOf = new Map(inserted.map((r) => [r.event_id, Number(r.seq)]));
    for (const r of rows) mine.push({ ...r, seq: seqOf.get(r.event_id)!, attempts: 0, claimedUntil });
  }

  /**
   * Asks the relay to run soon (called after every commit). Only a started relay runs: a CLI
   * command (seed, import) has no subscribers of its own, so its events wait in the outbox for
   * the server's relay instead of being "published" into an empty in-process bus.
   */
  kick(): void {
    if (!this.started) return;
    if (this.draining) {
      this.again = true;
      this.notify();
      return;
    }
    // Commits that land in the same turn of the event loop (concurrent requests) share one run:
    // one claim and one "published" mark for all their events instead of one each.
    if (this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      if (this.started) void this.drain().catch(this.onError);
    });
  }
  private kicked = false;

  /**
   * Publishes every pending event in commit order; returns how many were published, once every
   * one of them has been handled (on the in-process bus, by every subscriber).
   *
   * On the in-process bus publishing is pipelined: the relay hands events out without waiting for
   * each to be handled, and goes on claiming (when a commit asks) while up to MAX_IN_FLIGHT are
   * out. Each subscription works through its own queue, so a slow subscriber (a case filed per
   * alert) falls behind on its own while the others (the live map) get new events at once. An
   * event is marked published when all its subscribers are done with it, so a crash before then
   * publishes it again. On NATS, where a publish can fail alone (a timeout), events go one at a
   * time, so that a failed one is not overtaken by those after it.
   */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      this.notify();
      return this.draining;
    }
    this.draining = (async () => {
      let total = 0;
      this.failedThisRun = false;
      this.again = true;
      try {
        for (;;) {
          // Every condition is read afresh after each wait: a commit or a completion may have come.
          if (this.again && !this.failedThisRun) {
            this.again = false;
            // This process's own commits go out first: they need neither a claim nor the mark's wait.
            const room = this.maxInFlight - this.inFlight.size;
            if (room > 0) await this.handOut(this.births.take(Math.min(200, room), this.now()));
            total += await this.markDone(); // before claiming: a handled event is not claimed again
            // Claim and hand out batches while there are events, room, and no publish has failed
            // (a bus that is down is tried again by the next run, not hammered by this one).
            while (!this.failedThisRun) {
              if (this.inFlight.size >= this.maxInFlight) await this.news();
              else if ((await this.dispatchBatch(Math.min(200, this.maxInFlight - this.inFlight.size))) === 0) break;
            }
          }
          // Handled events are marked together: when none is out, or every 200.
          if (this.inFlight.size === 0 || this.done.size >= 200) total += await this.markDone();
          const asked = this.again && !this.failedThisRun;
          if (!asked && this.inFlight.size === 0 && this.done.size === 0) break;
          // Events are out: wait for one to be handled, or for a commit with new events to claim.
          if (!asked && this.inFlight.size > 0) await this.news();
        }
      } finally {
        // Never end with events out (a failed claim or mark, say): stop() and the database's close
        // come after this, and the handlers still running need it.
        while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
        total += await this.markDone().catch((err) => (this.onError(err), 0));
        this.draining = null;
        // A commit that asked while a failed run was winding down gets a run of its own.
        if (this.again && this.failedThisRun && this.started) setTimeout(() => this.kick(), 1000).unref();
      }
      return total;
    })();
    return this.draining;
  }

  /** Events handed to the bus and not yet handled, by outbox seq. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Events handled by the bus, to be marked published. */
  private done = new Set<number>();
  private failedThisRun = false;
  private get maxInFlight(): number {
    return this.bus.kind === 'memory' ? MAX_IN_FLIGHT : 1;
  }
  // A wake-up that is kept when nobody is waiting yet, so that none is lost between a check and a wait.
  private wake: (() => void) | null = null;
  private woken = false;
  /** Resolves at the next completion or kick (at once if one came since the last wait). */
  private news(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => (this.wake = resolve));
  }
  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
    else this.woken = true;
  }

  /**
   * A write outside any transaction. On SQLite it waits its turn among this process's writers
   * (write-turn.ts), so a telemetry commit in progress is waited for without SQLite's busy handler
   * stopping the event loop. The turn is taken first and the connection second, as a transaction
   * does (withWriteTurn): the connection is not held, keeping every other query out, while the
   * turn is waited for, and the same order everywhere means no two writers wait for each other.
   */
  private write<T>(fn: (db: Executor) => Promise<T>): Promise<T> {
    if (!this.turn) return fn(this.db);
    return withWriteTurn(this.turn, () => this.db.connection().execute((conn) => fn(conn)));
  }

  /** Claims up to `limit` events and hands them to the bus; returns how many it handed out. */
  private async dispatchBatch(limit: number): Promise<number> {
    // Claim a batch, then publish outside any transaction: an in-process subscriber may itself open
    // a transaction, and must not wait on a connection the relay is holding. The claim is one
    // statement, so it is atomic on its own: SQLite takes the write lock when the statement starts
    // (a select-then-update transaction of two processes on one file fails with SQLITE_BUSY), and
    // PostgreSQL skips rows another relay has locked, so several processes can relay at once.
    const now = this.now();
    // This process's own commits go first (they are claimed already), with the claim statement in between now and then.
    if (!this.births.claimDue(now)) return this.handOut(this.births.take(limit, now));
    const claim = (db: Executor) =>
      db
        .updateTable('platform_outbox')
        .set({ claimed_until: now + CLAIM_MS })
        .where((eb) => {
          let pending = eb
            .selectFrom('platform_outbox')
            .select('seq')
            .where('published_at', 'is', null)
            .where('parked_at', 'is', null)
            .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
            .orderBy('seq')
            .limit(limit);
          if (this.dialect === 'postgres') pending = pending.forUpdate().skipLocked();
          return eb('seq', 'in', pending);
        })
        .returningAll()
        .execute();
    const n = await this.handOut(await this.write(claim));
    return n > 0 ? n : this.handOut(this.births.take(limit, now));
  }

  /** Hands claimed events to the bus in seq order; returns how many were claimed. */
  private async handOut(claimed: OutboxRow[]): Promise<number> {
    // An event still out after its claim ran out was claimed again, which renews the claim; it is
    // not handed out twice.
    const rows = claimed.sort((a, b) => Number(a.seq) - Number(b.seq)).filter((r) => !this.inFlight.has(Number(r.seq)) && !this.done.has(Number(r.seq)));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const seq = Number(row.seq);
      const event: Envelope = { id: row.event_id, name: row.name as EventName, occurredAt: Number(row.occurred_at), payload: fromJson(row.payload) as never };
      const handled = this.bus
        .publish(event)
        .then(
          () => void this.done.add(seq),
          async (err: unknown) => {
            this.failedThisRun = true;
            this.onError(err);
            await this.failed(seq, Number(row.attempts) + 1, err).catch(this.onError);
          },
        )
        .finally(() => {
          this.inFlight.delete(seq);
          this.notify();
        });
      this.inFlight.set(seq, handled);
      if (this.maxInFlight > 1) continue;
      // One at a time (NATS): after a failure the rest of the batch is let go at once (not after
      // its claim runs out), so the next run takes it, in order, once this event's back-off is over.
      await handled;
      if (this.failedThisRun) {
        const rest = rows.slice(i + 1).map((r) => r.seq);
        if (rest.length) await this.write((db) => db.updateTable('platform_outbox').set({ claimed_until: null }).where('seq', 'in', rest).execute());
        break;
      }
    }
    return claimed.length;
  }

  /** Marks the events the bus has handled as published (a crash before this publishes them again). */
  private async markDone(): Promise<number> {
    if (this.done.size === 0) return 0;
    const seqs = [...this.done];
    for (let i = 0; i < seqs.length; i += 500) {
      const part = seqs.slice(i, i + 500);
      // A mark that fails leaves the rest to the next try (and a crash, to a publish again).
      await this.write((db) => db.updateTable('platform_outbox').set({ published_at: this.now(), claimed_until: null }).where('seq', 'in', part).execute());
      for (const seq of part) this.done.delete(seq);
      this.published += part.length;
    }
    return seqs.length;
  }

  /** Records a failed publish: retry after a growing back-off; park the event after MAX_ATTEMPTS. */
  private async failed(seq: number, attempts: number, err: unknown): Promise<void> {
    const now = this.now();
    const parked = attempts >= MAX_ATTEMPTS;
    await this.write((db) => db
      .updateTable('platform_outbox')
      .set({
        attempts,
        last_error: String((err as Error)?.message ?? err).slice(0, 500),
        claimed_until: parked ? null : now + Math.min(1000 * 2 ** (attempts - 1), MAX_BACKOFF_MS),
        parked_at: parked ? now : null,
      })
      .where('seq', '=', seq)
      .execute());
  }

  /** Events given up on after MAX_ATTEMPTS failed publishes (for /metrics and operators). */
  async parked(): Promise<number> {
    const r = await this.db.selectFrom('platform_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('parked_at', 'is not', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Puts parked events back in line (after the cause was fixed). */
  async unpark(): Promise<number> {
    const r = await this.db.updateTable('platform_outbox').set({ parked_at: null, attempts: 0, claimed_until: null }).where('parked_at', 'is not', null).executeTakeFirst();
    this.kick();
    return Number(r.numUpdatedRows);
  }

  /** Unpublished events still in line (for /metrics). */
  async pending(): Promise<number> {
    const r = await this.db.selectFrom('platform_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('published_at', 'is', null).where('parked_at', 'is', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  publishedCount(): number {
    return this.published;
  }

  /**
   * Starts the relay: it runs after every commit of this process and every `intervalMs`, to pick
   * up events left by a crash or by another process. `intervalMs` 0 means after commits only.
   */
  start(intervalMs = 1000): void {
    this.started = true;
    if (intervalMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.kick(), intervalMs);
      this.timer.unref();
      this.kick();
    }
  }

  async stop(): Promise<void> {
    // Events committed in the last turn, whose run was still to come: publish them before stopping.
    if (this.kicked && this.started) {
      this.kicked = false;
      await this.drain().catch(this.onError);
    }
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.draining) await this.draining.catch(() => 0);
  }

  /** Deletes published events older than `olderThanMs` (they are history, not state). */
  async prune(olderThanMs: number): Promise<number> {
    const r = await this.write((db) => db.deleteFrom('platform_outbox').where('published_at', '<', this.now() - olderThanMs).executeTakeFirst());
    return Number(r.numDeletedRows);
  }
}
