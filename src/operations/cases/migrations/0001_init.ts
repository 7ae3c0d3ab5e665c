import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Cases (城市管理案件) and their timeline, the departments on each case (lead and supporting), the
 * people who reported it (several once duplicates are merged), the dispatch table, a per-day
 * counter for case numbers, and uploaded photos (the files live in the data directory).
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('cases_case')
      .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('source', 'varchar(12)', (c) => c.notNull())
      .addColumn('category_code', 'varchar(8)', (c) => c.notNull())
      .addColumn('severity', 'varchar(10)', (c) => c.notNull())
      .addColumn('stage', 'varchar(14)', (c) => c.notNull())
      .addColumn('description', 'varchar(2000)', (c) => c.notNull())
      .addColumn('address', 'varchar(300)')
      .addColumn('lon', t.float, (c) => c.notNull())
      .addColumn('lat', t.float, (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('reporter_id', 'varchar(64)')
      .addColumn('caller', t.json)
      .addColumn('photos', t.json, (c) => c.notNull())
      .addColumn('media_url', 'varchar(500)')
      .addColumn('component_code', 'varchar(20)')
      .addColumn('alert_id', 'varchar(40)')
      .addColumn('department_code', 'varchar(40)')
      .addColumn('team', 'varchar(100)')
      .addColumn('assignee_id', 'varchar(64)')
      .addColumn('handler_id', 'varchar(64)')
      .addColumn('verifier_id', 'varchar(64)')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('supervised', t.bool, (c) => c.notNull())
      .addColumn('supervision_note', 'varchar(500)')
      .addColumn('stage_started_at', t.time, (c) => c.notNull())
      .addColumn('yellow_at', t.time)
      .addColumn('due_at', t.time)
      .addColumn('escalate_at', t.time)
      .addColumn('late', 'integer', (c) => c.notNull())
      .addColumn('reopen_count', 'integer', (c) => c.notNull())
      .addColumn('return_count', 'integer', (c) => c.notNull())
      .addColumn('rating', 'integer')
      .addColumn('rating_comment', 'varchar(500)')
      .addColumn('merged_into', 'varchar(20)')
      .addColumn('public_note', 'varchar(500)')
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('closed_at', t.time)
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_case_place').on('cases_case').columns(['jurisdiction_code', 'created_at']).execute();
    await db.schema.createIndex('cases_case_dept').on('cases_case').columns(['department_code', 'created_at']).execute();
    // Most cases have no assignee and no component: partial indexes cost nothing for those.
    await sql`create index cases_case_assignee on cases_case (assignee_id) where assignee_id is not null`.execute(db);
    await sql`create index cases_case_component on cases_case (component_code) where component_code is not null`.execute(db);
    await db.schema.createIndex('cases_case_category').on('cases_case').columns(['category_code', 'created_at']).execute();
    // The sweep reads only the cases whose next escalation is due: an index over the open ones.
    await sql`create index cases_case_escalate on cases_case (escalate_at) where escalate_at is not null`.execute(db);
    // An alert files one case, however many processes hear it.
    await sql`create unique index cases_case_alert on cases_case (alert_id) where alert_id is not null`.execute(db);

    await db.schema
      .createTable('cases_event')
      // Insertion order: a case's steps often share a millisecond (an automatic dispatch).
      .addColumn('n', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      // A random id for clients to tell entries apart; nothing looks entries up by it, so no index.
      .addColumn('id', 'varchar(40)', (c) => c.notNull())
      .addColumn('case_id', 'varchar(20)', (c) => c.notNull())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)')
      .addColumn('actor_name', 'varchar(100)')
      .addColumn('action', 'varchar(20)', (c) => c.notNull())
      .addColumn('from_stage', 'varchar(14)')
      .addColumn('to_stage', 'varchar(14)', (c) => c.notNull())
      .addColumn('stage_ms', t.bigint)
      .addColumn('late', t.bool, (c) => c.notNull())
      .addColumn('note', 'varchar(2000)')
      .addColumn('photos', t.json, (c) => c.notNull())
      .addColumn('detail', t.json)
      .execute();
    await db.schema.createIndex('cases_event_case').on('cases_event').columns(['case_id', 'at']).execute();

    await db.schema
      .createTable('cases_party')
      .addColumn('case_id', 'varchar(20)', (c) => c.notNull())
      .addColumn('department_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('role', 'varchar(8)', (c) => c.notNull())
      .addPrimaryKeyConstraint('cases_party_pk', ['case_id', 'department_code'])
      .execute();
    await db.schema.createIndex('cases_party_dept').on('cases_party').columns(['department_code', 'case_id']).execute();

    await db.schema
      .createTable('cases_reporter')
      .addColumn('case_id', 'varchar(20)', (c) => c.notNull())
      .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('added_at', t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('cases_reporter_pk', ['case_id', 'account_id'])
      .execute();
    await db.schema.createIndex('cases_reporter_account').on('cases_reporter').columns(['account_id', 'case_id']).execute();

    await db.schema
      .createTable('cases_dispatch_rule')
      .addColumn('category_code', 'varchar(8)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('department_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('team', 'varchar(100)')
      .addColumn('updated_by', 'varchar(64)')
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('cases_dispatch_rule_pk', ['category_code', 'jurisdiction_code'])
      .execute();

    await db.schema
      .createTable('cases_counter')
      .addColumn('day', 'varchar(8)', (c) => c.primaryKey())
      .addColumn('next', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cases_photo')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('content_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('uploaded_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .execute();
  },
};
