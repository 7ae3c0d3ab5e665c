import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/** Error reports (数据纠错): a resident or company says a registry value is wrong; the source department answers. */
export const m0002: Migration = {
  name: '0002_reports',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('registries_report')
      .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('subject_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('field', 'varchar(40)', (c) => c.notNull())
      .addColumn('proposed', 'varchar(200)', (c) => c.notNull())
      .addColumn('reason', 'varchar(500)', (c) => c.notNull())
      .addColumn('department_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('status', 'varchar(10)', (c) => c.notNull())
      .addColumn('reply', 'varchar(500)')
      .addColumn('resolved_by', 'varchar(36)')
      .addColumn('resolved_at', t.time)
      .addColumn('created_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registries_report_account').on('registries_report').columns(['account_id', 'created_at']).execute();
    await db.schema.createIndex('registries_report_department').on('registries_report').columns(['department_code', 'status', 'created_at']).execute();
  },
};
