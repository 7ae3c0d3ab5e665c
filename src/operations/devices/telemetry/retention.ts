import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { DeviceTypes } from '../device-types.ts';

const DAY = 86_400_000;
/** Minute rollups are kept 90 days, hourly ones 10 years: long enough for year-on-year comparison. */
export const ROLLUP_RETENTION = { minute: 90 * DAY, hour: 3650 * DAY };
/** Dead letters (what ingestion refused) and AI detections are kept 90 days. */
export const EVIDENCE_RETENTION = 90 * DAY;

const READING_KEY = ['device_id', 'metric', 'at'];

/** Rows one delete statement removes: a sweep of millions must not hold the write lock for minutes. */
const CHUNK = 10_000;

/**
 * Deletes the rows of `table` matching `where`, a chunk per statement (each its own short
 * transaction, with the event loop let through between), so ingestion keeps committing meanwhile.
 */
async function deleteInChunks(ctx: AppContext, table: string, where: RawBuilder<unknown>, key?: string[]): Promise<number> {
  // PostgreSQL's ctid and SQLite's rowid name a row without the table's (composite) key; SQLite's
  // WITHOUT ROWID tables (readings, rollups) have no rowid, so their key names the row.
  const cols = ctx.dialect === 'postgres' ? 'ctid' : key ? key.join(', ') : 'rowid';
  const [row, select] = [sql.raw(key && ctx.dialect !== 'postgres' ? `(${cols})` : cols), sql.raw(cols)];
  const t = sql.table(table);
  let total = 0;
  for (;;) {
    // A transaction of its own: on SQLite it waits its turn behind telemetry commits (write-turn.ts)
    // instead of SQLite's busy handler holding the event loop.
    const r = await ctx.transaction((tx) => sql`delete from ${t} where ${row} in (select ${select} from ${t} where ${where} limit ${CHUNK})`.execute(tx));
    const n = Number(r.numAffectedRows ?? 0);
    total += n;
    if (n < CHUNK) return total;
    await yieldToLoop();
  }
}

/**
 * Deletes raw readings older than their device type's retention, and rollups older than theirs.
 * Readings of devices that no longer exist go after the longest retention of any type. Safe to run
 * in several processes at once (each delete is idempotent), in chunks of 10,000 rows.
 */
export async function applyRetention(ctx: AppContext, types: DeviceTypes, now: number): Promise<{ readings: number; rollups: number }> {
  await types.ready(ctx.db);
  // Readings still landing (landing.ts) would be moved in after the sweep, old ones included.
  await ctx.services.telemetryWriter.settle();
  let readings = 0;
  let longest = 0;
  for (const t of types.all()) {
    const keep = t.view.retentionDays * DAY;
    longest = Math.max(longest, keep);
    readings += await deleteInChunks(ctx, 'devices_reading', sql`at < ${now - keep} and device_id in (select id from devices_device where type_code = ${t.row.code})`, READING_KEY);
  }
  readings += await deleteInChunks(ctx, 'devices_reading', sql`at < ${now - longest} and device_id not in (select id from devices_device)`, READING_KEY);
  let rollups = 0;
  for (const [size, keep] of [[60_000, ROLLUP_RETENTION.minute], [3_600_000, ROLLUP_RETENTION.hour]] as const) {
    rollups += await deleteInChunks(ctx, 'devices_rollup', sql`size_ms = ${size} and bucket < ${now - keep}`, ['device_id', 'metric', 'size_ms', 'bucket']);
  }
  // Refusals and detections would otherwise grow without end (anyone may send junk).
  await deleteInChunks(ctx, 'devices_dead_letter', sql`received_at < ${now - EVIDENCE_RETENTION}`);
  await deleteInChunks(ctx, 'devices_detection', sql`at < ${now - EVIDENCE_RETENTION}`);
  return { readings, rollups };
}
