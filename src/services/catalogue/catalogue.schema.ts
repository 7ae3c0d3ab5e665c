import { Type, type Static } from 'typebox';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    services_item: ItemRow;
  }
}

/** 行政许可 licensing, 行政给付 benefits, 行政确认 confirmation, 公共服务 public service, 备案 filing, 其他. */
export const KINDS = ['licensing', 'benefit', 'confirmation', 'public_service', 'filing', 'other'] as const;
/** 全程网办 fully online, 最多跑一次 at most one trip, 现场办理 on site. */
export const ONLINE = ['full', 'one_trip', 'on_site'] as const;

export interface Material {
  /** The same document has the same id in every item that asks for it (how a bundle asks for it once). */
  id?: string;
  nameZh: string;
  nameEn: string;
  /** original, copy, or an e-licence (电子证照). */
  form: 'original' | 'copy' | 'e-licence';
  /** `applicant`, or the sector code of the department that already issued it (once-only: not to be submitted). */
  source: string;
  required: boolean;
}

export interface ItemRow {
  code: string;
  name_zh: string;
  name_en: string;
  sector: string;
  kind: string;
  applicants: unknown;
  legal_basis: unknown;
  conditions_zh: string;
  conditions_en: string;
  materials: unknown;
  legal_days: number;
  promised_days: number;
  fee_zh: string;
  fee_en: string;
  online: string;
  trips: number;
  inspections: number;
  life_events: unknown;
  enterprise_events: unknown;
  keywords: unknown;
  updated_at: number;
}

/** An item as the seed file holds it. */
export interface SeedItem {
  code: string;
  nameZh: string;
  nameEn: string;
  sector: string;
  kind: string;
  legalBasis: string[];
  applicants: string[];
  conditionsZh: string;
  conditionsEn: string;
  materials: Material[];
  legalDays: number;
  promisedDays: number;
  fee: string;
  feeEn: string;
  online: string;
  trips: number;
  inspections: number;
  lifeEvents: string[];
  enterpriseEvents: string[];
  keywords: string[];
}

const MaterialSchema = Type.Object({ id: Type.Optional(Type.String({ description: 'the same document has the same id in every item' })), nameZh: Type.String(), nameEn: Type.String(), form: Type.String(), source: Type.String(), required: Type.Boolean(), sourceName: Type.Union([Type.String(), Type.Null()]), sourceNameEn: Type.Union([Type.String(), Type.Null()]) });

export const ItemSummary = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  sector: Type.String(),
  departmentName: Type.String(),
  departmentNameEn: Type.String(),
  kind: Type.String(),
  online: Type.String(),
  promisedDays: Type.Integer(),
  legalDays: Type.Integer(),
  trips: Type.Integer(),
  score: Type.Optional(Type.Number()),
});
export type ItemSummary = Static<typeof ItemSummary>;

export const ItemDetail = Type.Object({
  ...ItemSummary.properties,
  applicants: Type.Array(Type.String()),
  legalBasis: Type.Array(Type.String()),
  conditionsZh: Type.String(),
  conditionsEn: Type.String(),
  materials: Type.Array(MaterialSchema),
  feeZh: Type.String(),
  feeEn: Type.String(),
  inspections: Type.Integer(),
  lifeEvents: Type.Array(Type.String()),
  enterpriseEvents: Type.Array(Type.String()),
  keywords: Type.Array(Type.String()),
});
export type ItemDetail = Static<typeof ItemDetail>;

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  sector: Type.Optional(Type.String({ maxLength: 20 })),
  kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k)))),
  event: Type.Optional(Type.String({ maxLength: 30, description: 'a life or enterprise event code' })),
  online: Type.Optional(Type.Union(ONLINE.map((k) => Type.Literal(k)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

const Counts = Type.Record(Type.String(), Type.Integer());
export const SearchReply = Type.Object({
  total: Type.Integer(),
  items: Type.Array(ItemSummary),
  facets: Type.Object({ sector: Counts, kind: Counts, event: Counts, online: Counts }),
  tookMs: Type.Number(),
});
