// A limit on how often one client address may call a public endpoint, counted in this process's
// memory in fixed windows. Logins count in the database (org/login-guard.ts), so every process sees
// every attempt; a public endpoint that anyone may call without an account (the verifier page) only
// needs to stop one address from flooding a process, and a write per request would be the flood.
import { AppError } from '../errors.ts';
import { clientKey } from './client-key.ts';

/** Whole seconds until `ms` have passed, at least 1: a Retry-After that never says "now". */
export const secondsToWait = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Addresses remembered at most; past it, windows that have ended are dropped. */
const MAX_ADDRESSES = 50_000;

export class AddressRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    /** Calls one address may make per window. */
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
    /** What the caller was doing, for the message ("verifications"). */
    private readonly what: string,
  ) {}

  /** Counts one call from `ip`; throws RATE_LIMITED (with retryAfter seconds) past the limit. */
  hit(ip: string): void {
    const now = this.now();
    const key = clientKey(ip);
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      if (!w && this.windows.size >= MAX_ADDRESSES) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (++w.count <= this.limit) return;
    const retryAfter = secondsToWait(w.start + this.windowMs - now);
    throw new AppError('RATE_LIMITED', `Too many ${this.what} from your address; try again in ${retryAfter} s`, undefined, { retryAfter });
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now >= w.start + this.windowMs) this.windows.delete(key);
    // Every address still inside its window: the oldest give way (a flood of addresses is bounded).
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_ADDRESSES) break;
      this.windows.delete(key);
    }
  }
}
