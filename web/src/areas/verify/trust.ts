// What a verifier (and the wallet, for its audience) knows about the issuer, kept in localStorage so
// it works offline: the issuer metadata with its keys, each status list with its fetch time, and the
// nonces of presentations already seen (a code shown twice is a copy).
import { issuerMetadata, type IssuerMetadata } from '../../api/wallet.ts';

const META = 'yiwang.verify.issuer';
const LIST = 'yiwang.verify.status:';
const SEEN = 'yiwang.verify.seen';
/** Issuer metadata is re-fetched after this long (the server lets caches keep it 5 minutes). */
const META_MAX_AGE = 300_000;
/** A status list's `ttl` when it names none (seconds). */
const DEFAULT_TTL = 300;

export interface Cached<T> {
  value: T;
  fetchedAt: number;
  /** Served from the cache because the network failed. */
  offline?: boolean;
}

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or blocked: the verifier still works online
  }
}

/** The issuer metadata: cached while young, fetched otherwise, the cached copy when offline. */
export async function trustedIssuer(opts: { refresh?: boolean } = {}): Promise<Cached<IssuerMetadata>> {
  const cached = read<Cached<IssuerMetadata>>(META);
  if (cached && !opts.refresh && Date.now() - cached.fetchedAt < META_MAX_AGE) return cached;
  try {
    const value = await issuerMetadata();
    const fresh = { value, fetchedAt: Date.now() };
    write(META, fresh);
    return fresh;
  } catch (err) {
    if (cached) return { ...cached, offline: true };
    throw err;
  }
}

/** The verify page's URL for an issuer: the audience a wallet's key-binding proof names. */
export const audienceOf = (issuer: string) => `${issuer.replace(/\/+$/, '')}/verify`;

function ttlOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { ttl?: unknown };
    return typeof payload.ttl === 'number' && payload.ttl > 0 ? payload.ttl : DEFAULT_TTL;
  } catch {
    return DEFAULT_TTL;
  }
}

/**
 * A status list token: the cached one within its `ttl`, else fetched — by path from this origin, and
 * only for lists of the issuer trusted — else the cached one marked offline, else null.
 */
export async function statusList(uri: string, issuer: string): Promise<Cached<string> | null> {
  const prefix = `${issuer.replace(/\/+$/, '')}/`;
  if (!uri.startsWith(prefix)) return null;
  const cached = read<Cached<string>>(LIST + uri);
  if (cached && Date.now() - cached.fetchedAt < ttlOf(cached.value) * 1000) return cached;
  try {
    const res = await fetch(`/${uri.slice(prefix.length)}`, { headers: { accept: 'application/statuslist+jwt' }, cache: 'no-cache' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const fresh = { value: (await res.text()).trim(), fetchedAt: Date.now() };
    write(LIST + uri, fresh);
    return fresh;
  } catch {
    return cached ? { ...cached, offline: true } : null;
  }
}

/** Remembers a nonce until `until` (seconds); true when it had been seen already. */
export function seenBefore(nonce: string, until: number): boolean {
  const now = Date.now() / 1000;
  const seen = read<Record<string, number>>(SEEN) ?? {};
  for (const [n, u] of Object.entries(seen)) if (u < now) delete seen[n];
  const replay = nonce in seen;
  if (!replay) seen[nonce] = until;
  write(SEEN, seen);
  return replay;
}
