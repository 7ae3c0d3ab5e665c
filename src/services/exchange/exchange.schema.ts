import { Type, type Static } from 'typebox';
import { MASK_KINDS } from './masking.ts';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    exchange_resource: ResourceRow;
    exchange_request: RequestRow;
    exchange_log: LogRow;
    exchange_log_head: { id: number; seq: number; hash: string };
  }
}

/** A data resource (数据资源) a department publishes in the catalogue. */
export interface ResourceRow {
  code: string;
  owner_code: string;
  name_zh: string;
  name_en: string;
  description_zh: string;
  description_en: string;
  /** Where the values come from in the base registries (person, entity, address, marriage, licence:<type>). */
  source: string;
  subject_kind: string;
  frequency: string;
  fields: unknown;
  created_at: number;
  updated_at: number;
  version: number;
}

/** An access request (共享申请) and, once decided, the grant it became. */
export interface RequestRow {
  id: string;
  resource_code: string;
  requester_code: string;
  requested_by: string;
  purpose: string;
  legal_basis: string;
  fields: unknown;
  clear_fields: unknown;
  subject_scope: unknown;
  days: number;
  /** pending, granted, refused, revoked, withdrawn (expiry is read from expires_at). */
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
  granted_fields: unknown;
  granted_clear: unknown;
  granted_scope: unknown;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

/** One exchange call, allowed or refused, in the hash chain. */
export interface LogRow {
  seq: number;
  at: number;
  department_code: string | null;
  account_id: string;
  /** The API token's name when a system called, else null (a person at a screen). */
  system: string | null;
  purpose: string;
  reference: string | null;
  resource_code: string;
  grant_id: string | null;
  subject_kind: string;
  subject_id: string;
  /** The fields handed out (or asked for, when refused). */
  fields: unknown;
  /** The fields handed out masked. */
  masked: unknown;
  /** ok, or the error code the call was refused with. */
  outcome: string;
  prev_hash: string;
  hash: string;
}

const Text = (min: number, max: number, description?: string) => Type.String({ minLength: min, maxLength: max, ...(description ? { description } : {}) });
const FieldName = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$' });

export const FieldDef = Type.Object({
  name: FieldName,
  zh: Text(1, 40),
  en: Text(1, 80),
  type: Type.Union([Type.Literal('string'), Type.Literal('number'), Type.Literal('date')]),
  sensitivity: Type.Integer({ minimum: 1, maximum: 4, description: '1 公开 public, 2 内部 internal, 3 敏感 sensitive, 4 高度敏感 highly sensitive; 3 and 4 go out masked unless granted in clear' }),
  mask: Type.Optional(Type.Union(MASK_KINDS.map((k) => Type.Literal(k)), { description: 'how the field is masked: id, phone, name, address, date, text, hide' })),
}, { additionalProperties: false });
export type FieldDef = Static<typeof FieldDef>;

export const SubjectKind = Type.Union([Type.Literal('person'), Type.Literal('entity'), Type.Literal('address')]);
export const Frequency = Type.Union([Type.Literal('realtime'), Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]);

export const ResourceBody = Type.Object({
  code: Type.String({ pattern: '^[A-Z]{2}-[0-9]{4}$', description: 'catalogue code, e.g. RK-0001' }),
  nameZh: Text(2, 60),
  nameEn: Text(2, 120),
  descriptionZh: Text(0, 500),
  descriptionEn: Text(0, 1000),
  source: Type.String({ maxLength: 60, description: 'registry source: person, entity, address, marriage, licence:<type>' }),
  subjectKind: SubjectKind,
  frequency: Frequency,
  fields: Type.Array(FieldDef, { minItems: 1, maxItems: 60 }),
}, { additionalProperties: false });
export type ResourceBody = Static<typeof ResourceBody>;

export const ResourceView = Type.Object({
  code: Type.String(),
  ownerCode: Type.String(),
  ownerName: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  source: Type.String(),
  subjectKind: Type.String(),
  frequency: Type.String(),
  fields: Type.Array(FieldDef),
  updatedAt: Type.Number(),
  version: Type.Integer(),
});
export type ResourceView = Static<typeof ResourceView>;

/** Which subjects a grant covers: everyone, those of some jurisdictions, or named ones. */
export const SubjectScope = Type.Union([
  Type.Object({ kind: Type.Literal('all') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('jurisdiction'), codes: Type.Array(Type.String({ pattern: '^[0-9]{6,15}$' }), { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('subjects'), ids: Type.Array(Type.String({ minLength: 1, maxLength: 18 }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
]);
export type SubjectScope = Static<typeof SubjectScope>;

export const RequestBody = Type.Object({
  resourceCode: Type.String({ maxLength: 20 }),
  purpose: Text(4, 500, 'what the data is for, e.g. 办理食品经营许可时核验申请人身份'),
  legalBasis: Text(2, 500, 'the law or regulation that allows it'),
  fields: Type.Array(FieldName, { minItems: 1, maxItems: 60, uniqueItems: true }),
  clearFields: Type.Optional(Type.Array(FieldName, { maxItems: 60, uniqueItems: true, description: 'sensitive fields needed unmasked (each must be among fields)' })),
  subjectScope: SubjectScope,
  days: Type.Integer({ minimum: 1, maximum: 1095, description: 'how long access is needed' }),
}, { additionalProperties: false });
export type RequestBody = Static<typeof RequestBody>;

/** One object for both decisions, so a missing reason is named as such rather than as a wrong `decision`. */
export const DecideBody = Type.Object({
  decision: Type.Union([Type.Literal('grant'), Type.Literal('refuse')]),
  fields: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 60, uniqueItems: true, description: 'grant: defaults to the fields requested; never more' })),
  clearFields: Type.Optional(Type.Array(FieldName, { maxItems: 60, uniqueItems: true, description: 'grant: defaults to none; only fields asked for in clear' })),
  subjectScope: Type.Optional(SubjectScope),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 1095, description: 'grant: defaults to the days requested; never more' })),
  note: Type.Optional(Text(0, 500)),
  reason: Type.Optional(Text(2, 500, 'refuse: required')),
}, { additionalProperties: false });
export type DecideBody = Static<typeof DecideBody>;

export const RevokeBody = Type.Object({ reason: Text(2, 500) }, { additionalProperties: false });

export const RequestView = Type.Object({
  id: Type.String(),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  resourceNameEn: Type.String(),
  ownerCode: Type.String(),
  ownerName: Type.String(),
  requesterCode: Type.String(),
  requesterName: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  fields: Type.Array(Type.String()),
  clearFields: Type.Array(Type.String()),
  subjectScope: SubjectScope,
  days: Type.Integer(),
  /** pending, granted, refused, revoked, withdrawn, expired. */
  status: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  grantedFields: Type.Union([Type.Array(Type.String()), Type.Null()]),
  grantedClear: Type.Union([Type.Array(Type.String()), Type.Null()]),
  grantedScope: Type.Union([SubjectScope, Type.Null()]),
  expiresAt: Type.Union([Type.Number(), Type.Null()]),
  decidedAt: Type.Union([Type.Number(), Type.Null()]),
  revokedAt: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.Number(),
  version: Type.Integer(),
});
export type RequestView = Static<typeof RequestView>;

export const CallBody = Type.Object({
  resource: Type.String({ maxLength: 20 }),
  subject: Type.String({ minLength: 1, maxLength: 18, description: 'identity number, unified social credit code or address id' }),
  fields: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 60, uniqueItems: true, description: 'defaults to every granted field' })),
  purpose: Text(2, 200, 'why this call, e.g. 办理食品经营许可'),
  reference: Type.Optional(Type.String({ maxLength: 40, description: 'the case or application the call serves' })),
}, { additionalProperties: false });
export type CallBody = Static<typeof CallBody>;

export const CallReply = Type.Object({
  callId: Type.Integer({ description: 'the exchange log entry of this call' }),
  resource: Type.String(),
  grantId: Type.String(),
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
  masked: Type.Array(Type.String()),
});
export type CallReply = Static<typeof CallReply>;

export const LogView = Type.Object({
  seq: Type.Integer(),
  at: Type.Number(),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  system: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  resourceNameEn: Type.String(),
  subjectKind: Type.String(),
  subjectId: Type.String({ description: 'masked except in the subject\'s own view' }),
  fields: Type.Array(Type.String()),
  masked: Type.Array(Type.String()),
  outcome: Type.String(),
});
export type LogView = Static<typeof LogView>;

export const LogQuery = Type.Object({
  resource: Type.Optional(Type.String({ maxLength: 20 })),
  department: Type.Optional(Type.String({ maxLength: 40 })),
  subject: Type.Optional(Type.String({ maxLength: 18 })),
  outcome: Type.Optional(Type.String({ maxLength: 40, description: 'ok, refused, or one error code' })),
  from: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'epoch ms' })),
  to: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'epoch ms' })),
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'cursor: entries before this seq' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false });
export type LogQuery = Static<typeof LogQuery>;
