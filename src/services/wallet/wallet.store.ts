import type { Executor } from '../../platform/db/database.ts';
import { toJson } from '../../platform/db/dialect.ts';
import type { CredentialRow, VerificationRow } from './wallet.schema.ts';

/** All SQL of the wallet's credentials and verifications (keys: keys.ts; lists: status-list.ts). */
export class WalletStore {
  async insert(db: Executor, row: CredentialRow): Promise<void> {
    await db.insertInto('wallet_credential').values(row).execute();
  }

  async get(db: Executor, id: string): Promise<CredentialRow | null> {
    return (await db.selectFrom('wallet_credential').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async ofAccount(db: Executor, accountId: string): Promise<CredentialRow[]> {
    return db.selectFrom('wallet_credential').selectAll().where('account_id', '=', accountId).orderBy('issued_at', 'desc').limit(500).execute();
  }

  /** Live (not revoked) credentials an account holds for one source record. */
  async bySource(db: Executor, accountId: string, kind: string, id: string): Promise<CredentialRow[]> {
    return db.selectFrom('wallet_credential').selectAll().where('source_kind', '=', kind).where('source_id', '=', id).where('account_id', '=', accountId).where('status', '!=', 'revoked').execute();
  }

  /** The credential behind a status entry (the issuer's own lookup after a verification). */
  async byEntry(db: Executor, listId: number, idx: number): Promise<Pick<CredentialRow, 'id' | 'account_id'> | null> {
    return (await db.selectFrom('wallet_credential').select(['id', 'account_id']).where('list_id', '=', listId).where('idx', '=', idx).executeTakeFirst()) ?? null;
  }

  /** Changes a status unless the credential is revoked (final); false when nothing changed. */
  async setStatus(db: Executor, id: string, status: string, reason: string, at: number): Promise<boolean> {
    const r = await db.updateTable('wallet_credential').set({ status, status_reason: reason, status_changed_at: at }).where('id', '=', id).where('status', '!=', 'revoked').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Records a nonce; false when it was there already (the insert changed nothing). */
  async remember(db: Executor, nonce: string, until: number): Promise<boolean> {
    const r = await db.insertInto('wallet_seen').values({ nonce, until }).onConflict((oc) => oc.column('nonce').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async forgetNonces(db: Executor, before: number): Promise<number> {
    const r = await db.deleteFrom('wallet_seen').where('until', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Verification records past their retention are deleted (they name credentials and verifiers). */
  async forgetVerifications(db: Executor, before: number): Promise<number> {
    const r = await db.deleteFrom('wallet_verification').where('at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async logVerification(db: Executor, row: Omit<VerificationRow, 'disclosed'> & { disclosed: string[] }): Promise<void> {
    await db.insertInto('wallet_verification').values({ ...row, disclosed: toJson(row.disclosed) }).execute();
  }

  async verificationsOf(db: Executor, accountId: string, limit: number): Promise<VerificationRow[]> {
    return db
      .selectFrom('wallet_verification')
      .innerJoin('wallet_credential', 'wallet_credential.id', 'wallet_verification.credential_id')
      .selectAll('wallet_verification')
      .where('wallet_credential.account_id', '=', accountId)
      .orderBy('wallet_verification.at', 'desc')
      .limit(limit)
      .execute();
  }
}
