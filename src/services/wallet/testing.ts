// Test helpers for the wallet: a holder's phone key, and presentations made the way the web wallet makes them.
import { exportJWK, generateKeyPair } from 'jose';
import { present, webCryptoSigner, type PublicJwk, type SignFn } from './sdjwt.ts';

/** A holder's key pair, as a phone wallet keeps it: the public JWK goes to the issuer, the private key signs proofs. */
export interface HolderKey {
  jwk: PublicJwk;
  sign: SignFn;
  privateKey: CryptoKey;
}

export async function holderKey(): Promise<HolderKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = (await exportJWK(publicKey)) as PublicJwk;
  return { jwk, sign: webCryptoSigner(privateKey as CryptoKey), privateKey: privateKey as CryptoKey };
}

/** A presentation of `sdJwt` disclosing `disclose`, with a key-binding proof made at `nowMs`. */
export function presentAt(sdJwt: string, holder: HolderKey | null, disclose: string[], nowMs: number, audience: string, nonce?: string): Promise<string> {
  return present(sdJwt, { disclose, holderSigner: holder?.sign, audience, iat: Math.floor(nowMs / 1000), ...(nonce ? { nonce } : {}) });
}
