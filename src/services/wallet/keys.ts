// The issuer's signing keys (ES256). One key signs at a time; rotation makes a new one and retires
// the old, which stays published for as long as live credentials it signed exist, so rotating never
// breaks a credential in someone's wallet. Withdrawing a key (it leaked) unpublishes it at once.
//
// Private keys sit in the database as JWKs. A deployment that wants them in an HSM replaces this
// class; nothing else touches private keys.

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Executor, Tx } from '../../platform/db/database.ts';
import { fromJson, toJson } from '../../platform/db/dialect.ts';
import { ALG, webCryptoSigner, type PublicJwk, type SignFn } from './sdjwt.ts';
import type { KeyRow } from './wallet.schema.ts';

export interface SigningKey {
  kid: string;
  key: CryptoKey;
  sign: SignFn;
}

/** Published keys are re-read at most this often (a rotation elsewhere shows within the window). */
const CACHE_MS = 10_000;
/** Serialises key changes between processes on PostgreSQL. */
const KEY_LOCK = 74_210_011;

export class IssuerKeys {
  private signing: SigningKey | null = null;
  private publishedCache: { at: number; keys: PublicJwk[] } | null = null;
  private readonly secrets = new Map<string, string>();

  constructor(private readonly ctx: AppContext) {}

  /** The key that signs now, made on first use. */
  async active(): Promise<SigningKey> {
    if (this.signing) return this.signing;
    let row = await this.current(this.ctx.db);
    if (!row) {
      // Two processes starting together must not both make a first key: decide under the lock.
      await this.locked(async (tx) => {
        if (!(await this.current(tx))) await this.create(tx);
      });
      row = (await this.current(this.ctx.db))!;
    }
    const key = (await importJWK(fromJson<JWK>(row.private_jwk), ALG)) as CryptoKey;
    this.signing = { kid: row.kid, key, sign: webCryptoSigner(key) };
    return this.signing;
  }

  /** The public keys verifiers must know: the active key and retired ones still vouching for live credentials. */
  async published(): Promise<PublicJwk[]> {
    const now = this.ctx.clock.now();
    if (this.publishedCache && now - this.publishedCache.at < CACHE_MS) return this.publishedCache.keys;
    await this.active(); // an issuer always has a key to publish, even before its first credential
    const rows = await this.ctx.db.selectFrom('wallet_key').selectAll().where('withdrawn_at', 'is', null).orderBy('created_at', 'desc').execute();
    const keys: PublicJwk[] = [];
    for (const r of rows) {
      if (r.retired_at !== null && !(await this.vouches(r.kid, now))) continue;
      keys.push({ ...fromJson<PublicJwk>(r.public_jwk), kid: r.kid, alg: ALG, use: 'sig' });
    }
    this.publishedCache = { at: now, keys };
    return keys;
  }

  /** Makes a new signing key; the old one is retired (or withdrawn). Returns the new kid. */
  async rotate(withdrawOld: boolean): Promise<{ kid: string; retired: string[] }> {
    const r = await this.locked((tx) => this.replace(tx, withdrawOld));
    this.forget();
    return r;
  }

  /**
   * Rotates when the signing key is older than `maxAgeDays`: keys are not used for ever, so a key
   * that leaked unnoticed stops signing new credentials. Returns the new kid, or null when not due.
   */
  async rotateIfDue(maxAgeDays: number): Promise<string | null> {
    // Every process runs the schedule; the age is judged under the lock, so only the first rotates.
    const kid = await this.locked(async (tx) => {
      const row = await this.current(tx);
      if (!row || this.ctx.clock.now() - Number(row.created_at) < maxAgeDays * 86_400_000) return null;
      return (await this.replace(tx, false)).kid;
    });
    if (kid) this.forget();
    return kid;
  }

  /** A named random secret of this deployment (32 bytes, base64url), made on first use and kept. */
  async secret(name: string): Promise<string> {
    const cached = this.secrets.get(name);
    if (cached) return cached;
    const fresh = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    await this.ctx.db.insertInto('wallet_secret').values({ name, value: fresh }).onConflict((oc) => oc.column('name').doNothing()).execute();
    // Another process may have won the race: the stored value is the one.
    const row = await this.ctx.db.selectFrom('wallet_secret').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    this.secrets.set(name, row.value);
    return row.value;
  }

  /** Drops cached keys (after a rotation here or in another process). */
  forget(): void {
    this.signing = null;
    this.publishedCache = null;
  }

  async list(): Promise<Array<{ kid: string; createdAt: number; retiredAt: number | null; withdrawnAt: number | null }>> {
    const rows = await this.ctx.db.selectFrom('wallet_key').select(['kid', 'created_at', 'retired_at', 'withdrawn_at']).orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({ kid: r.kid, createdAt: Number(r.created_at), retiredAt: r.retired_at === null ? null : Number(r.retired_at), withdrawnAt: r.withdrawn_at === null ? null : Number(r.withdrawn_at) }));
  }

  /** Retires (or withdraws) the signing key and makes its successor, in the caller's locked transaction. */
  private async replace(tx: Tx, withdrawOld: boolean): Promise<{ kid: string; retired: string[] }> {
    const now = this.ctx.clock.now();
    const old = await tx.selectFrom('wallet_key').select('kid').where('retired_at', 'is', null).execute();
    await tx.updateTable('wallet_key').set(withdrawOld ? { retired_at: now, withdrawn_at: now } : { retired_at: now }).where('retired_at', 'is', null).execute();
    return { kid: await this.create(tx), retired: old.map((r) => r.kid) };
  }

  /** A transaction in which key changes are decided one process at a time (SQLite's write lock does this by itself). */
  private locked<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ctx.transaction(async (tx) => {
      if (this.ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${KEY_LOCK})`.execute(tx);
      return fn(tx);
    });
  }

  private async current(db: Executor): Promise<KeyRow | undefined> {
    return db.selectFrom('wallet_key').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirst();
  }

  private async create(db: Executor): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const pub = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(pub);
    const row: KeyRow = { kid, alg: ALG, public_jwk: toJson(pub), private_jwk: toJson(await exportJWK(privateKey)), created_at: this.ctx.clock.now(), retired_at: null, withdrawn_at: null };
    await db.insertInto('wallet_key').values(row).execute();
    return kid;
  }

  /** Whether a retired key still signs credentials someone may show: valid or suspended, not expired. */
  private async vouches(kid: string, now: number): Promise<boolean> {
    const r = await this.ctx.db
      .selectFrom('wallet_credential')
      .select('id')
      .where('kid', '=', kid)
      .where('status', '!=', 'revoked')
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
      .limit(1)
      .executeTakeFirst();
    return !!r;
  }
}
