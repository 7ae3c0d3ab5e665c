import type { Executor } from '../../platform/db/database.ts';

/** One issued certificate. */
export interface CertificateRow {
  id: string;
  number: string;
  type: string;
  holder_kind: 'person' | 'entity';
  holder_id: string;
  account_id: string;
  purpose: string | null;
  issuer_code: string;
  issued_at: number;
  /** YYYY-MM-DD, valid through that day (Shanghai). */
  valid_until: string;
  /** The claims as signed (json). */
  claims: unknown;
  credential_id: string | null;
  /** valid, withdrawn. */
  status: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    certificates_certificate: CertificateRow;
    certificates_sequence: { type: string; year: number; last: number };
  }
}

/** All SQL of the certificates. */
export class CertificateStore {
  /**
   * The next number of a type's series in a year. The counter row is updated in place, so in
   * PostgreSQL concurrent issues queue on its row lock rather than both taking the same number.
   */
  async nextSerial(tx: Executor, type: string, year: number): Promise<number> {
    await tx.insertInto('certificates_sequence').values({ type, year, last: 0 }).onConflict((oc) => oc.columns(['type', 'year']).doNothing()).execute();
    const r = await tx
      .updateTable('certificates_sequence')
      .set((eb) => ({ last: eb('last', '+', 1) }))
      .where('type', '=', type)
      .where('year', '=', year)
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(r.last);
  }

  async insert(tx: Executor, row: CertificateRow): Promise<void> {
    await tx.insertInto('certificates_certificate').values(row).execute();
  }

  /** Follows the credential's status: false when no certificate carries that credential. */
  async setStatusByCredential(tx: Executor, credentialId: string, status: 'valid' | 'withdrawn'): Promise<boolean> {
    const r = await tx.updateTable('certificates_certificate').set({ status }).where('credential_id', '=', credentialId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async get(db: Executor, id: string): Promise<CertificateRow | null> {
    return (await db.selectFrom('certificates_certificate').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** An account's certificates, newest first. */
  async ofAccount(db: Executor, accountId: string, limit = 200): Promise<CertificateRow[]> {
    return db.selectFrom('certificates_certificate').selectAll().where('account_id', '=', accountId).orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
}
