import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Applications (办件) and their timeline, uploaded material files (the bytes live in the data
 * directory), results issued (documents and licences), and a per-day counter for application numbers.
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('services_application')
      .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('item_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('bundle_id', 'varchar(20)')
      .addColumn('applicant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('applicant_name', 'varchar(100)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)')
      .addColumn('department_code', 'varchar(40)')
      .addColumn('stage', 'varchar(12)', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('steps', t.json, (c) => c.notNull())
      .addColumn('form', t.json, (c) => c.notNull())
      .addColumn('materials', t.json, (c) => c.notNull())
      .addColumn('submitted_at', t.time)
      .addColumn('accepted_at', t.time)
      .addColumn('stage_started_at', t.time, (c) => c.notNull())
      .addColumn('yellow_at', t.time)
      .addColumn('due_at', t.time)
      .addColumn('legal_due_at', t.time)
      .addColumn('remaining_ms', t.bigint)
      .addColumn('legal_remaining_ms', t.bigint)
      .addColumn('yellow_gap_ms', t.bigint)
      .addColumn('paused_ms', t.bigint, (c) => c.notNull())
      .addColumn('correction_from', 'varchar(12)')
      .addColumn('correction_note', 'varchar(2000)')
      .addColumn('correction_materials', t.json)
      .addColumn('outcome', 'varchar(10)')
      .addColumn('reasons', 'varchar(2000)')
      .addColumn('result_id', 'varchar(40)')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('late', t.bool, (c) => c.notNull())
      .addColumn('decided_at', t.time)
      .addColumn('closed_at', t.time)
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_application_applicant').on('services_application').columns(['applicant_id', 'created_at']).execute();
    await db.schema.createIndex('services_application_queue').on('services_application').columns(['department_code', 'stage', 'due_at']).execute();
    await db.schema.createIndex('services_application_item').on('services_application').columns(['item_code', 'closed_at']).execute();
    await sql`create index services_application_bundle on services_application (bundle_id) where bundle_id is not null`.execute(db);
    // The sweep reads only running clocks past their limit that have not been escalated yet.
    await sql`create index services_application_due on services_application (due_at) where due_at is not null and level = 0`.execute(db);

    await db.schema
      .createTable('services_application_event')
      .addColumn('n', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('application_id', 'varchar(20)', (c) => c.notNull())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)')
      .addColumn('actor_name', 'varchar(100)')
      .addColumn('action', 'varchar(20)', (c) => c.notNull())
      .addColumn('from_stage', 'varchar(12)')
      .addColumn('to_stage', 'varchar(12)', (c) => c.notNull())
      .addColumn('note', 'varchar(2000)')
      .addColumn('detail', t.json)
      .execute();
    await db.schema.createIndex('services_application_event_app').on('services_application_event').columns(['application_id', 'n']).execute();

    await db.schema
      .createTable('services_file')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('content_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('owner_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_file_owner').on('services_file').columns(['owner_id', 'created_at']).execute();

    await db.schema
      .createTable('services_result')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('application_id', 'varchar(20)', (c) => c.notNull())
      .addColumn('holder_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('item_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('kind', 'varchar(12)', (c) => c.notNull())
      .addColumn('title_zh', 'varchar(200)', (c) => c.notNull())
      .addColumn('title_en', 'varchar(300)', (c) => c.notNull())
      .addColumn('department_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('issued_at', t.time, (c) => c.notNull())
      .addColumn('valid_until', t.time)
      .addColumn('detail', t.json, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_result_holder').on('services_result').columns(['holder_id', 'issued_at']).execute();

    await db.schema
      .createTable('services_counter')
      .addColumn('key', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('next', 'integer', (c) => c.notNull())
      .execute();
  },
};
