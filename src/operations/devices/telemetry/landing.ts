// Readings land first, and are moved into their series later (decision 0007). Used by the writer
// thread (write.worker.ts) on SQLite.
//
// Why: the readings table is clustered on (device, metric, time), so a group commit that stores a
// few readings of each of thousands of series touches a page per series, and in WAL mode SQLite
// drops a connection's whole page cache whenever another connection has committed. Measured
// (docs/devices.md, session 12): 15–21 µs per reading stored that way, which saturated the writer
// thread at 50,000 readings/s. Appending to a table without indexes costs about 1.3 µs. Moved a
// few seconds later, a series brings tens of readings to its page at once, and its rollups are
// summed over all of them: about 5 µs more.
//
// How:
// - A group commit appends its readings to `devices_reading_landing` and remembers them here, by
//   series. The acknowledgement waits for that commit, so what is acknowledged is durable.
// - A reading already stored or already landing (an MQTT redelivery) is not landed again. A series'
//   newest stored time is asked once, so only readings at or before it need a lookup by key.
// - Every few seconds (or 100,000 readings) a cycle takes what has landed. Each following commit
//   moves a slice of the cycle's series, in key order, with their rollups: a bit more than it
//   landed, so the mover keeps up. SQLite has one writer, and one big move would hold every
//   acknowledgement behind it.
// - When the cycle is done, its landing rows go in one delete of a rowid prefix: every row up to the
//   largest rowid when the cycle started. Each of those rows is in the cycle or was found already
//   stored, and rows landed later get larger rowids (SQLite gives max + 1, and nothing is deleted
//   meanwhile). The largest rowid is asked of the table, not remembered: a rolled-back commit's
//   rowids are handed out again.
// - Readers use the views `devices_reading_all` and `devices_rollup_all` (migration 0006). They
//   leave out a landing row once its key is in the readings table, so a row moved but not yet
//   deleted is not seen twice.
// - After a crash the landing rows are still there: `recover()` takes them back, and what a cycle had
//   already moved is recognised by key.
import type SQLite from 'better-sqlite3';
import type { Reading } from './reading.ts';
import { addToRollups, type TelemetryStatements } from './sqlite-batch.ts';

/** A commit with readings, an idle one (nothing arriving) or a settling one: how much it moves (move()). */
export type CommitKind = 'batch' | 'idle' | 'settle';

/** A cycle starts once this much has landed... */
const CYCLE_ROWS = 100_000;
/** ...or the oldest landed reading is this old (ms). */
const CYCLE_MS = 3_000;
/** Readings a commit moves beyond as many as it landed: the mover catches up. */
const SLICE_EXTRA = 2_000;
/** Readings an idle commit (nothing arriving, write-thread.ts) or a settling one moves: about 100 ms. */
export const IDLE_SLICE = 20_000;

interface Run {
  /** `device\0metric`, the key of `pending`, `newest` and a cycle's `bySeries`. */
  key: string;
  deviceId: string;
  metric: string;
  at: number[];
  value: number[];
  received: number[];
  /** The latest time in `at`: a reading after it is no duplicate (the usual case, readings come in order). */
  maxAt: number;
}

interface Cycle {
  runs: Run[];
  next: number;
  /** Every landing row of the cycle has a rowid up to this. */
  lastRowid: number;
  /** Series key → run, for the duplicate check while the cycle moves. */
  bySeries: Map<string, Run>;
}

export class Landing {
  private pending = new Map<string, Run>();
  private pendingRows = 0;
  private pendingSince = 0;
  private cycle: Cycle | null = null;
  /** Per series: the newest time in the readings table (a reading after it cannot be a duplicate). */
  private readonly newest = new Map<string, number>();
  private readonly s;

  /** `telemetry`: the connection's prepared telemetry statements (the insert into the readings table, the rollup upsert). */
  constructor(
    db: SQLite.Database,
    private readonly telemetry: TelemetryStatements,
  ) {
    this.s = {
      land: db.prepare('insert into devices_reading_landing (device_id, metric, at, value, received_at) values (?, ?, ?, ?, ?)'),
      moved: db.prepare('delete from devices_reading_landing where rowid <= ?'),
      lastRowid: db.prepare('select coalesce(max(rowid), 0) from devices_reading_landing').pluck(),
      newest: db.prepare('select max(at) from devices_reading where device_id = ? and metric = ?').pluck(),
      stored: db.prepare('select 1 from devices_reading where device_id = ? and metric = ? and at = ?').pluck(),
      all: db.prepare('select rowid, device_id, metric, at, value, received_at from devices_reading_landing order by rowid').raw(),
    };
  }

  /**
   * Takes back what has landed and is not moved: at the start, and after a commit that failed
   * (its transaction rolled back what this object had noted meanwhile, so it starts over from the table).
   */
  recover(): void {
    this.pending = new Map();
    this.pendingRows = 0;
    this.cycle = null;
    this.newest.clear();
    for (const row of this.s.all.iterate() as Iterable<[number, string, string, number, number, number]>) {
      const [, deviceId, metric, at, value, received] = row;
      const k = seriesKey(deviceId, metric);
      if (this.isNew(k, deviceId, metric, at)) this.remember(k, deviceId, metric, at, value, received);
    }
    // Due at once: they have waited long enough.
    this.pendingSince = 0;
  }

