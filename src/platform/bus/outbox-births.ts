import type { Tx } from '../db/database.ts';

/** An outbox row as the relay hands it out. */
export interface OutboxRow {
  seq: number;
  event_id: string;
  name: string;
  payload: unknown;
  occurred_at: number;
  attempts: number;
  /** Born claimed rows: until when their claim holds (any relay may take them after). */
  claimedUntil?: number;
}

// While this process's own commits keep coming, the claim statement still runs every this many batches.
const CLAIM_EVERY = 8;

/**
 * Events born claimed by this process's relay: added inside a transaction this process began
 * (ctx.transaction), inserted already claimed, and handed out right after the commit without the
 * claim statement, which on SQLite waits its turn behind a telemetry commit. If the process dies
 * first, the claim runs out and any relay takes them.
 */
export class OutboxBirths {
  /** Rows added inside a transaction begun here, until it commits (a rolled-back one is just forgotten). */
  private readonly inTx = new WeakMap<Tx, OutboxRow[]>();
  /** Committed rows waiting to be handed out, in commit order. */
  private queue: OutboxRow[] = [];
  private batches = 0;

  begin(tx: Tx): void {
    this.inTx.set(tx, []);
  }

  /** Where the rows added in `tx` are kept; undefined when the transaction was not begun here. */
  of(tx: Tx): OutboxRow[] | undefined {
    return this.inTx.get(tx);
  }

  committed(tx: Tx): void {
    const rows = this.inTx.get(tx);
    this.inTx.delete(tx);
    if (rows?.length) this.queue.push(...rows);
  }

  /** Up to `limit` rows whose claim still holds, oldest first. */
  take(limit: number, now: number): OutboxRow[] {
    this.dropExpired(now);
    return this.queue.splice(0, limit);
  }

  /**
   * Whether the relay should run the claim statement now rather than hand out births: when none
   * waits, and every few batches while they keep coming, so that retries and rows left by a crash
   * are not starved.
   */
  claimDue(now: number): boolean {
    this.dropExpired(now);
    return this.queue.length === 0 || ++this.batches % CLAIM_EVERY === 0;
  }

  /** Rows whose claim ran out (a long transaction, a long wait) are anyone's: the claim statement takes them. */
  private dropExpired(now: number): void {
    if (this.queue.length && this.queue[0]!.claimedUntil! <= now) this.queue = this.queue.filter((r) => r.claimedUntil! > now);
  }
}
