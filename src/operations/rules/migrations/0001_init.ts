import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Rules (data: a condition on one device type's readings, where it applies, how severe) and the
 * alerts they raise. At most one open alert per rule and device: the partial unique index makes
 * that hold even when two processes see the same device.
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('rules_rule')
      .addColumn('id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('pack', 'varchar(40)')
      .addColumn('name_zh', 'varchar(200)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(200)', (c) => c.notNull())
      .addColumn('device_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('severity', 'varchar(10)', (c) => c.notNull())
      .addColumn('condition', t.json, (c) => c.notNull())
      .addColumn('clear_after_s', 'integer', (c) => c.notNull())
      .addColumn('message_zh', 'varchar(500)', (c) => c.notNull())
      .addColumn('message_en', 'varchar(500)', (c) => c.notNull())
      .addColumn('enabled', t.bool, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)')
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rules_rule_type').on('rules_rule').columns(['device_type']).execute();

    await db.schema
      .createTable('rules_alert')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('rule_id', 'varchar(80)', (c) => c.notNull())
      .addColumn('subject_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('lon', t.float, (c) => c.notNull())
      .addColumn('lat', t.float, (c) => c.notNull())
      .addColumn('severity', 'varchar(10)', (c) => c.notNull())
      .addColumn('status', 'varchar(14)', (c) => c.notNull())
      .addColumn('message', 'varchar(1000)', (c) => c.notNull())
      .addColumn('evidence', t.json, (c) => c.notNull())
      .addColumn('raised_at', t.time, (c) => c.notNull())
      .addColumn('acknowledged_at', t.time)
      .addColumn('acknowledged_by', 'varchar(64)')
      .addColumn('cleared_at', t.time)
      .execute();
    await sql`create unique index rules_alert_open on rules_alert (rule_id, subject_id) where status <> 'cleared'`.execute(db);
    await db.schema.createIndex('rules_alert_place').on('rules_alert').columns(['jurisdiction_code', 'raised_at']).execute();
  },
};
