// Verifying a presentation, step by step, so a refusal names exactly what is wrong: the server's
// POST /api/verify and the offline /verify page run this same code with different sources for the
// issuer's keys, the status lists and the memory of nonces already seen.

import { SDJwt } from '@sd-jwt/core';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { ACCEPTED_TYPS, ALG, b64url, sha256, type PublicJwk } from './sdjwt.ts';
import { typeOfVct, type CredentialType } from './credential-types.ts';
import { REASONS, type Reason } from './reasons.ts';

export { REASONS, type Reason };

export interface CheckEnv {
  /** The issuer identifier the credential must name (`iss`). */
  issuer: string;
  /** The issuer's published keys (with kid). */
  keys: PublicJwk[];
  /** The status list token (a JWT) at a URI, or null when it cannot be had. */
  statusList(uri: string): Promise<string | null>;
  /** Remembers a nonce until `until` (seconds); true when it had been seen already (a replay). */
  seen(nonce: string, until: number): Promise<boolean>;
  /** Seconds since the epoch. */
  now: number;
  /** The audience a key-binding JWT must name; unchecked when absent. */
  audience?: string;
  /** How old a key-binding JWT may be (seconds): a QR shown a while ago is stale. */
  maxAge?: number;
  /** Offline: accept a status list past its expiry (the result says so) rather than fail. */
  allowStaleStatus?: boolean;
  /** SHA-256 to use instead of WebCrypto's (the server passes Node's synchronous one: no thread hop per digest). */
  sha256?: (data: string) => Uint8Array | Promise<Uint8Array>;
}

export interface CheckResult {
  valid: boolean;
  reason?: Reason;
  /** Plain words for the reason, for logs and screens (never contains claim values). */
  detail?: string;
  type?: string;
  vct?: string;
  /** The claims disclosed, by key (only those the holder chose to reveal). */
  claims: Record<string, unknown>;
  issuedAt?: number;
  expiresAt?: number;
  /** Whether the presenter proved possession of the holder's key. */
  holderBound: boolean;
  /** Status checked against a list past its expiry (offline with an old cache). */
  statusStale?: boolean;
  /** The status entry (list URI and index) — lets the issuer find the credential in its own records. */
  status?: { uri: string; idx: number };
}

const SKEW = 60;
class Refusal extends Error {
  constructor(readonly reason: Reason, readonly detail: string) {
    super(detail);
  }
}
/** The verifier's own source failed (database down, network error): not the presentation's fault. */
class SourceFailure extends Error {}
const source = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f();
  } catch (cause) {
    throw new SourceFailure('verifier source failed', { cause });
  }
};
const refuse = (reason: Reason, detail: string): never => {
  throw new Refusal(reason, detail);
};

/**
 * Checks a presentation. A refusal comes back with its reason; a failure of the verifier's own
 * sources (`statusList`, `seen`) is not the presenter's fault and is thrown to the caller (a 503 on
 * the server), never reported as an unreadable code.
 */
export async function checkPresentation(presentation: unknown, env: CheckEnv): Promise<CheckResult> {
  const out: CheckResult = { valid: false, claims: {}, holderBound: false };
  try {
    await run(presentation, env, out);
    out.valid = true;
    return out;
  } catch (e) {
    if (e instanceof Refusal) return { ...out, valid: false, claims: {}, reason: e.reason, detail: e.detail };
    if (e instanceof SourceFailure) throw e.cause;
    return { ...out, valid: false, claims: {}, reason: 'MALFORMED', detail: 'The presentation could not be read' };
  }
}

