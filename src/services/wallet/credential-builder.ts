// The two halves of issuing that need no database: checking what a caller asks to have signed, and
// signing it as an SD-JWT VC. WalletService.issueWith puts them around the store writes.

import { calculateJwkThumbprint, importJWK } from 'jose';
import { invalid } from '../../platform/errors.ts';
import { CREDENTIAL_TYPES, type CredentialType, type HolderKind } from './credential-types.ts';
import type { SigningKey } from './keys.ts';
import { ALG, CREDENTIAL_TYP, discloseAll, sdJwtVc, type PublicJwk } from './sdjwt.ts';

export interface IssueInput {
  holder: { kind: HolderKind; id: string };
  accountId: string;
  type: string;
  claims: Record<string, unknown>;
  /** ISO date (valid through the end of that day, Shanghai time) or null for no expiry. */
  validUntil: string | null;
  holderJwk?: PublicJwk | null;
  source: { kind: 'licence' | 'certificate'; id: string };
  /** Also sign an unbound copy with every disclosure, for a printed certificate's QR. */
  paper?: boolean;
}

export interface CheckedInput {
  input: IssueInput;
  type: CredentialType;
  cnf: { jwk: PublicJwk; jkt: string } | null;
  /** Epoch milliseconds, or null. */
  validUntil: number | null;
}

const DAY_END = 'T23:59:59+08:00';

/** Refuses what cannot be signed, naming the field: unknown type or claim, empty claim, missing or bad key, bad date. */
export async function checkInput(input: IssueInput): Promise<CheckedInput> {
  const type = CREDENTIAL_TYPES[input.type];
  if (!type) throw invalid('type', `is not a credential type (${Object.keys(CREDENTIAL_TYPES).join(', ')})`);
  if (type.holderKind !== input.holder.kind) throw invalid('holder.kind', `must be ${type.holderKind} for ${type.code}`);
  const known = new Set(type.claims.map((c) => c.key));
  for (const [k, v] of Object.entries(input.claims)) {
    if (!known.has(k)) throw invalid(`claims.${k}`, `is not a claim of ${type.code}`);
    if (v === null || v === undefined || v === '') throw invalid(`claims.${k}`, 'is empty');
  }
  if (type.binding === 'required' && !input.holderJwk) throw invalid('holderJwk', `is required: a ${type.nameEn} is shown only from the holder's phone`);
  const cnf = input.holderJwk ? await holderKey(input.holderJwk) : null;
  const validUntil = input.validUntil ? Date.parse(input.validUntil.length === 10 ? input.validUntil + DAY_END : input.validUntil) : null;
  if (validUntil !== null && Number.isNaN(validUntil)) throw invalid('validUntil', 'is not a date');
  return { input, type, cnf, validUntil };
}

/** Signs the credential (bound to the holder's key, or — for the printed copy — unbound). */
export function signCredential(key: SigningKey, issuer: string, statusUri: string, idx: number, c: CheckedInput, now: number, bound: boolean): Promise<string> {
  const payload = {
    iss: issuer,
    vct: c.type.vct,
    iat: Math.floor(now / 1000),
    ...(c.validUntil !== null ? { exp: Math.floor(c.validUntil / 1000) } : {}),
    ...(bound && c.cnf ? { cnf: { jwk: c.cnf.jwk } } : {}),
    status: { status_list: { idx, uri: statusUri } },
    ...c.input.claims,
  };
  return sdJwtVc({ signer: key.sign }).issue(payload, discloseAll(c.input.claims) as never, { header: { typ: CREDENTIAL_TYP, kid: key.kid, alg: ALG } });
}

async function holderKey(jwk: PublicJwk): Promise<{ jwk: PublicJwk; jkt: string }> {
  const pub: PublicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  try {
    await importJWK({ ...pub, alg: ALG }, ALG);
  } catch {
    throw invalid('holderJwk', 'is not a P-256 public key');
  }
  return { jwk: pub, jkt: await calculateJwkThumbprint(pub as never) };
}