  /** Lands a commit's readings (inside its transaction); returns how many were new. */
  land(readings: readonly Reading[], receivedAt: number): number {
    let n = 0;
    for (const r of readings) {
      const k = seriesKey(r.deviceId, r.metric);
      if (!this.isNew(k, r.deviceId, r.metric, r.at)) continue;
      this.s.land.run(r.deviceId, r.metric, r.at, r.value, receivedAt);
      this.remember(k, r.deviceId, r.metric, r.at, r.value, receivedAt);
      n++;
    }
    return n;
  }

  /**
   * Moves a slice of the current cycle inside the caller's transaction, starting one when due (or
   * at once when settling). A commit that landed readings moves a few more than it landed; an idle
   * or settling commit moves `IDLE_SLICE`.
   */
  move(landed: number, now: number, kind: CommitKind = 'batch'): void {
    if (!this.cycle && this.pendingRows > 0 && (kind === 'settle' || now >= this.dueAt())) this.startCycle();
    if (this.cycle) this.moveSome(kind === 'batch' ? landed + SLICE_EXTRA : IDLE_SLICE);
    // Settled: rows found already stored when they were taken back after a restart are in no cycle.
    else if (kind === 'settle') this.s.moved.run(this.s.lastRowid.get());
  }

  /** Moves everything landed, inside the caller's transaction (tests; the thread settles a slice per commit). */
  settle(): void {
    do this.move(0, Date.now(), 'settle');
    while (this.waiting);
  }

  /** Something landed is not moved yet. */
  get waiting(): boolean {
    return this.cycle !== null || this.pendingRows > 0;
  }

  /** How long until an idle commit has something to move (ms; 0: now), or null when nothing waits. */
  idleIn(now: number): number | null {
    if (this.cycle) return 0;
    return this.pendingRows > 0 ? Math.max(0, this.dueAt() - now) : null;
  }

  private dueAt(): number {
    return this.pendingRows >= CYCLE_ROWS ? 0 : this.pendingSince + CYCLE_MS;
  }

  private isNew(k: string, deviceId: string, metric: string, at: number): boolean {
    if (hasTime(this.pending.get(k), at) || hasTime(this.cycle?.bySeries.get(k), at)) return false;
    let newest = this.newest.get(k);
    if (newest === undefined) this.newest.set(k, (newest = Number(this.s.newest.get(deviceId, metric) ?? -Infinity)));
    return at > newest || this.s.stored.get(deviceId, metric, at) === undefined;
  }

  private remember(k: string, deviceId: string, metric: string, at: number, value: number, received: number): void {
    let run = this.pending.get(k);
    if (!run) this.pending.set(k, (run = { key: k, deviceId, metric, at: [], value: [], received: [], maxAt: -Infinity }));
    run.at.push(at);
    run.value.push(value);
    run.received.push(received);
    if (at > run.maxAt) run.maxAt = at;
    if (this.pendingRows++ === 0) this.pendingSince = Date.now();
  }

  private startCycle(): void {
    const keys = [...this.pending.keys()].sort();
    this.cycle = { runs: keys.map((k) => this.pending.get(k)!), next: 0, lastRowid: Number(this.s.lastRowid.get()), bySeries: this.pending };
    this.pending = new Map();
    this.pendingRows = 0;
  }

  private moveSome(budget: number): void {
    const c = this.cycle!;
    let moved = 0;
    while (c.next < c.runs.length && moved < budget) {
      const run = c.runs[c.next++]!;
      moved += this.moveRun(run);
    }
    if (c.next < c.runs.length) return;
    this.s.moved.run(c.lastRowid);
    this.cycle = null;
  }

  /** Inserts one series' landed readings in time order and adds those stored to its rollups. */
  private moveRun(run: Run): number {
    const order = run.at.map((_, i) => i).sort((a, b) => run.at[a]! - run.at[b]!);
    const stored: Reading[] = [];
    for (const i of order) {
      const r = { deviceId: run.deviceId, metric: run.metric, at: run.at[i]!, value: run.value[i]! };
      if (this.telemetry.reading.run(r.deviceId, r.metric, r.at, r.value, run.received[i]!).changes === 1) stored.push(r);
    }
    // In time order: the last one stored is the series' newest.
    if (stored.length) this.newest.set(run.key, Math.max(this.newest.get(run.key) ?? -Infinity, stored[stored.length - 1]!.at));
    addToRollups(this.telemetry, stored);
    return run.at.length;
  }
}

const seriesKey = (deviceId: string, metric: string) => `${deviceId}\0${metric}`;

/** Whether a run holds a reading at this time (newest first: a duplicate is usually recent). */
function hasTime(run: Run | undefined, at: number): boolean {
  if (!run || at > run.maxAt) return false;
  for (let i = run.at.length - 1; i >= 0; i--) if (run.at[i] === at) return true;
  return false;
}
