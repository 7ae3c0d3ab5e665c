// Whose turn it is to write to the SQLite file, among this process's connections. The main
// connection and the telemetry writer thread (decision 0006) both take SQLite's write lock; when
// one finds it held, SQLite's busy handler sleeps — and on the main thread that sleep stops the
// event loop (measured: a third of the main thread in an alert storm). Taking turns here first,
// with a promise, means this process's writers wait for each other without blocking anything.
// Other processes (a CLI import beside the server) still meet the busy handler, as before.
//
// Two lanes: the main connection's transactions (an alert, a case, a citizen's application: small,
// and someone waits for each) go before the telemetry writer's group commits that are still
// waiting, which are big and whose devices are answered by the commit already in flight ahead of
// them. An alert then waits for at most the one commit under way, not for the queue (decision 0008).
// So that a steady stream of small writers cannot starve telemetry, a waiting bulk turn is passed
// over at most BULK_PASSED_AT_MOST times.

/** `urgent`: the main connection's transactions; `bulk`: telemetry group commits. */
export type TurnLane = 'urgent' | 'bulk';

const BULK_PASSED_AT_MOST = 8;

export class WriteTurn {
  private held = false;
  private readonly urgent: Array<() => void> = [];
  private readonly bulk: Array<() => void> = [];
  /** Urgent turns given while the first bulk waiter waited. */
  private passed = 0;

  /** Resolves with the function that ends the turn, once it is this writer's (see the lanes above). */
  acquire(lane: TurnLane = 'urgent'): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => (lane === 'urgent' ? this.urgent : this.bulk).push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.next();
    };
  }

  private next(): void {
    const bulkDue = this.bulk.length > 0 && (this.urgent.length === 0 || this.passed >= BULK_PASSED_AT_MOST);
    const go = bulkDue ? this.bulk.shift() : this.urgent.shift();
    if (!go) {
      this.held = false;
      return;
    }
    this.passed = bulkDue || this.bulk.length === 0 ? 0 : this.passed + 1;
    go();
  }
}

/**
 * Runs `fn` (a transaction, or writes on one connection) holding the write turn, taken *before* the
 * connection. Kysely runs one transaction at a time on SQLite's one connection, and a transaction
 * that took the connection first and then waited for the turn (behind a telemetry commit) held up
 * every other query of the process meanwhile, reads included (session 13: alerts and cases waited
 * as long for the connection as for the turn). Nothing waits for the turn while holding the
 * connection, so two writers can never each hold what the other waits for. ctx.transaction and the
 * outbox's writes come through here; the migrator holds the turn for its whole run. A transaction
 * begun on the connection directly (seeding, before the server serves) takes no turn and would meet
 * SQLite's busy handler instead.
 */
export async function withWriteTurn<T>(turn: WriteTurn | undefined, fn: () => Promise<T>): Promise<T> {
  if (!turn) return fn();
  const release = await turn.acquire();
  try {
    return await fn();
  } finally {
    release();
  }
}
