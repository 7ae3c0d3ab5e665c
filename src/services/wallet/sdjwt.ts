// The SD-JWT VC plumbing both ends share: the server issues with it, the web wallet presents with it
// and the /verify page checks with it. Isomorphic on purpose — WebCrypto (globalThis.crypto) exists
// in Node 20 and every browser — so nothing here imports from Node.
//
// Cryptography is the libraries': @sd-jwt builds and splits SD-JWTs, jose signs and verifies JWS.
// This file only wires them together.

import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { DisclosureFrame, PresentationFrame } from '@sd-jwt/types';

/** The JOSE `typ` of an issued credential (SD-JWT VC draft 09+; verifiers also accept the older vc+sd-jwt). */
export const CREDENTIAL_TYP = 'dc+sd-jwt';
export const ACCEPTED_TYPS = new Set([CREDENTIAL_TYP, 'vc+sd-jwt']);
/** ECDSA P-256 with SHA-256 for issuer and holder keys alike. */
export const ALG = 'ES256';

/** A public key as a JWK (the subset the wallet uses). */
export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid?: string;
  alg?: string;
  use?: string;
}

const utf8 = new TextEncoder();

/** SHA-256 of a string (the digest SD-JWT uses for disclosures and sd_hash). */
export async function sha256(data: string | ArrayBuffer): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? utf8.encode(data) : new Uint8Array(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

export function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 128 bits of randomness, base64url: salts and nonces. */
export function randomToken(bytes = 16): string {
  return b64url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Signs `data` (the JWS signing input) and returns the base64url signature. */
export type SignFn = (data: string) => Promise<string>;

/** An SD-JWT VC instance; signers are given per use (issuer key on the server, holder key in the wallet). */
export function sdJwtVc(opts: { signer?: SignFn; kbSigner?: SignFn } = {}): SDJwtVcInstance {
  return new SDJwtVcInstance({
    hasher: (data, alg) => {
      if (alg.toLowerCase() !== 'sha-256') throw new Error(`unsupported hash algorithm ${alg}`);
      return sha256(data);
    },
    hashAlg: 'sha-256',
    saltGenerator: () => randomToken(16),
    signer: opts.signer,
    signAlg: ALG,
    kbSigner: opts.kbSigner,
    kbSignAlg: ALG,
  });
}

/** Every top-level claim selectively disclosable: the holder chooses what a verifier sees. */
export function discloseAll(claims: Record<string, unknown>): DisclosureFrame<Record<string, unknown>> {
  return { _sd: Object.keys(claims) } as DisclosureFrame<Record<string, unknown>>;
}

/** A WebCrypto ECDSA P-256 private key as a signer of JWS input (the raw r‖s form JWS uses). */
export function webCryptoSigner(key: CryptoKey): SignFn {
  return async (data) => {
    const sig = await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, utf8.encode(data));
    return b64url(new Uint8Array(sig));
  };
}

export interface PresentOptions {
  /** Claims to reveal (top-level keys); every other disclosure is left out. */
  disclose: string[];
  /** Signs the key-binding JWT with the holder's key; omitted for unbound (printed) credentials. */
  holderSigner?: SignFn;
  /** Who the presentation is meant for (the verifier page's URL), and a fresh random nonce. */
  audience: string;
  nonce?: string;
  /** Seconds since the epoch; defaults to now. */
  iat?: number;
}

/**
 * A presentation: the issuer-signed JWT, the disclosures the holder chose, and — for a bound
 * credential — a key-binding JWT over all of it, fresh (iat) and single-use (nonce).
 */
export async function present(sdJwt: string, opts: PresentOptions): Promise<string> {
  const frame = Object.fromEntries(opts.disclose.map((k) => [k, true])) as PresentationFrame<Record<string, unknown>>;
  const inst = sdJwtVc({ kbSigner: opts.holderSigner });
  if (!opts.holderSigner) return inst.present(sdJwt, frame);
  return inst.present(sdJwt, frame, {
    kb: { payload: { aud: opts.audience, nonce: opts.nonce ?? randomToken(12), iat: opts.iat ?? Math.floor(Date.now() / 1000) } },
  });
}
