import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/** What AI vision systems saw: one row per detection, with the camera, class, confidence and snapshot. */
export const m0004: Migration = {
  name: '0004_detections',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('devices_detection')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('camera_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('class', 'varchar(40)', (c) => c.notNull())
      .addColumn('confidence', t.float, (c) => c.notNull())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('snapshot_url', 'varchar(1000)')
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('received_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_detection_camera').on('devices_detection').columns(['camera_id', 'at']).execute();
    await db.schema.createIndex('devices_detection_place').on('devices_detection').columns(['jurisdiction_code', 'at']).execute();
  },
};
