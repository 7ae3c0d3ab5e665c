import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/** The data exchange: the resource catalogue, access requests and grants, and the hash-chained call log. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('exchange_resource')
      .addColumn('code', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('owner_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('name_zh', 'varchar(60)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(120)', (c) => c.notNull())
      .addColumn('description_zh', 'varchar(500)', (c) => c.notNull())
      .addColumn('description_en', 'varchar(1000)', (c) => c.notNull())
      .addColumn('source', 'varchar(60)', (c) => c.notNull())
      .addColumn('subject_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('frequency', 'varchar(10)', (c) => c.notNull())
      .addColumn('fields', t.json, (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('exchange_request')
      .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('resource_code', 'varchar(20)', (c) => c.notNull())
      .addColumn('requester_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('requested_by', 'varchar(36)', (c) => c.notNull())
      .addColumn('purpose', 'varchar(500)', (c) => c.notNull())
      .addColumn('legal_basis', 'varchar(500)', (c) => c.notNull())
      .addColumn('fields', t.json, (c) => c.notNull())
      .addColumn('clear_fields', t.json, (c) => c.notNull())
      .addColumn('subject_scope', t.json, (c) => c.notNull())
      .addColumn('days', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(12)', (c) => c.notNull())
      .addColumn('decided_by', 'varchar(36)')
      .addColumn('decided_at', t.time)
      .addColumn('reason', 'varchar(500)')
      .addColumn('granted_fields', t.json)
      .addColumn('granted_clear', t.json)
      .addColumn('granted_scope', t.json)
      .addColumn('expires_at', t.time)
      .addColumn('revoked_at', t.time)
      .addColumn('revoked_by', 'varchar(36)')
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    // The call path looks up a department's grants for a resource on every call.
    await db.schema.createIndex('exchange_request_grant').on('exchange_request').columns(['requester_code', 'resource_code', 'status']).execute();
    await db.schema.createIndex('exchange_request_resource').on('exchange_request').columns(['resource_code', 'status']).execute();

    await db.schema
      .createTable('exchange_log')
      .addColumn('seq', t.bigint, (c) => c.primaryKey())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('department_code', 'varchar(40)')
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('system', 'varchar(100)')
      .addColumn('purpose', 'varchar(200)', (c) => c.notNull())
      .addColumn('reference', 'varchar(40)')
      .addColumn('resource_code', 'varchar(20)', (c) => c.notNull())
      .addColumn('grant_id', 'varchar(20)')
      .addColumn('subject_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('fields', t.json, (c) => c.notNull())
      .addColumn('masked', t.json, (c) => c.notNull())
      .addColumn('outcome', 'varchar(40)', (c) => c.notNull())
      .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exchange_log_subject').on('exchange_log').columns(['subject_id', 'seq']).execute();
    await db.schema.createIndex('exchange_log_department').on('exchange_log').columns(['department_code', 'seq']).execute();
    await db.schema.createIndex('exchange_log_resource').on('exchange_log').columns(['resource_code', 'seq']).execute();

    await db.schema
      .createTable('exchange_log_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
  },
};
