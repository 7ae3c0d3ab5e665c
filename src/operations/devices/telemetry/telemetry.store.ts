import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { DatabaseConfig } from '../../../platform/config.ts';
import type { Database, Executor, Tx } from '../../../platform/db/database.ts';
import type { DeadLetterRow, StateRow } from '../device.schema.ts';
import type { Reading } from './reading.ts';
import { TelemetryWriteThread } from './write-thread.ts';
import { Landing } from './landing.ts';
import { latestPerSeries, prepareTelemetry, rollups, writeTelemetry, type TelemetryBatch, type TelemetryStatements } from './sqlite-batch.ts';

export type { NewDeadLetter, TelemetryBatch } from './sqlite-batch.ts';

const CHUNK = 500;

/**
 * All SQL of telemetry. The write is the hot path: on SQLite it runs prepared statements on the
 * transaction's connection; on PostgreSQL multi-row statements. A reading delivered twice (an MQTT
 * redelivery after a crash) hits the primary key and is stored once; the latest value only moves
 * forward in time.
 */
export class TelemetryStore {
  private stmts: TelemetryStatements | null = null;
  /** With an SQLite file (and unless configured off): the thread that commits telemetry. */
  private readonly thread: TelemetryWriteThread | null;

  constructor(
    private readonly database: Database,
    config: DatabaseConfig,
  ) {
    const sqlite = database.sqlite;
    this.thread =
      sqlite && config.dialect === 'sqlite' && config.telemetryThread !== false && !sqlite.memory
        ? new TelemetryWriteThread({ file: sqlite.name, walAutocheckpoint: Number(sqlite.pragma('wal_autocheckpoint', { simple: true })) }, database.writeTurn!)
        : null;
  }

  /** Writes one group commit in its own transaction: on the writer thread when there is one. */
  commit(ctx: AppContext, b: TelemetryBatch): Promise<void> {
    if (this.thread) return this.thread.write(b);
    return ctx.transaction((tx) => this.write(tx, b));
  }

  /** Moves every landed reading into the readings table (the writer thread lands them first: landing.ts). */
  settle(): Promise<void> {
    return this.thread?.settle() ?? Promise.resolve();
  }

  /**
   * Starts the writer thread, if there is one, ahead of the first commit. Without one (SQLite in
   * memory, or the thread turned off), readings a thread had landed before the restart are moved in now.
   */
  open(onError: (err: unknown) => void): void {
    if (this.thread) return this.thread.open();
    const sqlite = this.database.sqlite;
    if (!sqlite) return;
    try {
      const landing = new Landing(sqlite, this.prepared()!);
      landing.recover();
      if (landing.waiting) sqlite.transaction(() => landing.settle()).immediate();
    } catch (err) {
      // The views still show those readings; the next start tries again.
      onError(err);
    }
  }

  /** Stops the writer thread, if any (after what was sent to it). */
  close(): Promise<void> {
    return this.thread?.close() ?? Promise.resolve();
  }

  async write(tx: Tx, b: TelemetryBatch): Promise<void> {
    const s = this.prepared();
    if (s) return writeTelemetry(s, b);
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
      await tx
        .insertInto('devices_state')
        .values(latestPerSeries(chunk).map((r) => ({ device_id: r.deviceId, metric: r.metric, value: r.value, at: r.at })))
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
    let q = db.selectFrom('devices_reading_all').select(['at', 'value']).where('device_id', '=', deviceId).where('metric', '=', metric).where('at', '>=', from).where('at', '<', to);
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

  private prepared(): TelemetryStatements | null {
    const db = this.database.sqlite;
    if (!db) return null;
    this.stmts ??= prepareTelemetry(db);
    return this.stmts;
  }
}
