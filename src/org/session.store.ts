import { sql } from 'kysely';
import type { Executor } from '../platform/db/database.ts';
import type { ApiTokenRow, SessionRow, ThrottleRow } from './org.schema.ts';

/** Last-seen/last-used times are written at most this often: a write per request would be waste. */
export const TOUCH_EVERY_MS = 60_000;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function sessionRow(r: SessionRow): SessionRow {
  return { ...r, created_at: Number(r.created_at), expires_at: Number(r.expires_at), last_seen_at: Number(r.last_seen_at), revoked_at: num(r.revoked_at) };
}

function tokenRow(r: ApiTokenRow): ApiTokenRow {
  return { ...r, created_at: Number(r.created_at), expires_at: num(r.expires_at), last_used_at: num(r.last_used_at), revoked_at: num(r.revoked_at) };
}

/** All SQL about sessions, API tokens and the login throttle. */
export class SessionStore {
  async insertSession(db: Executor, row: SessionRow): Promise<void> {
    await db.insertInto('org_session').values(row).execute();
  }

  async sessionByHash(db: Executor, tokenHash: string): Promise<SessionRow | undefined> {
    const r = await db.selectFrom('org_session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r ? sessionRow(r) : undefined;
  }

  /** Moves last-seen forward, at most once per `everyMs`, so reads do not each become a write. */
  async touchSession(db: Executor, id: string, now: number, everyMs: number): Promise<void> {
    await db.updateTable('org_session').set({ last_seen_at: now }).where('id', '=', id).where('last_seen_at', '<', now - everyMs).execute();
  }

  async revokeSession(db: Executor, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('org_session').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revokes every live session of an account except `keepId`; returns how many. */
  async revokeSessionsOf(db: Executor, accountId: string, now: number, keepId?: string): Promise<number> {
    let q = db.updateTable('org_session').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null);
    if (keepId) q = q.where('id', '!=', keepId);
    return Number((await q.executeTakeFirst()).numUpdatedRows);
  }

  /** Deletes sessions that ended (expired or revoked) before `before`. */
  async pruneSessions(db: Executor, before: number): Promise<number> {
    const r = await db
      .deleteFrom('org_session')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async insertToken(db: Executor, row: ApiTokenRow): Promise<void> {
    await db.insertInto('org_api_token').values(row).execute();
  }

  async tokenByHash(db: Executor, tokenHash: string): Promise<ApiTokenRow | undefined> {
    const r = await db.selectFrom('org_api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r ? tokenRow(r) : undefined;
  }

  async token(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
    const r = await db.selectFrom('org_api_token').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? tokenRow(r) : undefined;
  }

  /** The account's tokens that are not revoked, newest first. */
  async tokensOf(db: Executor, accountId: string): Promise<ApiTokenRow[]> {
    const rows = await db
      .selectFrom('org_api_token')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(tokenRow);
  }

  async touchToken(db: Executor, id: string, now: number, everyMs: number): Promise<void> {
    await db
      .updateTable('org_api_token')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - everyMs)]))
      .execute();
  }

  async revokeToken(db: Executor, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('org_api_token').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async revokeTokensOf(db: Executor, accountId: string, now: number): Promise<number> {
    const r = await db.updateTable('org_api_token').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async throttle(db: Executor, key: string): Promise<ThrottleRow | undefined> {
    const r = await db.selectFrom('org_login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    return r ? { ...r, window_start: Number(r.window_start), count: Number(r.count), locked_until: num(r.locked_until) } : undefined;
  }

  /**
   * Counts one more hit on `key` in a fixed window of `windowMs` that starts at the first hit,
   * atomically (one upsert), so concurrent attempts in several processes each get their own number.
   * While a lock runs the row is left as it is (those attempts are refused anyway); once a lock has
   * ended, counting starts afresh.
   */
  async hit(db: Executor, key: string, now: number, windowMs: number): Promise<ThrottleRow> {
    const cutoff = now - windowMs;
    const t = 'org_login_throttle';
    const locked = sql`${sql.ref(`${t}.locked_until`)} > ${now}`;
    const fresh = sql`(${sql.ref(`${t}.window_start`)} <= ${cutoff} or ${sql.ref(`${t}.locked_until`)} is not null)`;
    const r = await db
      .insertInto('org_login_throttle')
      .values({ key, window_start: now, count: 1, locked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql`case when ${locked} then ${sql.ref(`${t}.count`)} when ${fresh} then 1 else ${sql.ref(`${t}.count`)} + 1 end`,
          window_start: sql`case when ${locked} then ${sql.ref(`${t}.window_start`)} when ${fresh} then ${now} else ${sql.ref(`${t}.window_start`)} end`,
          locked_until: sql`case when ${locked} then ${sql.ref(`${t}.locked_until`)} else null end`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...r, window_start: Number(r.window_start), count: Number(r.count), locked_until: num(r.locked_until) };
  }

  /**
   * Locks `key` until `until` unless a lock is already running, in one statement (the row is made if
   * a success cleared it meanwhile). True when this call set the lock.
   */
  async lock(db: Executor, key: string, now: number, until: number): Promise<boolean> {
    const r = await db
      .insertInto('org_login_throttle')
      .values({ key, window_start: now, count: 0, locked_until: until })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ locked_until: until })
          .where((eb) => eb.or([eb('org_login_throttle.locked_until', 'is', null), eb('org_login_throttle.locked_until', '<=', now)])),
      )
      .returning('key')
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Deletes the counter of `key` unless a lock is running; true when it was deleted. */
  async clearUnlessLocked(db: Executor, key: string, now: number): Promise<boolean> {
    const r = await db
      .deleteFrom('org_login_throttle')
      .where('key', '=', key)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Forgets counters whose window and lock both ended before `before`. */
  async pruneThrottle(db: Executor, before: number): Promise<number> {
    const r = await db
      .deleteFrom('org_login_throttle')
      .where('window_start', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
