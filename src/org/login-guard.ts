import type { Db, Executor } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { clientKey } from '../platform/http/client-key.ts';
import { secondsToWait } from '../platform/http/rate-limit.ts';
import type { SessionStore } from './session.store.ts';

/** How hard logins are throttled. */
export interface LoginPolicy {
  /** Password checks for one username within `failureWindowMs` that lock it… */
  maxFailures: number;
  failureWindowMs: number;
  /** …for this long. */
  lockMs: number;
  /** Login attempts one client address (an IPv6 /64) may make per `ipWindowMs`, successful or not. */
  maxAttemptsPerIp: number;
  ipWindowMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  maxFailures: 5,
  failureWindowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxAttemptsPerIp: 20,
  ipWindowMs: 60_000,
};

/** The outcome of counting one password attempt for a username, before the password is checked. */
export type UserGate =
  | { admitted: true; /** This attempt's number in the current window. */ attempt: number }
  | { admitted: false; lockedUntil: number; /** True when this attempt set the lock (audit it once). */ newlyLocked: boolean };

/** What a failed check did: null, or the lock the username is now under. */
export type FailureOutcome = { lockedUntil: number; newlyLocked: boolean } | null;

/**
 * Rate limit per client address and lockout per username, kept in the database so every server
 * process counts the same attempts. Usernames are counted whether or not an account has that name,
 * so a lockout does not reveal which usernames exist.
 *
 * Every attempt is counted *before* its password is checked, in one atomic statement: so N parallel
 * attempts get attempt numbers 1…N, and only the first `maxFailures` of them ever reach the slow
 * password check. The rest are refused and lock the username. A correct password clears the count
 * only if no lock was set while it was being checked.
 */
export class LoginGuard {
  constructor(
    private readonly db: Db,
    private readonly store: SessionStore,
    private readonly now: () => number,
    readonly policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
  ) {}

  /** Counts an attempt from `ip`; throws RATE_LIMITED (with retryAfter seconds) past the limit. */
  async admitAddress(ip: string): Promise<void> {
    const now = this.now();
    const row = await this.store.hit(this.db, `ip:${clientKey(ip)}`, now, this.policy.ipWindowMs);
    if (row.count > this.policy.maxAttemptsPerIp) {
      const retryAfter = secondsToWait(row.window_start + this.policy.ipWindowMs - now);
      throw new AppError('RATE_LIMITED', `Too many login attempts from your address; try again in ${retryAfter} s`, undefined, { retryAfter });
    }
  }

  /**
   * Counts one password attempt for `username` before the password is checked. Refuses it while the
   * username is locked, and when more attempts than `maxFailures` are already counted in this window
   * (then it also locks the username).
   */
  async admitUser(username: string): Promise<UserGate> {
    const now = this.now();
    const key = userKey(username);
    const row = await this.store.hit(this.db, key, now, this.policy.failureWindowMs);
    if (row.locked_until !== null && row.locked_until > now) return { admitted: false, lockedUntil: row.locked_until, newlyLocked: false };
    if (row.count <= this.policy.maxFailures) return { admitted: true, attempt: row.count };
    return this.lock(key, now);
  }

  /** A checked password was wrong. The attempt that reaches `maxFailures` locks the username. */
  async recordFailure(username: string, attempt: number): Promise<FailureOutcome> {
    if (attempt < this.policy.maxFailures) return null;
    const { lockedUntil, newlyLocked } = await this.lock(userKey(username), this.now());
    return { lockedUntil, newlyLocked };
  }

  /**
   * A checked password was right. Inside the transaction that opens the session (or stores the new
   * password): clears the username's count unless it was locked meanwhile, and throws AUTH_LOCKED
   * if it was — so the session is not opened and the lock stands.
   */
  async admitSuccess(tx: Executor, username: string): Promise<void> {
    const now = this.now();
    const key = userKey(username);
    if (await this.store.clearUnlessLocked(tx, key, now)) return;
    const row = await this.store.throttle(tx, key);
    if (row?.locked_until && row.locked_until > now) throw this.lockedError(row.locked_until);
  }

  /** The 423 AUTH_LOCKED for a lock that ends at `lockedUntil`, with retryAfter seconds. */
  lockedError(lockedUntil: number): AppError {
    const retryAfter = secondsToWait(lockedUntil - this.now());
    return new AppError('AUTH_LOCKED', `Too many failed logins; try again in ${Math.ceil(retryAfter / 60)} min`, undefined, { retryAfter });
  }

  /** Forgets counters that no longer matter. */
  async prune(): Promise<number> {
    const horizon = Math.max(this.policy.failureWindowMs + this.policy.lockMs, this.policy.ipWindowMs);
    return this.store.pruneThrottle(this.db, this.now() - horizon);
  }

  private async lock(key: string, now: number): Promise<{ admitted: false; lockedUntil: number; newlyLocked: boolean }> {
    const until = now + this.policy.lockMs;
    if (await this.store.lock(this.db, key, now, until)) return { admitted: false, lockedUntil: until, newlyLocked: true };
    // Someone else locked it first: report their lock.
    const row = await this.store.throttle(this.db, key);
    return { admitted: false, lockedUntil: row?.locked_until && row.locked_until > now ? row.locked_until : until, newlyLocked: false };
  }
}

const userKey = (username: string) => `user:${username}`;
