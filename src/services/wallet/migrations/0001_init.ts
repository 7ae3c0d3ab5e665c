import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/** The e-licence wallet: issuer keys, issued credentials with their status entries, verifications. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    // Issuer signing keys. A retired key stays published while credentials it signed are live.
    await db.schema
      .createTable('wallet_key')
      .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('alg', 'varchar(10)', (c) => c.notNull())
      .addColumn('public_jwk', t.json, (c) => c.notNull())
      .addColumn('private_jwk', t.json, (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('retired_at', t.time)
      // Set when a key is withdrawn (compromised): no longer published, its credentials fail.
      .addColumn('withdrawn_at', t.time)
      .execute();

    await db.schema
      .createTable('wallet_status_list')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('wallet_credential')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('holder_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('holder_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('type', 'varchar(40)', (c) => c.notNull())
      .addColumn('source_kind', 'varchar(12)', (c) => c.notNull())
      .addColumn('source_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('kid', 'varchar(64)', (c) => c.notNull())
      .addColumn('list_id', 'integer', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      // Thumbprint of the holder key the credential is bound to (null: unbound, e.g. a printed copy only).
      .addColumn('holder_jkt', 'varchar(64)')
      .addColumn('issued_at', t.time, (c) => c.notNull())
      .addColumn('valid_until', t.time)
      .addColumn('status', 'varchar(10)', (c) => c.notNull())
      .addColumn('status_reason', 'varchar(200)')
      .addColumn('status_changed_at', t.time, (c) => c.notNull())
      .addColumn('sd_jwt', 'text', (c) => c.notNull())
      .addColumn('paper_sd_jwt', 'text')
      .execute();
    await db.schema.createIndex('wallet_credential_entry').on('wallet_credential').columns(['list_id', 'idx']).unique().execute();
    await db.schema.createIndex('wallet_credential_account').on('wallet_credential').columns(['account_id', 'issued_at']).execute();
    await db.schema.createIndex('wallet_credential_source').on('wallet_credential').columns(['source_kind', 'source_id', 'status']).execute();
    await db.schema.createIndex('wallet_credential_list').on('wallet_credential').columns(['list_id', 'status_changed_at']).execute();

    // Nonces of presentations already accepted, kept until they would be stale anyway.
    await db.schema
      .createTable('wallet_seen')
      .addColumn('nonce', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('until', t.bigint, (c) => c.notNull())
      .execute();

    // Every verification through the API, accepted or refused — the reason, never the claims.
    await db.schema
      .createTable('wallet_verification')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('valid', 'integer', (c) => c.notNull())
      .addColumn('reason', 'varchar(30)')
      .addColumn('type', 'varchar(40)')
      .addColumn('credential_id', 'varchar(36)')
      .addColumn('disclosed', t.json)
      .addColumn('verifier_account', 'varchar(36)')
      .addColumn('verifier_ip', 'varchar(64)')
      .execute();
    await db.schema.createIndex('wallet_verification_credential').on('wallet_verification').columns(['credential_id', 'at']).execute();
  },
};
