// Instant certificates (即时开具证明, /api/certificates). Shapes follow the server's certificate.schema.ts.
import { get, post } from './client.ts';
import type { CredentialView, Jwk } from './wallet.ts';

export interface CatalogueEntry {
  code: string;
  vct: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  holderKind: 'person' | 'entity';
  issuerCode: string;
  issuerName: string;
  validDays: number;
  /** The request must say what the certificate is for. */
  purposeRequired: boolean;
  eligible: boolean;
  reasonZh: string | null;
  reasonEn: string | null;
}

/** A claim as a screen shows it, in the type's order. */
export interface ClaimLine {
  key: string;
  zh: string;
  en: string;
  kind: string;
  value: unknown;
}

export interface CertificateView {
  id: string;
  number: string;
  type: string;
  nameZh: string;
  nameEn: string;
  holderKind: string;
  holderName: string;
  purpose: string | null;
  issuerCode: string;
  issuingAuthority: string;
  issuedAt: string;
  issuedOn: string;
  validUntil: string;
  status: 'valid' | 'expired' | 'withdrawn';
  credentialId: string | null;
  claims: ClaimLine[];
  /** The printable A4 copy with its verification QR. */
  pdfUrl: string;
}

export interface IssuedCertificate {
  certificate: CertificateView;
  credential: CredentialView;
  sdJwt: string;
}

export const certificateTypes = (signal?: AbortSignal) => get<{ items: CatalogueEntry[] }>('/certificates/types', undefined, signal);
export const myCertificates = (signal?: AbortSignal) => get<{ items: CertificateView[] }>('/certificates', undefined, signal);
export const certificate = (id: string, signal?: AbortSignal) => get<CertificateView>(`/certificates/${encodeURIComponent(id)}`, undefined, signal);
export const requestCertificate = (body: { type: string; purpose?: string; holderJwk?: Jwk }) => post<IssuedCertificate>('/certificates', body);
