import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Dialect, Executor, Tx } from '../db/database.ts';
import type { WriteTurn } from '../db/write-turn.ts';
import { fromJson, toJson } from '../db/dialect.ts';
import type { EventBus } from './bus.ts';
import type { Envelope, EventMap, EventName } from './events.ts';

// A relay that claimed events and died frees them after this long.
const CLAIM_MS = 30_000;
// A publish that keeps failing is retried after 1 s, 2 s, 4 s … up to 5 minutes; after 20 failures
// (about an hour) the event is parked for an operator instead of being retried for ever.
const MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 5 * 60_000;

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

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly bus: EventBus,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void = () => {},
    /** SQLite: the process's write turn (write-turn.ts), taken around the claim. */
    private readonly turn: WriteTurn | null = null,
  ) {}

  /** Records an event inside the caller's transaction; it is published only if that commits. */
  async add<N extends EventName>(tx: Tx, name: N, payload: EventMap[N]): Promise<Envelope<N>> {
    const event = { id: randomUUID(), name, occurredAt: this.now(), payload } as Envelope<N>;
    await tx
      .insertInto('platform_outbox')
      .values({ event_id: event.id, name, payload: toJson(payload), occurred_at: event.occurredAt, published_at: null, attempts: 0, last_error: null, claimed_until: null } as any)
      .execute();
    return event;
  }

  /** Records several events of one kind inside the caller's transaction (multi-row inserts). */
  async addMany<N extends EventName>(tx: Tx, name: N, payloads: Array<EventMap[N]>): Promise<void> {
    const at = this.now();
    const rows = payloads.map((payload) => ({ event_id: randomUUID(), name, payload: toJson(payload), occurred_at: at, published_at: null, attempts: 0, last_error: null, claimed_until: null }));
    for (let i = 0; i < rows.length; i += 500) await tx.insertInto('platform_outbox').values(rows.slice(i, i + 500) as any).execute();
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

  /** Publishes every pending event in commit order; returns how many were published. */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          let n: number;
          while ((n = await this.drainBatch(200)) > 0) total += n;
        } while (this.again);
      } finally {
        this.draining = null;
      }
      return total;
    })();
    return this.draining;
  }

  /**
   * A write outside any transaction. On SQLite it waits its turn among this process's writers
   * (write-turn.ts), so a telemetry commit in progress is waited for without SQLite's busy handler
   * stopping the event loop. The connection is taken first and the turn second, as a transaction
   * does: the other order deadlocks against a transaction holding the connection while it waits
   * for the turn.
   */
  private write<T>(fn: (db: Executor) => Promise<T>): Promise<T> {
    const turn = this.turn;
    if (!turn) return fn(this.db);
    return this.db.connection().execute(async (conn) => {
      const release = await turn.acquire();
      try {
        return await fn(conn);
      } finally {
        release();
      }
    });
  }

  private async drainBatch(limit: number): Promise<number> {
    // Claim a batch, then publish outside any transaction: an in-process subscriber may itself open
    // a transaction, and must not wait on a connection the relay is holding. The claim is one
    // statement, so it is atomic on its own: SQLite takes the write lock when the statement starts
    // (a select-then-update transaction of two processes on one file fails with SQLITE_BUSY), and
    // PostgreSQL skips rows another relay has locked, so several processes can relay at once.
    const now = this.now();
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
    const claimed = await this.write(claim);
    const rows = claimed.sort((a, b) => Number(a.seq) - Number(b.seq));
    let done = 0;
    // Published events are marked together after the batch (or before giving up on the rest): a
    // crash in between publishes them again, which subscribers already allow for (at least once).
    const published: number[] = [];
    const mark = async () => {
      if (published.length) {
        const seqs = published.splice(0);
        await this.write((db) => db.updateTable('platform_outbox').set({ published_at: this.now(), claimed_until: null }).where('seq', 'in', seqs).execute());
      }
    };
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const event: Envelope = { id: row.event_id, name: row.name as EventName, occurredAt: Number(row.occurred_at), payload: fromJson(row.payload) as never };
      try {
        await this.bus.publish(event);
      } catch (err) {
        await mark();
        await this.failed(row.seq, Number(row.attempts) + 1, err);
        // Let go of the rest of the batch at once (not after the claim times out), so the next run
        // takes them; this event waits out its back-off. Order is kept while the bus is down (every
        // publish fails) and given up only around an event that alone cannot be published.
        const rest = rows.slice(i + 1).map((r) => r.seq);
        if (rest.length) await this.write((db) => db.updateTable('platform_outbox').set({ claimed_until: null }).where('seq', 'in', rest).execute());
        this.onError(err);
        break;
      }
      published.push(row.seq);
      done++;
    }
    await mark();
    this.published += done;
    return done === rows.length ? done : 0;
  }

  /** Records a failed publish: retry after a growing back-off; park the event after MAX_ATTEMPTS. */
  private async failed(seq: number, attempts: number, err: unknown): Promise<void> {
    const now = this.now();
    const parked = attempts >= MAX_ATTEMPTS;
    await this.db
      .updateTable('platform_outbox')
      .set({
        attempts,
        last_error: String((err as Error)?.message ?? err).slice(0, 500),
        claimed_until: parked ? null : now + Math.min(1000 * 2 ** (attempts - 1), MAX_BACKOFF_MS),
        parked_at: parked ? now : null,
      })
      .where('seq', '=', seq)
      .execute();
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
