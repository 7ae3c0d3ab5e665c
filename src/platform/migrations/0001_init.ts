import type { Migration } from '../db/migrator.ts';
import { columnTypes, ensurePostgis } from '../db/dialect.ts';

/** The platform's own tables: the event outbox and the hash-chained audit log. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    // Geometry columns of later modules need PostGIS; fail here, early and clearly, if it is missing.
    await ensurePostgis(db, d);
    await db.schema
      .createTable('platform_outbox')
      .addColumn('seq', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('event_id', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('payload', t.json, (c) => c.notNull())
      .addColumn('occurred_at', t.time, (c) => c.notNull())
      .addColumn('published_at', t.time)
      .addColumn('claimed_until', t.time)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('platform_outbox_pending').on('platform_outbox').columns(['published_at', 'seq']).execute();

    await db.schema
      .createTable('platform_audit')
      .addColumn('seq', t.bigint, (c) => c.primaryKey())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)')
      .addColumn('actor_kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('action', 'varchar(128)', (c) => c.notNull())
      .addColumn('subject_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(20)')
      .addColumn('detail', t.json, (c) => c.notNull())
      .addColumn('prev_hash', 'char(64)', (c) => c.notNull())
      .addColumn('hash', 'char(64)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('platform_audit_subject').on('platform_audit').columns(['subject_type', 'subject_id']).execute();
    await db.schema.createIndex('platform_audit_actor').on('platform_audit').columns(['actor_id', 'at']).execute();

    await db.schema
      .createTable('platform_audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('hash', 'char(64)', (c) => c.notNull())
      .execute();
  },
};
