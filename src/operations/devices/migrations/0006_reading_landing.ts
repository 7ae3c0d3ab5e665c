import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';

/**
 * SQLite: readings are acknowledged from a landing table and moved into the clustered readings
 * table in runs per series (decision 0007, telemetry/landing.ts). Two views read both as one:
 * `devices_reading_all` (a landing row already moved is left out by its key) and
 * `devices_rollup_all` (the rollups plus the minute and hour sums of what is still landing).
 * PostgreSQL has no landing table; its views are the tables themselves, so readers query the views
 * on both databases.
 */
export const m0006: Migration = {
  name: '0006_reading_landing',
  async up(db, d) {
    if (d !== 'sqlite') {
      await sql`create view devices_reading_all as select device_id, metric, at, value, received_at from devices_reading`.execute(db);
      await sql`create view devices_rollup_all as select device_id, metric, size_ms, bucket, n, sum, min, max from devices_rollup`.execute(db);
      return;
    }
    // A rowid table without indexes: appending is the cheapest write SQLite has.
    await sql`create table devices_reading_landing (
      device_id varchar(64) not null, metric varchar(64) not null, at integer not null, value real not null, received_at integer not null)`.execute(db);
    await sql`create view devices_reading_all as
      select device_id, metric, at, value, received_at from devices_reading
      union all
      select l.device_id, l.metric, l.at, l.value, l.received_at from devices_reading_landing l
      where not exists (select 1 from devices_reading r where r.device_id = l.device_id and r.metric = l.metric and r.at = l.at)`.execute(db);
    await sql`create view devices_rollup_all as
      select device_id, metric, size_ms, bucket, n, sum, min, max from devices_rollup
      union all
      select l.device_id, l.metric, s.size_ms, l.at - (l.at % s.size_ms) as bucket, count(*) as n, sum(l.value) as sum, min(l.value) as min, max(l.value) as max
      from devices_reading_landing l cross join (select 60000 as size_ms union all select 3600000) s
      where not exists (select 1 from devices_reading r where r.device_id = l.device_id and r.metric = l.metric and r.at = l.at)
      group by l.device_id, l.metric, s.size_ms, l.at - (l.at % s.size_ms)`.execute(db);
  },
};
