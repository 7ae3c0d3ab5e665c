// What a verifier (and the wallet, for its audience) knows about the issuer, kept in localStorage so
// it works offline: the issuer metadata with its keys, each status list with its fetch time, and the
// nonces of presentations already seen (a code shown twice is a copy).
//
// Nothing fetched is cached before it is checked: metadata must name an issuer and publish keys, and
// a status list must be a statuslist+jwt for its own URI, signed by a published issuer key and not
// older than the copy already held — so a captive portal's HTML page or a replayed old list never
// replaces a good cached one. Offline, the cache has an age limit: issuer keys fetched more than 30
// days ago and status lists more than 7 days past their own `exp` are not relied on.
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { issuerMetadata, type IssuerMetadata, type Jwk } from '../../api/wallet.ts';

const META = 'yiwang.verify.issuer';
const LIST = 'yiwang.verify.status:';
const SEEN = 'yiwang.verify.seen';
const DAY = 86_400_000;
/** Issuer metadata is re-fetched after this long (the server lets caches keep it 5 minutes). */
const META_MAX_AGE = 300_000;
/** Offline, cached issuer keys older than this are not used: the verifier must go online. */
export const META_OFFLINE_MAX_AGE = 30 * DAY;
/** Offline, a cached status list is used until this long after its own `exp`, and then no more. */
export const STATUS_GRACE = 7 * DAY;
/** A status list's `ttl` when it names none (seconds). */
const DEFAULT_TTL = 300;
const ALG = 'ES256';

export interface Cached<T> {
  value: T;
  fetchedAt: number;
  /** Served from the cache because the network failed (or answered with something unusable). */
  offline?: boolean;
}

/** Offline with cached issuer keys older than META_OFFLINE_MAX_AGE: they are not relied on. */
export class KeysTooOldError extends Error {
  constructor(readonly fetchedAt: number) {
    super('The cached issuer keys are too old to use offline');
  }
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

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Issuer metadata worth keeping: an http(s) issuer and at least one EC key with a kid. */
function validMetadata(v: unknown): v is IssuerMetadata {
  if (!isObject(v) || typeof v.issuer !== 'string' || !/^https?:\/\/\S+$/.test(v.issuer)) return false;
  const keys = isObject(v.jwks) ? v.jwks.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 64) return false;
  return keys.every((k) => isObject(k) && typeof k.kid === 'string' && typeof k.kty === 'string') && keys.some((k) => k.kty === 'EC' && typeof k.x === 'string' && typeof k.y === 'string');
}

function cachedMetadata(): Cached<IssuerMetadata> | null {
  const c = read<Cached<IssuerMetadata>>(META);
  return c && typeof c.fetchedAt === 'number' && validMetadata(c.value) ? c : null;
}

/**
 * The issuer metadata: cached while young, fetched otherwise (and kept only when well-formed), the
 * cached copy when the network fails — up to META_OFFLINE_MAX_AGE old (KeysTooOldError beyond),
 * unless `anyAge` (the wallet only needs the issuer's name, for its proof's audience).
 */
export async function trustedIssuer(opts: { refresh?: boolean; anyAge?: boolean } = {}): Promise<Cached<IssuerMetadata>> {
  const cached = cachedMetadata();
  if (cached && !opts.refresh && Date.now() - cached.fetchedAt < META_MAX_AGE) return cached;
  let failure: unknown = new Error('issuer metadata: not well-formed');
  try {
    const value = await issuerMetadata();
    if (validMetadata(value)) {
      const fresh = { value, fetchedAt: Date.now() };
      write(META, fresh);
      return fresh;
    }
  } catch (err) {
    failure = err;
  }
  if (!cached) throw failure;
  if (!opts.anyAge && Date.now() - cached.fetchedAt > META_OFFLINE_MAX_AGE) throw new KeysTooOldError(cached.fetchedAt);
  return { ...cached, offline: true };
}

/** The verify page's URL for an issuer: the audience a wallet's key-binding proof names. */
export const audienceOf = (issuer: string) => `${issuer.replace(/\/+$/, '')}/verify`;

/** What a status list token says about itself, once its signature and subject are checked. */
interface ListFacts {
  iat: number;
  exp?: number;
  ttl: number;
}
type Checked = { ok: ListFacts } | { unknownKey: true } | { bad: true };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** Checked tokens by kid and token: a list is checked once per key set, not on every presentation. */
const checked = new Map<string, ListFacts>();

