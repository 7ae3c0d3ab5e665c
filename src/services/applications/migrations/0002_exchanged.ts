import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/** Once-only: which government-held materials the exchange supplied at submission, by which call. */
export const m0002: Migration = {
  name: '0002_exchanged',
  async up(db, d) {
    await db.schema.alterTable('services_application').addColumn('exchanged', columnTypes(d).json).execute();
  },
};
