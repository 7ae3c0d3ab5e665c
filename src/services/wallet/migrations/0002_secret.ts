import type { Migration } from '../../../platform/db/migrator.ts';

/** Per-deployment secrets of the wallet (the key that turns an identity number into a photo reference). */
export const m0002: Migration = {
  name: '0002_secret',
  async up(db) {
    await db.schema
      .createTable('wallet_secret')
      .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('value', 'varchar(100)', (c) => c.notNull())
      .execute();
  },
};
