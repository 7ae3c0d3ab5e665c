import type { Migration } from '../../platform/db/migrator.ts';
import { columnTypes } from '../../platform/db/dialect.ts';

/** Departments, accounts and their roles, sessions, API tokens and the login throttle. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('org_department')
      .addColumn('code', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(300)', (c) => c.notNull())
      .addColumn('parent_code', 'varchar(64)', (c) => c.references('org_department.code'))
      .addColumn('jurisdiction_code', 'varchar(20)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('org_department_parent').on('org_department').column('parent_code').execute();
    await db.schema.createIndex('org_department_jurisdiction').on('org_department').column('jurisdiction_code').execute();

    await db.schema
      .createTable('org_account')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('department_code', 'varchar(64)', (c) => c.references('org_department.code'))
      .addColumn('scope_code', 'varchar(20)')
      .addColumn('jurisdiction_code', 'varchar(20)', (c) => c.notNull())
      .addColumn('locale', 'varchar(8)', (c) => c.notNull())
      .addColumn('password_hash', 'varchar(300)')
      .addColumn('disabled_at', t.time)
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('password_changed_at', t.time)
      .execute();
    await db.schema.createIndex('org_account_jurisdiction').on('org_account').columns(['jurisdiction_code', 'username']).execute();
    await db.schema.createIndex('org_account_scope').on('org_account').column('scope_code').execute();
    await db.schema.createIndex('org_account_department').on('org_account').column('department_code').execute();

    await db.schema
      .createTable('org_account_role')
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('org_account.id').onDelete('cascade'))
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addPrimaryKeyConstraint('org_account_role_pk', ['account_id', 'role'])
      .execute();
    await db.schema.createIndex('org_account_role_role').on('org_account_role').columns(['role', 'account_id']).execute();

    await db.schema
      .createTable('org_session')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('org_account.id').onDelete('cascade'))
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('expires_at', t.time, (c) => c.notNull())
      .addColumn('last_seen_at', t.time, (c) => c.notNull())
      .addColumn('revoked_at', t.time)
      .addColumn('ip', 'varchar(64)')
      .addColumn('user_agent', 'varchar(300)')
      .execute();
    await db.schema.createIndex('org_session_account').on('org_session').column('account_id').execute();
    await db.schema.createIndex('org_session_expires').on('org_session').column('expires_at').execute();

    await db.schema
      .createTable('org_api_token')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('org_account.id').onDelete('cascade'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
      .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('expires_at', t.time)
      .addColumn('last_used_at', t.time)
      .addColumn('revoked_at', t.time)
      .execute();
    await db.schema.createIndex('org_api_token_account').on('org_api_token').column('account_id').execute();

    await db.schema
      .createTable('org_login_throttle')
      .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('window_start', t.time, (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('locked_until', t.time)
      .execute();
    await db.schema.createIndex('org_login_throttle_window').on('org_login_throttle').column('window_start').execute();
  },
};
