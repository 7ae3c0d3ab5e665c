import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Rollups of readings per device, metric and bucket (1 minute and 1 hour): count, sum, min and max,
 * so history over days or months is read from a few hundred rows instead of millions. They are kept
 * longer than the raw readings (see retention.ts).
 */
export const m0002: Migration = {
  name: '0002_rollups',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('devices_rollup')
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('metric', 'varchar(64)', (c) => c.notNull())
      .addColumn('size_ms', 'integer', (c) => c.notNull())
      .addColumn('bucket', t.time, (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('sum', t.float, (c) => c.notNull())
      .addColumn('min', t.float, (c) => c.notNull())
      .addColumn('max', t.float, (c) => c.notNull())
      .addPrimaryKeyConstraint('devices_rollup_pk', ['device_id', 'metric', 'size_ms', 'bucket'])
      .execute();
    // Retention deletes by time across devices.
    await db.schema.createIndex('devices_reading_at').on('devices_reading').columns(['at']).execute();
    await db.schema.createIndex('devices_rollup_bucket').on('devices_rollup').columns(['size_ms', 'bucket']).execute();
  },
};
