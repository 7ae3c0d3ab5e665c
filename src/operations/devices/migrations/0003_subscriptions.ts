import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * NGSI-LD subscriptions: an external system is POSTed a notification when watched attributes of
 * device entities change. The creator's jurisdiction is kept with the subscription, because it
 * bounds which devices may ever be notified about; delivery outcomes are kept beside it so the
 * subscriber can see why notifications stopped arriving.
 */
export const m0003: Migration = {
  name: '0003_subscriptions',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('devices_subscription')
      .addColumn('id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('owner_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('entity_types', t.json, (c) => c.notNull())
      .addColumn('watched_attributes', t.json, (c) => c.notNull())
      .addColumn('q', 'text')
      .addColumn('notification_uri', 'text', (c) => c.notNull())
      .addColumn('notification_accept', 'varchar(40)', (c) => c.notNull())
      .addColumn('notification_attrs', t.json, (c) => c.notNull())
      .addColumn('format', 'varchar(16)', (c) => c.notNull())
      .addColumn('throttling_s', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(8)', (c) => c.notNull())
      .addColumn('times_sent', 'integer', (c) => c.notNull())
      .addColumn('last_notification_at', t.time)
      .addColumn('last_success_at', t.time)
      .addColumn('last_failure_at', t.time)
      .addColumn('last_error', 'text')
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_subscription_place').on('devices_subscription').columns(['jurisdiction_code', 'id']).execute();
  },
};