/** Imported public keys by JWK (issuer keys recur on every check; a holder's across a queue of checks). */
const imported = new Map<string, CryptoKey | Uint8Array>();
async function keyOf(jwk: PublicJwk): Promise<CryptoKey | Uint8Array> {
  const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y}`;
  let k = imported.get(id);
  if (!k) {
    k = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, alg: ALG }, ALG);
    if (imported.size >= 256) imported.delete(imported.keys().next().value!);
    imported.set(id, k);
  }
  return k;
}

async function run(input: unknown, env: CheckEnv, out: CheckResult): Promise<void> {
  const digest = env.sha256 ?? sha256;
  const hasher = (data: string | ArrayBuffer) => (typeof data === 'string' ? digest(data) : sha256(data));
  if (typeof input !== 'string') refuse('MALFORMED', 'The presentation is not text');
  const text = (input as string).trim();
  // A QR or a printed certificate may carry the verify page URL with the presentation after "#vp=".
  const vp = text.includes('#vp=') ? decodeURIComponent(text.slice(text.indexOf('#vp=') + 4)) : text;
  if (vp.length > 20_000 || !/^[A-Za-z0-9_\-.~]+$/.test(vp) || !vp.includes('~')) refuse('MALFORMED', 'This is not an SD-JWT presentation');
  const parts = vp.split('~');
  const issuerJwt = parts[0]!;
  const kbJwt = parts[parts.length - 1]!;
  if (issuerJwt.split('.').length !== 3) refuse('MALFORMED', 'The issuer-signed part is not a JWT');

  let sd: SDJwt;
  let header: Record<string, unknown>;
  try {
    sd = await SDJwt.fromEncode(vp, hasher);
    header = decodeProtectedHeader(issuerJwt) as Record<string, unknown>;
  } catch {
    return refuse('MALFORMED', 'The presentation could not be decoded');
  }
  const payload = (sd.jwt?.payload ?? {}) as Record<string, unknown>;

  // 1. Who signed it, and with which key.
  if (!ACCEPTED_TYPS.has(String(header.typ))) refuse('UNSUPPORTED', `Not an SD-JWT VC (typ ${String(header.typ)})`);
  if (header.alg !== ALG) refuse('UNSUPPORTED', `Unsupported signature algorithm ${String(header.alg)}`);
  if (payload.iss !== env.issuer) refuse('UNKNOWN_ISSUER', 'Issued by someone this verifier does not trust');
  const jwk = env.keys.find((k) => k.kid === header.kid);
  if (!jwk) refuse('UNKNOWN_KEY', 'Signed with a key the issuer does not publish');
  try {
    await compactVerify(issuerJwt, await keyOf(jwk!));
  } catch {
    refuse('SIGNATURE_INVALID', "The issuer's signature does not match: forged or altered");
  }

  // 2. Every disclosure must be one the issuer signed (a digest in _sd), each at most once.
  const digests = new Set<string>();
  collectDigests(payload, digests);
  const used = new Set<string>();
  for (const d of sd.disclosures ?? []) {
    const h = b64url(await digest(d.encode()));
    if (!digests.has(h) || used.has(h)) refuse('DISCLOSURE_INVALID', 'A disclosed claim was not signed by the issuer: altered');
    used.add(h);
  }

  const type = typeOfVct(String(payload.vct));
  if (!type) refuse('UNKNOWN_TYPE', 'Not a credential type this issuer issues');
  out.type = type!.code;
  out.vct = type!.vct;
  out.issuedAt = num(payload.iat);
  out.expiresAt = num(payload.exp);

  // 3. Time.
  if (out.expiresAt !== undefined && env.now > out.expiresAt + SKEW) refuse('EXPIRED', 'The credential has expired');
  const nbf = num(payload.nbf);
  if (nbf !== undefined && env.now + SKEW < nbf) refuse('NOT_YET_VALID', 'The credential is not valid yet');

  // 4. Holder binding: the presenter holds the key the credential was issued to.
  await checkBinding(vp, kbJwt, payload, type!, env, out, digest);

  // 5. Status: revoked or suspended since issue.
  await checkStatus(payload, env, out);

  // 6. Single use: the same presentation shown twice is a copy, not the holder.
  if (out.holderBound) {
    const kb = sd.kbJwt?.payload as Record<string, unknown>;
    const until = (num(kb.iat) ?? env.now) + (env.maxAge ?? 300) + SKEW;
    if (await source(() => env.seen(String(kb.nonce), until))) refuse('REPLAYED', 'This presentation was already shown: ask the holder for a fresh code');
  }

  out.claims = await sd.getClaims<Record<string, unknown>>(hasher);
  for (const k of ['_sd', '_sd_alg', 'cnf', 'status', 'iss', 'vct', 'iat', 'exp', 'nbf', 'sub']) delete out.claims[k];
}

async function checkBinding(vp: string, kbJwt: string, payload: Record<string, unknown>, type: CredentialType, env: CheckEnv, out: CheckResult, digest: (s: string) => Uint8Array | Promise<Uint8Array>): Promise<void> {
  const cnf = payload.cnf as { jwk?: PublicJwk } | undefined;
  if (!cnf?.jwk) {
    if (type.binding === 'required') refuse('HOLDER_BINDING_MISSING', 'This credential must be shown from the holder’s wallet');
    return;
  }
  if (!kbJwt) refuse('HOLDER_BINDING_MISSING', 'No proof that the presenter holds the wallet key');
  let kb: Record<string, unknown>;
  try {
    const h = decodeProtectedHeader(kbJwt);
    if (h.typ !== 'kb+jwt') refuse('HOLDER_BINDING_INVALID', 'The key-binding part has the wrong type');
    const { payload: raw } = await compactVerify(kbJwt, await keyOf(cnf.jwk));
    kb = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof Refusal) throw e;
    return refuse('HOLDER_BINDING_INVALID', 'The key-binding signature is not the holder’s');
  }
  const signedPart = vp.slice(0, vp.length - kbJwt.length);
  if (kb.sd_hash !== b64url(await digest(signedPart))) refuse('HOLDER_BINDING_INVALID', 'The key-binding proof covers a different presentation');
  const iat = num(kb.iat);
  if (iat === undefined || typeof kb.nonce !== 'string' || kb.nonce.length < 8) refuse('HOLDER_BINDING_INVALID', 'The key-binding proof lacks a time or a nonce');
  if (env.now - iat! > (env.maxAge ?? 300) + SKEW) refuse('PRESENTATION_STALE', 'The code is too old: ask the holder to show it again');
  if (iat! > env.now + SKEW) refuse('PRESENTATION_STALE', 'The code is dated in the future');
  if (env.audience !== undefined && kb.aud !== env.audience) refuse('AUDIENCE_MISMATCH', 'The code was made for another verifier');
  out.holderBound = true;
}

async function checkStatus(payload: Record<string, unknown>, env: CheckEnv, out: CheckResult): Promise<void> {
  const ref = (payload.status as { status_list?: { uri?: unknown; idx?: unknown } } | undefined)?.status_list;
  if (!ref) return;
  if (typeof ref.uri !== 'string' || !Number.isInteger(ref.idx)) refuse('MALFORMED', 'The status reference is malformed');
  out.status = { uri: ref.uri as string, idx: ref.idx as number };
  let token: string | null;
  try {
    token = await env.statusList(ref.uri as string);
  } catch {
    token = null;
  }
  if (!token) refuse('STATUS_UNAVAILABLE', 'The revocation list could not be fetched and none is cached');
  const got = await readStatusList(token!, env.keys);
  if (got === 'unknown-key') refuse('STATUS_UNAVAILABLE', 'The revocation list is signed by a key not among the issuer keys held: refresh the issuer keys');
  if (!got) refuse('STATUS_UNAVAILABLE', 'The revocation list is not signed by the issuer');
  const list = got as ReadList;
  if (list.size <= (ref.idx as number) || (ref.idx as number) < 0) refuse('STATUS_UNAVAILABLE', 'The revocation list has no entry for this credential');
  if (list.sub !== ref.uri) refuse('STATUS_UNAVAILABLE', 'The revocation list is for another URI');
  if (list.exp !== undefined && env.now > list.exp) {
    if (!env.allowStaleStatus) refuse('STATUS_UNAVAILABLE', 'The revocation list has expired');
    out.statusStale = true;
  }
  const status = list.list.getStatus(ref.idx as number);
  if (status === 1) refuse('REVOKED', 'The credential has been revoked');
  if (status === 2) refuse('SUSPENDED', 'The credential is suspended');
  if (status !== 0) refuse('REVOKED', 'The credential is not valid');
}

type ReadList = { sub: unknown; exp?: number; size: number; list: ReturnType<typeof getListFromStatusListJWT> };
/**
 * Checked and unpacked status lists by token: a list is fetched once and then checks many
 * presentations, so its signature check and inflation (64k entries) happen once per token.
 */
const readLists = new Map<string, ReadList>();

async function readStatusList(token: string, keys: PublicJwk[]): Promise<ReadList | 'unknown-key' | null> {
  const hit = readLists.get(token);
  // The same token under a key no longer published must fail again, so the key is re-found each time.
  if (hit && keys.some((k) => k.kid === decodeProtectedHeader(token).kid)) return hit;
  try {
    const h = decodeProtectedHeader(token);
    const jwk = keys.find((k) => k.kid === h.kid);
    if (h.typ !== 'statuslist+jwt') return null;
    if (!jwk) return 'unknown-key';
    const { payload: raw } = await compactVerify(token, await keyOf(jwk));
    const body = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
    const list = getListFromStatusListJWT(token);
    const read: ReadList = { sub: body.sub, exp: num(body.exp), size: list.statusList.length, list };
    if (readLists.size >= 16) readLists.delete(readLists.keys().next().value!);
    readLists.set(token, read);
    return read;
  } catch {
    return null;
  }
}

function collectDigests(v: unknown, into: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) {
      if (x && typeof x === 'object' && '...' in x) into.add(String((x as Record<string, unknown>)['...']));
      else collectDigests(x, into);
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '_sd' && Array.isArray(x)) for (const d of x) into.add(String(d));
      else collectDigests(x, into);
    }
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
