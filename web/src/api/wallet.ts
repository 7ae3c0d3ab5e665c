// The e-licence wallet (GET/POST /api/wallet…) and the issuer's public metadata. Shapes follow the
// server's wallet.schema.ts.
import type { PublicJwk } from '../../../src/services/wallet/sdjwt.ts';
import { get, post } from './client.ts';

export type CredentialStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

/** A public key as a JWK (EC P-256 for holder keys): the server's own type, shared. */
export type Jwk = PublicJwk;

export interface CredentialView {
  id: string;
  type: string;
  vct: string;
  nameZh: string;
  nameEn: string;
  holderKind: string;
  /** Masked identity number or credit code. */
  holderId: string;
  source: { kind: string; id: string };
  issuedAt: string;
  validUntil: string | null;
  status: CredentialStatus;
  statusReason: string | null;
  /** Bound to a holder key: shown only with a proof from the holder's phone. */
  bound: boolean;
}

/** A licence of the e-licence library not yet in the wallet. */
export interface AvailableLicence {
  licenceId: string;
  type: string;
  nameZh: string;
  nameEn: string;
  number: string;
  validUntil: string | null;
}

export interface Issued {
  credential: CredentialView;
  sdJwt: string;
  paperSdJwt?: string;
}

export interface VerificationView {
  at: string;
  valid: boolean;
  reason: string | null;
  credentialId: string | null;
  type: string | null;
  disclosed: string[];
}

export interface IssuerMetadata {
  issuer: string;
  jwks: { keys: Jwk[] };
}

export const myWallet = (signal?: AbortSignal) => get<{ items: CredentialView[]; available: AvailableLicence[] }>('/wallet', undefined, signal);
export const addLicence = (licenceId: string, holderJwk: Jwk) => post<Issued>('/wallet/credentials', { licenceId, holderJwk });
export const credential = (id: string, signal?: AbortSignal) => get<Issued>(`/wallet/credentials/${encodeURIComponent(id)}`, undefined, signal);
export const myVerifications = (signal?: AbortSignal) => get<{ items: VerificationView[] }>('/wallet/verifications', undefined, signal);

/** The issuer's metadata (outside /api, public, cacheable): its identifier and published keys. */
export async function issuerMetadata(signal?: AbortSignal): Promise<IssuerMetadata> {
  const res = await fetch('/.well-known/jwt-vc-issuer', { headers: { accept: 'application/json' }, signal, cache: 'no-cache' });
  if (!res.ok) throw new Error(`issuer metadata: HTTP ${res.status}`);
  return (await res.json()) as IssuerMetadata;
}
