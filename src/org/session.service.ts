import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { authorize, type Principal } from '../platform/access.ts';
import type { AppContext, Authenticator } from '../platform/context.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { AccountService } from './account.service.ts';
import type { AccountStore } from './account.store.ts';
import type { LoginGuard } from './login-guard.ts';
import type { AccountView, ChangePasswordBody } from './org.schema.ts';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, secretHash, verifyPassword } from './password.ts';
import { TOUCH_EVERY_MS, type SessionStore } from './session.store.ts';
import type { TokenService } from './token.service.ts';
import './org.events.ts';

export const SESSION_COOKIE = 'yiwang_session';
/** Last-seen times are written at most this often per session or token. */

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
  userAgent?: string;
}

export interface LoginResult {
  account: AccountView;
  /** The cookie value; only its hash is stored. */
  token: string;
  expiresAt: number;
}

/**
 * Sign-in and sessions, and the Authenticator that turns a request's session cookie or bearer
 * token into a principal. Session secrets come from the operating system's CSPRNG, not ctx.random:
 * they must be unguessable, not replayable.
 */
export class SessionService implements Authenticator {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: SessionStore,
    private readonly accountStore: AccountStore,
    private readonly accounts: AccountService,
    private readonly tokens: TokenService,
    private readonly guard: LoginGuard,
  ) {}

  /**
   * Checks a username and password and opens a session. A wrong username and a wrong password give
   * the same AUTH_INVALID answer in about the same time. The attempt is counted before the password
   * is checked (see LoginGuard), so parallel guesses cannot outrun the lockout.
   */
  async login(input: LoginInput): Promise<LoginResult> {
    await this.guard.admitAddress(input.ip);
    const username = input.username.trim().toLowerCase();
    const gate = await this.guard.admitUser(username);
    if (!gate.admitted) throw await this.refuseLocked(username, gate, input.ip);
    const account = await this.accountStore.getByUsername(this.ctx.db, username);
    let check = { ok: false, needsRehash: false };
    if (account?.password_hash) check = await verifyPassword(input.password, account.password_hash);
    else await burnPasswordCheck(input.password);
    if (!account || !check.ok) {
      const locked = await this.guard.recordFailure(username, gate.attempt);
      if (locked) throw await this.refuseLocked(username, locked, input.ip);
      throw new AppError('AUTH_INVALID');
    }
    // Only someone who knows the password learns that the account is disabled.
    if (account.disabled_at !== null) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled; ask your administrator');

    const now = this.ctx.clock.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.ctx.config.sessionTtlMs;
    const sessionId = this.ctx.random.uuid();
    const rehash = check.needsRehash ? await hashPassword(input.password) : null;
    await this.ctx.transaction(async (tx) => {
      // Parallel attempts may have locked the username while this password was checked: then the
      // lock wins, and no session is opened.
      await this.guard.admitSuccess(tx, username);
      await this.store.insertSession(tx, {
        id: sessionId,
        token_hash: secretHash(token),
        account_id: account.id,
        created_at: now,
        expires_at: expiresAt,
        last_seen_at: now,
        revoked_at: null,
        ip: input.ip.slice(0, 64),
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      });
      if (rehash) await this.accountStore.update(tx, account.id, { password_hash: rehash });
      await this.ctx.audit.record(tx, {
        actorId: account.id,
        action: 'org.session.started',
        subjectType: 'account',
        subjectId: account.id,
        jurisdictionCode: account.jurisdiction_code,
        detail: { sessionId, ip: input.ip },
      });
      await this.ctx.outbox.add(tx, 'org.session.started', { v: 1, accountId: account.id, sessionId });
    });
    return { account: await this.accounts.view(account), token, expiresAt };
  }

  /**
   * The 423 to throw for a locked username; when this attempt set the lock and the name belongs to
   * an account, the lock is audited and announced first (once per lock).
   */
  private async refuseLocked(username: string, lock: { lockedUntil: number; newlyLocked: boolean }, ip: string | undefined): Promise<AppError> {
    if (lock.newlyLocked) {
      const account = await this.accountStore.getByUsername(this.ctx.db, username);
      if (account) {
        await this.ctx.transaction(async (tx) => {
          const base = { subjectType: 'account', subjectId: account.id, jurisdictionCode: account.jurisdiction_code };
          await this.ctx.audit.record(tx, { ...base, actorId: null, action: 'org.account.locked', detail: { until: lock.lockedUntil, ip: ip ?? null } });
          await this.ctx.outbox.add(tx, 'org.account.locked', { v: 1, accountId: account.id, until: lock.lockedUntil });
        });
      }
    }
    return this.guard.lockedError(lock.lockedUntil);
  }

  /** Revokes the session this cookie value belongs to (nothing happens for an unknown value). */
  async logout(token: string | undefined): Promise<void> {
    if (!token) return;
    const session = await this.store.sessionByHash(this.ctx.db, secretHash(token));
    if (!session || session.revoked_at !== null) return;
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.revokeSession(tx, session.id, this.ctx.clock.now()))) return;
      await this.ctx.audit.record(tx, { actorId: session.account_id, action: 'org.session.ended', subjectType: 'account', subjectId: session.account_id, detail: { sessionId: session.id } });
      await this.ctx.outbox.add(tx, 'org.session.ended', { v: 1, accountId: session.account_id, sessionId: session.id });
    });
  }

  /** The live session a cookie value opens, if any. */
  async sessionFor(token: string | undefined): Promise<{ id: string; accountId: string; lastSeenAt: number } | null> {
    if (!token || token.length > 100) return null;
    const s = await this.store.sessionByHash(this.ctx.db, secretHash(token));
    if (!s || s.revoked_at !== null || s.expires_at <= this.ctx.clock.now()) return null;
    return { id: s.id, accountId: s.account_id, lastSeenAt: s.last_seen_at };
  }

  /**
   * A bearer `yw_…` token wins over the cookie; an invalid, expired or revoked token is a 401
   * TOKEN_INVALID (a client that sends credentials should hear they are bad). A missing or stale
   * cookie just means anonymous.
   */
  async authenticate(req: FastifyRequest): Promise<Principal | null> {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(yw_\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (bearer) return this.tokens.authenticate(bearer);
    const cookie = (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    const session = await this.sessionFor(cookie);
    if (!session) return null;
    const account = await this.accountStore.get(this.ctx.db, session.accountId);
    if (!account || account.disabled_at !== null) return null;
    const now = this.ctx.clock.now();
    if (session.lastSeenAt < now - TOUCH_EVERY_MS) await this.store.touchSession(this.ctx.db, session.id, now, TOUCH_EVERY_MS);
    return this.accounts.principalOf(account, 'session');
  }

  /**
   * Changes one's own password (signed in with a session, knowing the current one). Wrong current
   * passwords count towards the same lockout as wrong logins, so a stolen session cannot be used to
   * guess the password. Every other session of the account ends; the one in use stays.
   */
  async changePassword(p: Principal | null, accountId: string, body: ChangePasswordBody, cookie: string | undefined, ip?: string): Promise<void> {
    // With only an owner as target, authorize() refuses everyone else, officials included.
    authorize(p, 'account.read_self', { ownerId: accountId });
    if (p.via !== 'session') throw new AppError('SESSION_REQUIRED', 'Sign in to change your password; an API token cannot');
    const account = await this.accountStore.get(this.ctx.db, accountId);
    if (!account) throw new AppError('ACCOUNT_NOT_FOUND');
    // The new password is judged first: a weak one is refused without spending a guess.
    checkPasswordPolicy(body.newPassword, 'newPassword', account.username);
    if (body.newPassword === body.currentPassword) throw invalid('newPassword', 'must differ from the current password');
    const gate = await this.guard.admitUser(account.username);
    if (!gate.admitted) throw await this.refuseLocked(account.username, gate, ip);
    const check = account.password_hash ? await verifyPassword(body.currentPassword, account.password_hash) : { ok: false };
    if (!check.ok) {
      const locked = await this.guard.recordFailure(account.username, gate.attempt);
      if (locked) throw await this.refuseLocked(account.username, locked, ip);
      throw invalid('currentPassword', 'is not your current password');
    }
    const hash = await hashPassword(body.newPassword);
    const current = await this.sessionFor(cookie);
    const now = this.ctx.clock.now();
    await this.ctx.transaction(async (tx) => {
      await this.guard.admitSuccess(tx, account.username);
      // Checked against the hash read above: a password changed meanwhile (another session) wins.
      const fresh = await this.accountStore.getForUpdate(tx, accountId);
      if (!fresh || fresh.password_hash !== account.password_hash) throw invalid('currentPassword', 'was changed meanwhile; try again with the new one');
      await this.accountStore.update(tx, accountId, { password_hash: hash, password_changed_at: now, updated_at: now });
      const ended = await this.store.revokeSessionsOf(tx, accountId, now, current?.id);
      await this.ctx.audit.record(tx, {
        actorId: p.accountId,
        action: 'org.account.password_changed',
        subjectType: 'account',
        subjectId: accountId,
        jurisdictionCode: account.jurisdiction_code,
        detail: { otherSessionsEnded: ended },
      });
      await this.ctx.outbox.add(tx, 'org.account.password_changed', { v: 1, accountId, by: p.accountId });
    });
  }

  /** Deletes sessions and throttle counters that ended more than a day ago. */
  async prune(): Promise<void> {
    await this.store.pruneSessions(this.ctx.db, this.ctx.clock.now() - 24 * 3600_000);
    await this.guard.prune();
  }
}
