import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Database, Executor, Tx } from '../../../platform/db/database.ts';
import type { DeadLetterRow, RollupRow, StateRow } from '../device.schema.ts';
import type { Reading } from './reading.ts';

export type NewDeadLetter = Omit<DeadLetterRow, 'id'>;

/** What one group commit writes. */
export interface TelemetryBatch {
  readings: Reading[];
  deadLetters: NewDeadLetter[];
  /** Devices heard from: their last-seen time becomes `receivedAt`. */
  seen: Set<string>;
  receivedAt: number;
}

const CHUNK = 500;

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

/**
 * All SQL of telemetry. The write is the hot path: on SQLite it runs prepared statements on the
 * transaction's connection; on PostgreSQL multi-row statements. A reading delivered twice (an MQTT
 * redelivery after a crash) hits the primary key and is stored once; the latest value only moves
 * forward in time.
 */
export class TelemetryStore {
  private stmts: { reading: SQLite.Statement; state: SQLite.Statement; rollup: SQLite.Statement; seen: SQLite.Statement; dead: SQLite.Statement } | null = null;

  constructor(private readonly database: Database) {}

  async write(tx: Tx, b: TelemetryBatch): Promise<void> {
    const s = this.prepared();
    if (s) {
      const inserted: Reading[] = [];
      for (const r of b.readings) {
        if (s.reading.run(r.deviceId, r.metric, r.at, r.value, b.receivedAt).changes === 1) inserted.push(r);
        s.state.run(r.deviceId, r.metric, r.value, r.at);
      }
      for (const g of rollups(inserted)) s.rollup.run(g.device_id, g.metric, g.size_ms, g.bucket, g.n, g.sum, g.min, g.max);
      for (const id of b.seen) s.seen.run(b.receivedAt, id);
      for (const d of b.deadLetters) s.dead.run(d.received_at, d.source, d.device_id, d.jurisdiction_code, d.topic, d.field, d.reason, d.payload);
      return;
    }
    for (let i = 0; i < b.readings.length; i += CHUNK) {
      const chunk = b.readings.slice(i, i + CHUNK);
      const inserted = await tx
        .insertInto('devices_reading')
        .values(chunk.map((r) => ({ device_id: r.deviceId, metric: r.metric, at: r.at, value: r.value, received_at: b.receivedAt })))
        .onConflict((oc) => oc.columns(['device_id', 'metric', 'at']).doNothing())
        .returning(['device_id', 'metric', 'at', 'value'])
        .execute();
      const groups = rollups(inserted.map((r) => ({ deviceId: r.device_id, metric: r.metric, at: Number(r.at), value: Number(r.value) })));
      if (groups.length) {
        await tx
          .insertInto('devices_rollup')
          .values(groups)
          .onConflict((oc) =>
            oc.columns(['device_id', 'metric', 'size_ms', 'bucket']).doUpdateSet({
              n: sql`devices_rollup.n + excluded.n`,
              sum: sql`devices_rollup.sum + excluded.sum`,
              min: sql`least(devices_rollup.min, excluded.min)`,
              max: sql`greatest(devices_rollup.max, excluded.max)`,
            }),
          )
          .execute();
      }
      // One row per (device, metric) in a statement: PostgreSQL refuses to update a row twice in one upsert.
      const latest = new Map<string, Reading>();
      for (const r of chunk) {
        const k = `${r.deviceId}\0${r.metric}`;
        const had = latest.get(k);
        if (!had || r.at >= had.at) latest.set(k, r);
      }
      await tx
        .insertInto('devices_state')
        .values([...latest.values()].map((r) => ({ device_id: r.deviceId, metric: r.metric, value: r.value, at: r.at })))
        .onConflict((oc) => oc.columns(['device_id', 'metric']).doUpdateSet({ value: sql`excluded.value`, at: sql`excluded.at` }).where(sql.ref('excluded.at'), '>=', sql.ref('devices_state.at')))
        .execute();
    }
    const seen = [...b.seen];
    for (let i = 0; i < seen.length; i += CHUNK) {
      await tx.updateTable('devices_device').set({ last_seen_at: sql`greatest(coalesce(last_seen_at, 0), ${b.receivedAt})` }).where('id', 'in', seen.slice(i, i + CHUNK)).execute();
    }
    // The id is the database's (autoincrement / bigserial).
    for (let i = 0; i < b.deadLetters.length; i += CHUNK) await tx.insertInto('devices_dead_letter').values(b.deadLetters.slice(i, i + CHUNK) as DeadLetterRow[]).execute();
  }

  state(db: Executor, deviceIds: string[]): Promise<StateRow[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('devices_state').selectAll().where('device_id', 'in', deviceIds).execute();
  }

  /** Values of one device and metric between two times, oldest first (`lastN`: the newest N, still oldest first). */
  async history(db: Executor, deviceId: string, metric: string, from: number, to: number, lastN?: number): Promise<Array<{ at: number; value: number }>> {
    let q = db.selectFrom('devices_reading').select(['at', 'value']).where('device_id', '=', deviceId).where('metric', '=', metric).where('at', '>=', from).where('at', '<', to);
    if (lastN) {
      const rows = await q.orderBy('at', 'desc').limit(lastN).execute();
      return rows.reverse().map((r) => ({ at: Number(r.at), value: Number(r.value) }));
    }
    q = q.orderBy('at', 'asc').limit(100_000);
    return (await q.execute()).map((r) => ({ at: Number(r.at), value: Number(r.value) }));
  }

  /** Dead letters under a jurisdiction prefix (or all, for the city), newest first. */
  deadLetters(db: Executor, prefix: string | null, before: number | null, limit: number): Promise<DeadLetterRow[]> {
    let q = db.selectFrom('devices_dead_letter').selectAll();
    if (prefix !== null) q = q.where('jurisdiction_code', '>=', prefix).where('jurisdiction_code', '<', prefix + '~');
    if (before !== null) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  private prepared() {
    const db = this.database.sqlite;
    if (!db) return null;
    this.stmts ??= {
      reading: db.prepare('insert into devices_reading (device_id, metric, at, value, received_at) values (?, ?, ?, ?, ?) on conflict do nothing'),
      state: db.prepare('insert into devices_state (device_id, metric, value, at) values (?, ?, ?, ?) on conflict (device_id, metric) do update set value = excluded.value, at = excluded.at where excluded.at >= devices_state.at'),
      seen: db.prepare('update devices_device set last_seen_at = max(coalesce(last_seen_at, 0), ?) where id = ?'),
      rollup: db.prepare(
        'insert into devices_rollup (device_id, metric, size_ms, bucket, n, sum, min, max) values (?, ?, ?, ?, ?, ?, ?, ?) ' +
          'on conflict (device_id, metric, size_ms, bucket) do update set n = n + excluded.n, sum = sum + excluded.sum, min = min(min, excluded.min), max = max(max, excluded.max)',
      ),
      dead: db.prepare('insert into devices_dead_letter (received_at, source, device_id, jurisdiction_code, topic, field, reason, payload) values (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
    return this.stmts;
  }
}
