import type { AppContext } from '../../../platform/context.ts';
import type { DeviceTypes } from '../device-types.ts';

const DAY = 86_400_000;
/** Minute rollups are kept 90 days, hourly ones 10 years: long enough for year-on-year comparison. */
export const ROLLUP_RETENTION = { minute: 90 * DAY, hour: 3650 * DAY };
/** Dead letters (what ingestion refused) and AI detections are kept 90 days. */
export const EVIDENCE_RETENTION = 90 * DAY;

/**
 * Deletes raw readings older than their device type's retention, and rollups older than theirs.
 * Readings of devices that no longer exist go after the longest retention of any type. Safe to run
 * in several processes at once (each delete is idempotent).
 */
export async function applyRetention(ctx: AppContext, types: DeviceTypes, now: number): Promise<{ readings: number; rollups: number }> {
  await types.ready(ctx.db);
  let readings = 0;
  let longest = 0;
  for (const t of types.all()) {
    const keep = t.view.retentionDays * DAY;
    longest = Math.max(longest, keep);
    const r = await ctx.db
      .deleteFrom('devices_reading')
      .where('at', '<', now - keep)
      .where('device_id', 'in', (eb) => eb.selectFrom('devices_device').select('id').where('type_code', '=', t.row.code))
      .executeTakeFirst();
    readings += Number(r.numDeletedRows);
  }
  const orphans = await ctx.db
    .deleteFrom('devices_reading')
    .where('at', '<', now - longest)
    .where('device_id', 'not in', (eb) => eb.selectFrom('devices_device').select('id'))
    .executeTakeFirst();
  readings += Number(orphans.numDeletedRows);
  let rollups = 0;
  for (const [size, keep] of [[60_000, ROLLUP_RETENTION.minute], [3_600_000, ROLLUP_RETENTION.hour]] as const) {
    const r = await ctx.db.deleteFrom('devices_rollup').where('size_ms', '=', size).where('bucket', '<', now - keep).executeTakeFirst();
    rollups += Number(r.numDeletedRows);
  }
  // Refusals and detections would otherwise grow without end (anyone may send junk).
  await ctx.db.deleteFrom('devices_dead_letter').where('received_at', '<', now - EVIDENCE_RETENTION).execute();
  await ctx.db.deleteFrom('devices_detection').where('at', '<', now - EVIDENCE_RETENTION).execute();
  return { readings, rollups };
}
