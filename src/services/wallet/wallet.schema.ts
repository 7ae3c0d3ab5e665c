import { Type, type Static } from 'typebox';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    wallet_key: KeyRow;
    wallet_status_list: { id: number; size: number; created_at: number };
    wallet_credential: CredentialRow;
    wallet_seen: { nonce: string; until: number };
    wallet_verification: VerificationRow;
    wallet_secret: { name: string; value: string };
  }
}

export interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
  withdrawn_at: number | null;
}

export type CredentialStatus = 'valid' | 'suspended' | 'revoked';

export interface CredentialRow {
  id: string;
  account_id: string;
  holder_kind: string;
  holder_id: string;
  type: string;
  source_kind: string;
  source_id: string;
  kid: string;
  list_id: number;
  idx: number;
  holder_jkt: string | null;
  issued_at: number;
  valid_until: number | null;
  status: string;
  status_reason: string | null;
  status_changed_at: number;
  sd_jwt: string;
  paper_sd_jwt: string | null;
}

export interface VerificationRow {
  id: string;
  at: number;
  valid: number;
  reason: string | null;
  type: string | null;
  credential_id: string | null;
  disclosed: string | null;
  verifier_account: string | null;
  verifier_ip: string | null;
}

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

/** A holder's public key (EC P-256). A private part (`d`) is refused: the key never leaves the phone. */
export const HolderJwk = Type.Object(
  { kty: Type.Literal('EC'), crv: Type.Literal('P-256'), x: Text(64), y: Text(64), kid: Type.Optional(Text(100)), alg: Type.Optional(Type.Literal('ES256')), use: Type.Optional(Text(10)), ext: Type.Optional(Type.Boolean()), key_ops: Type.Optional(Type.Array(Text(20), { maxItems: 8 })) },
  { additionalProperties: false },
);
export type HolderJwk = Static<typeof HolderJwk>;

export const CredentialView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  vct: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  holderKind: Type.String(),
  holderId: Type.String({ description: 'Masked identity number or credit code' }),
  source: Type.Object({ kind: Type.String(), id: Type.String() }),
  issuedAt: Type.String({ format: 'date-time' }),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Union([Type.Literal('valid'), Type.Literal('suspended'), Type.Literal('revoked'), Type.Literal('expired')]),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  bound: Type.Boolean({ description: 'Bound to a holder key: shown only with a proof from the holder\'s phone' }),
});
export type CredentialView = Static<typeof CredentialView>;

export const IssuedReply = Type.Object({ credential: CredentialView, sdJwt: Type.String(), paperSdJwt: Type.Optional(Type.String()) });

export const AddLicenceBody = Type.Object(
  { licenceId: Type.String({ minLength: 1, maxLength: 20, description: 'A licence of the e-licence library held by you' }), holderJwk: HolderJwk },
  { additionalProperties: false },
);

export const StatusBody = Type.Object(
  { status: Type.Union([Type.Literal('valid'), Type.Literal('suspended'), Type.Literal('revoked')]), reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);

export const VerifyBody = Type.Object(
  { presentation: Type.String({ minLength: 1, maxLength: 20000, description: 'The SD-JWT presentation a QR code carries (or the verify URL holding it after #vp=)' }), audience: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'The verifier the key-binding proof must name; default <issuer>/verify' })) },
  { additionalProperties: false },
);

export const VerifyReply = Type.Object({
  valid: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.Object({ zh: Type.String(), en: Type.String() })),
  detail: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  nameZh: Type.Optional(Type.String()),
  nameEn: Type.Optional(Type.String()),
  claims: Type.Record(Type.String(), Type.Unknown()),
  holderBound: Type.Boolean(),
  issuedAt: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Type.String()),
  checkedAt: Type.String(),
});
export type VerifyReply = Static<typeof VerifyReply>;

export const VerificationView = Type.Object({
  at: Type.String({ format: 'date-time' }),
  valid: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()]),
  credentialId: Type.Union([Type.String(), Type.Null()]),
  type: Type.Union([Type.String(), Type.Null()]),
  disclosed: Type.Array(Type.String()),
});
