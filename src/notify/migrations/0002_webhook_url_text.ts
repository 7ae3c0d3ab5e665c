import type { Migration } from '../../platform/db/migrator.ts';

/**
 * The webhook URL becomes `text`. Its length is checked in code after normalisation
 * (MAX_WEBHOOK_URL); a column limit on top only turned a missed check into a 500 on PostgreSQL.
 * SQLite does not enforce varchar lengths, so there is nothing to change there.
 */
export const m0002: Migration = {
  name: '0002_webhook_url_text',
  async up(db, d) {
    if (d === 'postgres') await db.schema.alterTable('notify_preference').alterColumn('webhook_url', (c) => c.setDataType('text')).execute();
  },
};
