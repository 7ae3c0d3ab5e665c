// One group commit's contents and how SQLite writes it. Shared by the writer thread
// (write.worker.ts, the default with a database file) and the main thread (an in-memory database),
// so both run the same statements.
import type SQLite from 'better-sqlite3';
import type { DeadLetterRow, RollupRow } from '../device.schema.ts';
import type { Reading } from './reading.ts';
import type { CommitKind, Landing } from './landing.ts';

export type NewDeadLetter = Omit<DeadLetterRow, 'id'>;

/** What one group commit writes. */
export interface TelemetryBatch {
  readings: Reading[];
  deadLetters: NewDeadLetter[];
  /** Devices heard from: their last-seen time becomes `receivedAt`. */
  seen: Set<string>;
  receivedAt: number;
}

/** Rollup bucket sizes: one minute and one hour. */
export const ROLLUP_SIZES = [60_000, 3_600_000] as const;

/** Readings summed per device, metric and bucket of each size (one upsert per group, not per reading). */
export function rollups(readings: readonly Reading[]): RollupRow[] {
  const groups = new Map<string, RollupRow>();
  for (const r of readings) {
    for (const size of ROLLUP_SIZES) {
      const bucket = r.at - (((r.at % size) + size) % size);
      const key = `${r.deviceId}\0${r.metric}\0${size}\0${bucket}`;
      const g = groups.get(key);
      if (!g) groups.set(key, { device_id: r.deviceId, metric: r.metric, size_ms: size, bucket, n: 1, sum: r.value, min: r.value, max: r.value });
      else {
        g.n++;
        g.sum += r.value;
        if (r.value < g.min) g.min = r.value;
        if (r.value > g.max) g.max = r.value;
      }
    }
  }
  return [...groups.values()];
}

/** The newest reading of each (device, metric) among `readings`. */
export function latestPerSeries(readings: readonly Reading[]): Reading[] {
  const latest = new Map<string, Reading>();
  for (const r of readings) {
    const k = `${r.deviceId}\0${r.metric}`;
    const had = latest.get(k);
    if (!had || r.at >= had.at) latest.set(k, r);
  }
  return [...latest.values()];
}

export type TelemetryStatements = ReturnType<typeof prepareTelemetry>;

/** The hot path's statements, prepared once per connection. */
export function prepareTelemetry(db: SQLite.Database) {
  return {
    reading: db.prepare('insert into devices_reading (device_id, metric, at, value, received_at) values (?, ?, ?, ?, ?) on conflict do nothing'),
    state: db.prepare('insert into devices_state (device_id, metric, value, at) values (?, ?, ?, ?) on conflict (device_id, metric) do update set value = excluded.value, at = excluded.at where excluded.at >= devices_state.at'),
    seen: db.prepare('update devices_device set last_seen_at = max(coalesce(last_seen_at, 0), ?) where id = ?'),
    rollup: db.prepare(
      'insert into devices_rollup (device_id, metric, size_ms, bucket, n, sum, min, max) values (?, ?, ?, ?, ?, ?, ?, ?) ' +
        'on conflict (device_id, metric, size_ms, bucket) do update set n = n + excluded.n, sum = sum + excluded.sum, min = min(min, excluded.min), max = max(max, excluded.max)',
    ),
    dead: db.prepare('insert into devices_dead_letter (received_at, source, device_id, jurisdiction_code, topic, field, reason, payload) values (?, ?, ?, ?, ?, ?, ?, ?)'),
  };
}

/**
 * Writes a batch with the prepared statements; the caller holds the transaction. A reading
 * delivered twice (an MQTT redelivery after a crash) is stored — and summed into the rollups —
 * once; the latest value only moves forward in time. With a `landing` (the writer thread) the
 * readings are appended to the landing table and a slice of earlier ones moved into their series;
 * without (the main connection) they go straight into the readings table.
 */
export function writeTelemetry(s: TelemetryStatements, b: TelemetryBatch, landing?: Landing, kind: CommitKind = 'batch'): void {
  // The writer thread lands readings and moves them into their series later (landing.ts).
  const landed = landing ? landing.land(b.readings, b.receivedAt) : 0;
  const inserted: Reading[] = [];
  if (!landing) for (const r of b.readings) if (s.reading.run(r.deviceId, r.metric, r.at, r.value, b.receivedAt).changes === 1) inserted.push(r);
  // A message often carries several timed readings of a metric: only the newest moves the state.
  for (const r of latestPerSeries(b.readings)) s.state.run(r.deviceId, r.metric, r.value, r.at);
  addToRollups(s, inserted);
  for (const id of b.seen) s.seen.run(b.receivedAt, id);
  for (const d of b.deadLetters) s.dead.run(d.received_at, d.source, d.device_id, d.jurisdiction_code, d.topic, d.field, d.reason, d.payload);
  landing?.move(landed, Date.now(), kind);
}

/** Adds stored readings to their minute and hour rollups (one upsert per series and bucket). */
export function addToRollups(s: TelemetryStatements, stored: readonly Reading[]): void {
  for (const g of rollups(stored)) s.rollup.run(g.device_id, g.metric, g.size_ms, g.bucket, g.n, g.sum, g.min, g.max);
}
