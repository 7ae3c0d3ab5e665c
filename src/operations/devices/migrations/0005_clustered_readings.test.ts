// Upgrading a database that already holds readings and rollups to the clustered tables keeps every
// row, and the tables come out WITHOUT ROWID (SQLite) with their keys and time indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../../platform/db/database.ts';
import { migrate } from '../../../platform/db/migrator.ts';
import { modules } from '../../../modules.ts';

test('0005 moves readings and rollups into clustered tables without losing a row (sqlite)', async () => {
  const database = openDatabase({ dialect: 'sqlite', file: ':memory:' });
  try {
    const all = modules.map((m) => ({ module: m.name, migrations: m.migrations }));
    const upTo = (name: string) => all.map((m) => (m.module === 'devices' ? { ...m, migrations: m.migrations.filter((x) => x.name < name) } : m));
    const before = upTo('0005');
    await migrate(database, before);
    const db = database.db as unknown as Kysely<any>;
    await db.insertInto('devices_reading').values([
      { device_id: 'd-2', metric: 'waterLevel', at: 2000, value: 4.25, received_at: 2001 },
      { device_id: 'd-1', metric: 'waterLevel', at: 1000, value: 3.5, received_at: 1001 },
      { device_id: 'd-1', metric: 'voltage', at: 1000, value: 3.3, received_at: 1001 },
    ]).execute();
    await db.insertInto('devices_rollup').values({ device_id: 'd-1', metric: 'waterLevel', size_ms: 60000, bucket: 0, n: 1, sum: 3.5, min: 3.5, max: 3.5 }).execute();

    assert.deepEqual((await migrate(database, upTo('0006'))).applied, ['devices/0005_clustered_readings']);

    const readings = await db.selectFrom('devices_reading').selectAll().orderBy('device_id').orderBy('metric').execute();
    assert.deepEqual(readings.map((r) => [r.device_id, r.metric, r.at, r.value, r.received_at]), [
      ['d-1', 'voltage', 1000, 3.3, 1001],
      ['d-1', 'waterLevel', 1000, 3.5, 1001],
      ['d-2', 'waterLevel', 2000, 4.25, 2001],
    ]);
    assert.equal((await db.selectFrom('devices_rollup').selectAll().execute()).length, 1);
    for (const table of ['devices_reading', 'devices_rollup']) {
      const ddl = (await sql<{ sql: string }>`select sql from sqlite_master where name = ${table}`.execute(db)).rows[0]!.sql;
      assert.match(ddl, /without rowid/i, table);
    }
    const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name in ('devices_reading', 'devices_rollup') order by name`.execute(db)).rows.map((r) => r.name);
    assert.deepEqual(indexes.filter((n) => !n.startsWith('sqlite_autoindex')), ['devices_reading_at', 'devices_rollup_bucket']);
    // The key still refuses a second copy of a reading.
    await assert.rejects(db.insertInto('devices_reading').values({ device_id: 'd-1', metric: 'voltage', at: 1000, value: 9, received_at: 1 }).execute(), /UNIQUE|PRIMARY/);
  } finally {
    await database.close();
  }
});
