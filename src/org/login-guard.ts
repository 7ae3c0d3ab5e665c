import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import type { SessionStore } from './session.store.ts';

/** How hard logins are throttled. */
export interface LoginPolicy {
  /** Failed logins for one username within `failureWindowMs` that lock it… */
  maxFailures: number;
  failureWindowMs: number;
  /** …for this long. */
  lockMs: number;
  /** Login attempts one client address may make per `ipWindowMs`, successful or not. */
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

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Rate limit per client address and lockout per username, kept in the database so every server
 * process counts the same attempts. Usernames are counted whether or not an account has that name,
 * so a lockout does not reveal which usernames exist.
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
    const row = await this.store.hit(this.db, `ip:${ip}`, now, this.policy.ipWindowMs);
    if (row.count > this.policy.maxAttemptsPerIp) {
      const retryAfter = seconds(row.window_start + this.policy.ipWindowMs - now);
      throw new AppError('RATE_LIMITED', `Too many login attempts from your address; try again in ${retryAfter} s`, undefined, { retryAfter });
    }
  }

  /** Throws AUTH_LOCKED (with retryAfter seconds) while the username is locked. */
  async assertNotLocked(username: string): Promise<void> {
    const row = await this.store.throttle(this.db, `user:${username}`);
    const now = this.now();
    if (row?.locked_until && row.locked_until > now) {
      const retryAfter = seconds(row.locked_until - now);
      throw new AppError('AUTH_LOCKED', `Too many failed logins; try again in ${Math.ceil(retryAfter / 60)} min`, undefined, { retryAfter });
    }
  }

  /** Counts a failed login; returns the lock's end when this failure locked the username. */
  async recordFailure(username: string): Promise<number | null> {
    const now = this.now();
    const key = `user:${username}`;
    const row = await this.store.hit(this.db, key, now, this.policy.failureWindowMs);
    if (row.count < this.policy.maxFailures) return null;
    const until = now + this.policy.lockMs;
    await this.store.lock(this.db, key, until);
    return until;
  }

  async recordSuccess(username: string): Promise<void> {
    await this.store.clear(this.db, `user:${username}`);
  }

  /** Forgets counters that no longer matter. */
  async prune(): Promise<number> {
    const horizon = Math.max(this.policy.failureWindowMs + this.policy.lockMs, this.policy.ipWindowMs);
    return this.store.pruneThrottle(this.db, this.now() - horizon);
  }
}
