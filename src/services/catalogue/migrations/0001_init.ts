import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/** The service catalogue (政务服务事项目录): one row per service item, with what a citizen needs to know. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('services_item')
      .addColumn('code', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('name_zh', 'varchar(200)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(300)', (c) => c.notNull())
      .addColumn('sector', 'varchar(20)', (c) => c.notNull())
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('applicants', t.json, (c) => c.notNull())
      .addColumn('legal_basis', t.json, (c) => c.notNull())
      .addColumn('conditions_zh', 'varchar(4000)', (c) => c.notNull())
      .addColumn('conditions_en', 'varchar(4000)', (c) => c.notNull())
      .addColumn('materials', t.json, (c) => c.notNull())
      .addColumn('legal_days', 'integer', (c) => c.notNull())
      .addColumn('promised_days', 'integer', (c) => c.notNull())
      .addColumn('fee_zh', 'varchar(300)', (c) => c.notNull())
      .addColumn('fee_en', 'varchar(300)', (c) => c.notNull())
      .addColumn('online', 'varchar(10)', (c) => c.notNull())
      .addColumn('trips', 'integer', (c) => c.notNull())
      .addColumn('inspections', 'integer', (c) => c.notNull())
      .addColumn('life_events', t.json, (c) => c.notNull())
      .addColumn('enterprise_events', t.json, (c) => c.notNull())
      .addColumn('keywords', t.json, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_item_sector').on('services_item').columns(['sector']).execute();
  },
};
