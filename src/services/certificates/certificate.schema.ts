import { Type, type Static } from 'typebox';
import { CredentialView, HolderJwk } from '../wallet/wallet.schema.ts';

const Reason = Type.Union([Type.String(), Type.Null()]);

/** One certificate of the catalogue, with whether the signed-in holder can have it now and why not. */
export const CatalogueEntry = Type.Object({
  code: Type.String({ description: 'The certificate type, e.g. cert_household' }),
  vct: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  holderKind: Type.Union([Type.Literal('person'), Type.Literal('entity')]),
  issuerCode: Type.String(),
  issuerName: Type.String(),
  validDays: Type.Integer(),
  purposeRequired: Type.Boolean({ description: 'The request must say what the certificate is for' }),
  eligible: Type.Boolean(),
  reasonZh: Reason,
  reasonEn: Reason,
});
export type CatalogueEntry = Static<typeof CatalogueEntry>;

/** A claim as a screen shows it: label, kind and value, in the type's order. */
export const ClaimLine = Type.Object({
  key: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  kind: Type.String(),
  value: Type.Unknown(),
});

export const CertificateView = Type.Object({
  id: Type.String(),
  number: Type.String({ description: 'e.g. 沪公(户)证字〔2026〕第000123号' }),
  type: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  holderKind: Type.String(),
  holderName: Type.String(),
  purpose: Type.Union([Type.String(), Type.Null()]),
  issuerCode: Type.String(),
  issuingAuthority: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  issuedOn: Type.String({ format: 'date' }),
  validUntil: Type.String({ format: 'date' }),
  status: Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('withdrawn')]),
  credentialId: Type.Union([Type.String(), Type.Null()]),
  claims: Type.Array(ClaimLine),
  pdfUrl: Type.String({ description: 'The printable A4 copy with its verification QR' }),
});
export type CertificateView = Static<typeof CertificateView>;

export const IssueBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 40, description: 'A certificate type from GET /api/certificates/types' }),
    purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'What it is for (用途); required where the type says so' })),
    holderJwk: Type.Optional(HolderJwk),
  },
  { additionalProperties: false },
);
export type IssueBody = Static<typeof IssueBody>;

export const IssuedCertificate = Type.Object({
  certificate: CertificateView,
  credential: CredentialView,
  sdJwt: Type.String({ description: 'The credential for the wallet (bound to holderJwk when given)' }),
});
export type IssuedCertificate = Static<typeof IssuedCertificate>;
