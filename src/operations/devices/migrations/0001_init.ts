import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Devices and their telemetry: device types (data: metrics with units and valid ranges), the device
 * registry with per-device credentials (only a hash is kept), the latest value per device and metric,
 * the readings themselves (one row per device, metric and time: a reading delivered twice is stored
 * once), and the dead letters ingestion refused, each with its reason.
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('devices_type')
      .addColumn('code', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('name_zh', 'varchar(100)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(200)', (c) => c.notNull())
      .addColumn('owner_sector', 'varchar(32)')
      .addColumn('metrics', t.json, (c) => c.notNull())
      .addColumn('mount_on', t.json, (c) => c.notNull())
      .addColumn('offline_after_s', 'integer', (c) => c.notNull())
      .addColumn('report_interval_s', 'integer', (c) => c.notNull())
      .addColumn('retention_days', 'integer', (c) => c.notNull())
      .addColumn('builtin', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('devices_device')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('type_code', 'varchar(40)', (c) => c.notNull().references('devices_type.code'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('component_code', 'varchar(20)')
      .addColumn('lon', t.float, (c) => c.notNull())
      .addColumn('lat', t.float, (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('owner_dept', 'varchar(64)')
      .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('last_seen_at', t.time)
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_device_place').on('devices_device').columns(['jurisdiction_code', 'id']).execute();
    await db.schema.createIndex('devices_device_type_place').on('devices_device').columns(['type_code', 'jurisdiction_code', 'id']).execute();
    await db.schema.createIndex('devices_device_component').on('devices_device').columns(['component_code']).execute();

    await db.schema
      .createTable('devices_state')
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('metric', 'varchar(64)', (c) => c.notNull())
      .addColumn('value', t.float, (c) => c.notNull())
      .addColumn('at', t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('devices_state_pk', ['device_id', 'metric'])
      .execute();

    await db.schema
      .createTable('devices_reading')
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('metric', 'varchar(64)', (c) => c.notNull())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('value', t.float, (c) => c.notNull())
      .addColumn('received_at', t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('devices_reading_pk', ['device_id', 'metric', 'at'])
      .execute();

    await db.schema
      .createTable('devices_dead_letter')
      .addColumn('id', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('received_at', t.time, (c) => c.notNull())
      .addColumn('source', 'varchar(8)', (c) => c.notNull())
      .addColumn('device_id', 'varchar(64)')
      // The device's jurisdiction when the device is known: operators see their own area's refusals.
      .addColumn('jurisdiction_code', 'varchar(15)')
      .addColumn('topic', 'varchar(300)')
      .addColumn('field', 'varchar(200)', (c) => c.notNull())
      .addColumn('reason', 'varchar(500)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_dead_letter_place').on('devices_dead_letter').columns(['jurisdiction_code', 'id']).execute();
  },
};
