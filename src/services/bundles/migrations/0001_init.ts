import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Bundle applications (一件事 申请): the questionnaire's answers, the one merged form and the one set
 * of materials. On submission it fans out into one application per item (services_application.bundle_id).
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('services_bundle_application')
      .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('bundle_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('applicant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('applicant_name', 'varchar(100)', (c) => c.notNull())
      .addColumn('stage', 'varchar(12)', (c) => c.notNull())
      .addColumn('answers', t.json, (c) => c.notNull())
      .addColumn('form', t.json, (c) => c.notNull())
      .addColumn('materials', t.json, (c) => c.notNull())
      .addColumn('items', t.json, (c) => c.notNull())
      .addColumn('submitted_at', t.time)
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_bundle_application_applicant').on('services_bundle_application').columns(['applicant_id', 'created_at']).execute();
    await db.schema.createIndex('services_bundle_application_code').on('services_bundle_application').columns(['bundle_code', 'submitted_at']).execute();
  },
};
