import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * Issued certificates (即时开具证明): who asked, what it certifies (the claims as signed), its
 * number in its office's series, its validity and the wallet credential that carries it; and the
 * series counters, one per certificate type and year, so numbers run 第000001号, 第000002号, … .
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('certificates_certificate')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('number', 'varchar(60)', (c) => c.notNull().unique())
      .addColumn('type', 'varchar(40)', (c) => c.notNull())
      .addColumn('holder_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('holder_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('account_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('purpose', 'varchar(200)')
      .addColumn('issuer_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('issued_at', t.time, (c) => c.notNull())
      .addColumn('valid_until', 'varchar(10)', (c) => c.notNull())
      .addColumn('claims', t.json, (c) => c.notNull())
      .addColumn('credential_id', 'varchar(40)')
      .addColumn('status', 'varchar(12)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('certificates_certificate_account').on('certificates_certificate').columns(['account_id', 'issued_at']).execute();

    await db.schema
      .createTable('certificates_sequence')
      .addColumn('type', 'varchar(40)', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('certificates_sequence_pk', ['type', 'year'])
      .execute();
  },
};
