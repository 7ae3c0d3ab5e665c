// Revocation and suspension by IETF Token Status List: every credential names an index in a list;
// the list is published as a signed, compressed bit string (2 bits an entry: 0 valid, 1 revoked,
// 2 suspended) that verifiers fetch and cache, so checking status tells the issuer nothing about
// which credential is being checked. Indexes are drawn at random for the same reason: neighbours
// in a list are not people issued one after the other.
//
// The list is not stored as bits: it is rebuilt from the credentials' own status columns when
// something in it changed, so it can never disagree with them.

import { StatusList, createHeaderAndPayload } from '@sd-jwt/jwt-status-list';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { IssuerKeys } from './keys.ts';
import { ALG } from './sdjwt.ts';

/** Entries in a list; a new list opens when one is three quarters full (random draws stay cheap). */
export const LIST_SIZE = 65_536;
/** Verifiers may cache a list this long (seconds) before fetching again… */
export const LIST_TTL = 300;
/** …and the list's signature is good for a day, the longest an offline verifier relies on it. */
export const LIST_VALIDITY = 86_400;

/** Serialises status-entry allocation between processes on PostgreSQL. */
const ALLOCATE_LOCK = 74_210_012;

const STATUS_BITS = { valid: 0, revoked: 1, suspended: 2 } as const;

export class StatusLists {
  private tokens = new Map<number, { marker: string; at: number; jwt: string }>();

  constructor(private readonly ctx: AppContext, private readonly keys: IssuerKeys) {}

  uri(listId: number): string {
    return `${this.ctx.config.publicUrl}/status-lists/${listId}`;
  }

  /** The list id a URI of ours names, or null. */
  listOf(uri: string): number | null {
    const prefix = `${this.ctx.config.publicUrl}/status-lists/`;
    if (!uri.startsWith(prefix)) return null;
    const id = Number(uri.slice(prefix.length));
    return Number.isInteger(id) && id > 0 ? id : null;
  }

  /** Draws a free entry for a new credential (inside the issuing transaction). */
  async allocate(tx: Executor): Promise<{ listId: number; idx: number }> {
    // Two issuers must not both open list n+1 or draw the same entry: on PostgreSQL they take turns
    // (SQLite's write transactions already do).
    if (this.ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${ALLOCATE_LOCK})`.execute(tx);
    let list = await tx.selectFrom('wallet_status_list').selectAll().orderBy('id', 'desc').executeTakeFirst();
    const used = list ? Number((await tx.selectFrom('wallet_credential').select((eb) => eb.fn.countAll().as('n')).where('list_id', '=', list.id).executeTakeFirstOrThrow()).n) : 0;
    if (!list || used >= list.size * 0.75) {
      const id = (list?.id ?? 0) + 1;
      await tx.insertInto('wallet_status_list').values({ id, size: LIST_SIZE, created_at: this.ctx.clock.now() }).execute();
      list = { id, size: LIST_SIZE, created_at: this.ctx.clock.now() };
    }
    for (;;) {
      const idx = Math.floor(this.ctx.random.next() * list.size);
      const taken = await tx.selectFrom('wallet_credential').select('id').where('list_id', '=', list.id).where('idx', '=', idx).executeTakeFirst();
      if (!taken) return { listId: list.id, idx };
    }
  }

  /** The signed status list token (application/statuslist+jwt), or null for an unknown list. */
  async token(listId: number): Promise<string | null> {
    const db = this.ctx.db;
    const now = this.ctx.clock.now();
    const last = await db.selectFrom('wallet_credential').select((eb) => [eb.fn.max('status_changed_at').as('at'), eb.fn.countAll().as('n')]).where('list_id', '=', listId).executeTakeFirstOrThrow();
    const marker = `${String(last.at)}:${String(last.n)}`;
    const cached = this.tokens.get(listId);
    // Re-signed when something changed, and well before the cached copy's own expiry.
    if (cached && cached.marker === marker && now - cached.at < (LIST_TTL * 1000) / 2) return cached.jwt;
    // The list's own row is read only to rebuild (every verification on the server passes above).
    const list = await db.selectFrom('wallet_status_list').selectAll().where('id', '=', listId).executeTakeFirst();
    if (!list) return null;

    const entries = new Array<number>(list.size).fill(0);
    const flagged = await db.selectFrom('wallet_credential').select(['idx', 'status']).where('list_id', '=', listId).where('status', '!=', 'valid').execute();
    for (const r of flagged) entries[r.idx] = STATUS_BITS[r.status as keyof typeof STATUS_BITS] ?? 1;
    const key = await this.keys.active();
    const iat = Math.floor(now / 1000);
    const { header, payload } = createHeaderAndPayload(
      new StatusList(entries, 2),
      { iss: this.ctx.config.publicUrl, sub: this.uri(listId), iat, exp: iat + LIST_VALIDITY, ttl: LIST_TTL },
      { alg: ALG, typ: 'statuslist+jwt', kid: key.kid },
    );
    const jwt = await new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.key);
    this.tokens.set(listId, { marker, at: now, jwt });
    return jwt;
  }

  /** Cached tokens are dropped (a status changed in another process, or keys rotated). */
  forget(): void {
    this.tokens.clear();
  }
}