/** A status list token for `uri` signed by one of `keys` (typ statuslist+jwt, ES256), with its facts. */
async function checkList(token: string, uri: string, keys: Jwk[]): Promise<Checked> {
  try {
    if (token.length > 500_000 || token.split('.').length !== 3) return { bad: true };
    const h = decodeProtectedHeader(token);
    if (h.typ !== 'statuslist+jwt' || h.alg !== ALG || typeof h.kid !== 'string') return { bad: true };
    const jwk = keys.find((k) => k.kid === h.kid);
    if (!jwk) return { unknownKey: true };
    const memo = `${jwk.kid}|${jwk.x}|${jwk.y}|${uri}|${token}`;
    const hit = checked.get(memo);
    if (hit) return { ok: hit };
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, alg: ALG }, ALG);
    const { payload } = await compactVerify(token, key);
    const body = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const list = body.status_list;
    const iat = num(body.iat);
    if (body.sub !== uri || iat === undefined || !isObject(list) || typeof list.lst !== 'string' || typeof list.bits !== 'number') return { bad: true };
    const ttl = num(body.ttl);
    const facts: ListFacts = { iat, exp: num(body.exp), ttl: ttl !== undefined && ttl > 0 ? ttl : DEFAULT_TTL };
    if (checked.size >= 32) checked.delete(checked.keys().next().value!);
    checked.set(memo, facts);
    return { ok: facts };
  } catch {
    return { bad: true };
  }
}

/** The last moment (ms) a list may be relied on offline: its `exp` (else iat + ttl) plus STATUS_GRACE. */
export const usableUntil = (f: ListFacts) => ((f.exp ?? f.iat + f.ttl) * 1000) + STATUS_GRACE;

export interface ListResult {
  /** The token to check against, or null (the check then fails STATUS_UNAVAILABLE). */
  token: string | null;
  /** When the list used (or, with `tooOld`, the one refused) was fetched. */
  fetchedAt?: number;
  /** From the cache because the network failed or answered with something unusable. */
  offline?: boolean;
  /** The only list to hand is cached and more than STATUS_GRACE past its expiry: status unknown. */
  tooOld?: boolean;
  /** The fetched list is signed by a key not among the issuer keys held: fetch the keys again. */
  unknownKey?: boolean;
}

/**
 * A status list token: the cached one within its `ttl` (unless `refresh`), else fetched — by path
 * from this origin, and only for lists of the issuer trusted — and kept once checked, else the
 * cached one marked offline while within STATUS_GRACE of its expiry. The cached copy is checked
 * with the same `keys`, so one signed by a key no longer published counts as none.
 */
export async function statusList(uri: string, issuer: string, keys: Jwk[], opts: { refresh?: boolean } = {}): Promise<ListResult> {
  const prefix = `${issuer.replace(/\/+$/, '')}/`;
  if (!uri.startsWith(prefix)) return { token: null };
  const stored = read<Cached<string>>(LIST + uri);
  let cached: (Cached<string> & { facts: ListFacts }) | null = null;
  if (stored && typeof stored.value === 'string' && typeof stored.fetchedAt === 'number') {
    const c = await checkList(stored.value, uri, keys);
    if ('ok' in c) cached = { ...stored, facts: c.ok };
  }
  const now = Date.now();
  if (cached && !opts.refresh && now - cached.fetchedAt < cached.facts.ttl * 1000) return { token: cached.value, fetchedAt: cached.fetchedAt };

  let fetched: string | null = null;
  try {
    const res = await fetch(`/${uri.slice(prefix.length)}`, { headers: { accept: 'application/statuslist+jwt' }, cache: 'no-cache' });
    if (res.ok) fetched = (await res.text()).trim();
  } catch {
    // offline: the cached copy below
  }
  if (fetched !== null) {
    const c = await checkList(fetched, uri, keys);
    // Not older than the copy held (a list only moves forward): keep it.
    if ('ok' in c && (!cached || c.ok.iat >= cached.facts.iat)) {
      write(LIST + uri, { value: fetched, fetchedAt: now });
      return { token: fetched, fetchedAt: now };
    }
    // Signed by a key not known yet (the issuer rotated): the caller fetches the keys and asks again.
    if ('unknownKey' in c && !opts.refresh) return { token: null, unknownKey: true };
  }
  if (!cached) return { token: null };
  if (now > usableUntil(cached.facts)) return { token: null, fetchedAt: cached.fetchedAt, tooOld: true };
  return { token: cached.value, fetchedAt: cached.fetchedAt, offline: true };
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
