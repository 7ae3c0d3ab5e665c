import type { Migration } from '../../platform/db/migrator.ts';
import { columnTypes } from '../../platform/db/dialect.ts';

/** Inbox messages, delivery preferences, and the deliveries to other channels with their attempts. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('notify_message')
      // `seq` orders the inbox (and pages it); `id`, a UUID, is what clients see.
      .addColumn('seq', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('id', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('recipient_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('topic', 'varchar(32)', (c) => c.notNull())
      .addColumn('title', 'varchar(200)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('link', 'varchar(500)')
      .addColumn('subject_type', 'varchar(64)')
      .addColumn('subject_id', 'varchar(128)')
      .addColumn('dedupe_key', 'varchar(200)')
      .addColumn('sender_id', 'varchar(64)')
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('read_at', t.time)
      .execute();
    await db.schema.createIndex('notify_message_inbox').on('notify_message').columns(['recipient_id', 'seq']).execute();
    await db.schema.createIndex('notify_message_unread').on('notify_message').columns(['recipient_id', 'read_at', 'topic']).execute();
    await db.schema.createIndex('notify_message_dedupe').on('notify_message').columns(['recipient_id', 'dedupe_key']).unique().execute();

    await db.schema
      .createTable('notify_preference')
      .addColumn('account_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('channels', t.json, (c) => c.notNull())
      .addColumn('webhook_url', 'varchar(2000)')
      .addColumn('webhook_secret', 'varchar(64)')
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('notify_delivery')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('message_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('recipient_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('channel', 'varchar(32)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', t.time)
      .addColumn('claimed_until', t.time)
      .addColumn('last_error', 'text')
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('delivered_at', t.time)
      .execute();
    // One delivery per message and channel: a redelivered event cannot send twice.
    await db.schema.createIndex('notify_delivery_once').on('notify_delivery').columns(['message_id', 'channel']).unique().execute();
    await db.schema.createIndex('notify_delivery_due').on('notify_delivery').columns(['status', 'next_attempt_at']).execute();

    await db.schema
      .createTable('notify_delivery_attempt')
      .addColumn('delivery_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('ok', t.bool, (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('notify_delivery_attempt_pk', ['delivery_id', 'attempt'])
      .execute();
  },
};
