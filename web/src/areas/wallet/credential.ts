// Reading a held SD-JWT (the holder sees every claim of their own credential) and making a
// presentation of it: the chosen disclosures plus, for a bound credential, a key-binding proof signed
// with this device's key for the verify page of the trusted issuer, with a fresh nonce and time.
import { SDJwt } from '@sd-jwt/core';
import { CREDENTIAL_TYPES, typeOfVct, type CredentialType } from '../../../../src/services/wallet/credential-types.ts';
import { present, sha256, webCryptoSigner, type PublicJwk } from '../../../../src/services/wallet/sdjwt.ts';
import { audienceOf, trustedIssuer } from '../verify/trust.ts';
import type { DeviceKey } from './device.ts';

export interface Decoded {
  type?: CredentialType;
  claims: Record<string, unknown>;
  /** The holder key the credential is bound to (absent: an unbound credential, e.g. a certificate). */
  cnf?: PublicJwk;
  expiresAt?: number;
}

const hasher = (data: string | ArrayBuffer) => sha256(data);
const META = new Set(['_sd', '_sd_alg', 'cnf', 'status', 'iss', 'vct', 'iat', 'exp', 'nbf', 'sub']);

export async function decodeCredential(sdJwt: string): Promise<Decoded> {
  const sd = await SDJwt.fromEncode(sdJwt, hasher);
  const payload = (sd.jwt?.payload ?? {}) as Record<string, unknown>;
  const all = await sd.getClaims<Record<string, unknown>>(hasher);
  const claims = Object.fromEntries(Object.entries(all).filter(([k]) => !META.has(k)));
  return {
    type: typeOfVct(String(payload.vct)),
    claims,
    cnf: (payload.cnf as { jwk?: PublicJwk } | undefined)?.jwk,
    expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
  };
}

export const typeOf = (code: string): CredentialType | undefined => CREDENTIAL_TYPES[code];

/** A fresh presentation disclosing `disclose` (new nonce and time on every call). */
export async function makePresentation(sdJwt: string, disclose: string[], bound: boolean, device: DeviceKey): Promise<string> {
  const meta = await trustedIssuer({ anyAge: true });
  return present(sdJwt, { disclose, holderSigner: bound ? webCryptoSigner(device.privateKey) : undefined, audience: audienceOf(meta.value.issuer) });
}
