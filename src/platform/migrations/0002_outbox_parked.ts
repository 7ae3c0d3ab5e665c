import type { Migration } from '../db/migrator.ts';
import { columnTypes } from '../db/dialect.ts';

/** Events that failed to publish too often are parked for an operator instead of blocking the relay. */
export const m0002: Migration = {
  name: '0002_outbox_parked',
  async up(db, d) {
    await db.schema.alterTable('platform_outbox').addColumn('parked_at', columnTypes(d).time).execute();
  },
};
