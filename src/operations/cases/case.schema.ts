import type { Generated } from 'kysely';
import { Type, type Static } from 'typebox';
import type { CaseStage } from './workflow.ts';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    cases_case: CaseRow;
    cases_event: EventRow & { n: Generated<number> };
    cases_party: { case_id: string; department_code: string; role: 'lead' | 'support' };
    cases_reporter: { case_id: string; account_id: string; added_at: number };
    cases_dispatch_rule: DispatchRuleRow;
    cases_counter: { day: string; next: number };
    cases_photo: { id: string; content_type: string; bytes: number; uploaded_by: string; created_at: number };
  }
}

/** Where a case came from. Worker, staff, alert and inspection reports are trusted enough to skip intake. */
export type CaseSource = 'citizen' | 'open311' | 'hotline' | 'worker' | 'staff' | 'alert' | 'inspection';
export const TRUSTED_SOURCES: ReadonlySet<CaseSource> = new Set(['worker', 'staff', 'alert', 'inspection']);

export interface CaseRow {
  id: string;
  source: CaseSource;
  category_code: string;
  severity: 'normal' | 'urgent' | 'critical';
  stage: CaseStage;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  jurisdiction_code: string;
  reporter_id: string | null;
  /** Hotline caller (name, phone): private, shown whole only to the operations centre. */
  caller: unknown;
  photos: unknown;
  /** A photo elsewhere (Open311 media_url). */
  media_url: string | null;
  component_code: string | null;
  alert_id: string | null;
  department_code: string | null;
  team: string | null;
  assignee_id: string | null;
  handler_id: string | null;
  verifier_id: string | null;
  level: number;
  supervised: number | boolean;
  supervision_note: string | null;
  stage_started_at: number;
  yellow_at: number | null;
  due_at: number | null;
  escalate_at: number | null;
  late: number;
  reopen_count: number;
  return_count: number;
  rating: number | null;
  rating_comment: string | null;
  merged_into: string | null;
  public_note: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  version: number;
}

export interface EventRow {
  id: string;
  case_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_stage: string | null;
  to_stage: string;
  /** How long the case spent in the stage it left. */
  stage_ms: number | null;
  /** The stage it left had run past its limit. */
  late: number | boolean;
  note: string | null;
  photos: unknown;
  detail: unknown;
}

export interface DispatchRuleRow {
  category_code: string;
  jurisdiction_code: string;
  department_code: string;
  team: string | null;
  updated_by: string | null;
  updated_at: number;
}

// ——— HTTP shapes ———

const Point = Type.Tuple([Type.Number(), Type.Number()], { description: '[longitude, latitude], WGS84' });
const PhotoIds = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 9, description: 'ids from POST /api/cases/photos' });
const Note = Type.String({ maxLength: 2000 });

export const ReportBody = Type.Object({
  categoryCode: Type.String({ maxLength: 8 }),
  description: Type.String({ maxLength: 2000 }),
  point: Point,
  address: Type.Optional(Type.String({ maxLength: 300 })),
  photos: Type.Optional(PhotoIds),
  severity: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('urgent'), Type.Literal('critical')])),
  componentCode: Type.Optional(Type.String({ maxLength: 20 })),
  /** A hotline operator's intake: the caller, kept private. */
  caller: Type.Optional(Type.Object({ name: Type.String({ maxLength: 50 }), phone: Type.String({ maxLength: 20 }) }, { additionalProperties: false })),
}, { additionalProperties: false });
export type ReportBody = Static<typeof ReportBody>;

export const RejectBody = Type.Object({ reason: Type.Union([Type.Literal('invalid'), Type.Literal('duplicate'), Type.Literal('out_of_scope')]), note: Note }, { additionalProperties: false });
export const MergeBody = Type.Object({ into: Type.String({ maxLength: 20 }), note: Type.Optional(Note) }, { additionalProperties: false });
export const AcceptBody = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });
export const FileBody = Type.Object({
  categoryCode: Type.Optional(Type.String({ maxLength: 8 })),
  severity: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('urgent'), Type.Literal('critical')])),
  point: Type.Optional(Point),
  note: Type.Optional(Note),
}, { additionalProperties: false });
export const DispatchBody = Type.Object({
  departmentCode: Type.Optional(Type.String({ maxLength: 40, description: 'the lead department; the dispatch table\'s proposal when left out' })),
  team: Type.Optional(Type.String({ maxLength: 100 })),
  assigneeId: Type.Optional(Type.String({ maxLength: 64, description: 'a grid worker or staff member who handles it in person' })),
  supporting: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 8, description: '协调件: departments that support the lead' })),
  note: Type.Optional(Note),
}, { additionalProperties: false });
export const HandleBody = Type.Object({ note: Note, photos: Type.Optional(PhotoIds) }, { additionalProperties: false });
export const ReturnBody = Type.Object({ reason: Note }, { additionalProperties: false });
export const VerifyBody = Type.Object({ passed: Type.Boolean(), note: Type.Optional(Note), photos: PhotoIds }, { additionalProperties: false });
export const RateBody = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const SuperviseBody = Type.Object({ note: Type.String({ maxLength: 500 }) }, { additionalProperties: false });
export type DispatchBody = Static<typeof DispatchBody>;

export const TimelineEntry = Type.Object({
  at: Type.Number(),
  action: Type.String(),
  fromStage: Type.Union([Type.String(), Type.Null()]),
  toStage: Type.String(),
  actorName: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  photos: Type.Array(Type.String()),
  late: Type.Boolean(),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

/** What anyone may see of a case (nearby reports, Open311). */
export const PublicCase = Type.Object({
  id: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  categoryNameEn: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  stage: Type.String(),
  description: Type.String(),
  point: Point,
  address: Type.Union([Type.String(), Type.Null()]),
  agency: Type.Union([Type.String(), Type.Null()]),
  publicNote: Type.Union([Type.String(), Type.Null()]),
  photos: Type.Array(Type.String()),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  closedAt: Type.Union([Type.Number(), Type.Null()]),
});
export type PublicCase = Static<typeof PublicCase>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** A case as its reporter and the officials who may see it get it; `access` says which. */
export const CaseView = Type.Object({
    ...PublicCase.properties,
    access: Type.Union([Type.Literal('official'), Type.Literal('reporter'), Type.Literal('public')]),
    source: Type.String(),
    severity: Type.String(),
    jurisdictionCode: Type.String(),
    timeline: Type.Array(TimelineEntry),
    rating: Type.Union([Type.Integer(), Type.Null()]),
    ratingComment: Nullable(Type.String()),
    mergedInto: Nullable(Type.String()),
    /** Only for officials from here on (null for reporters). */
    departmentCode: Nullable(Type.String()),
    supporting: Type.Array(Type.String()),
    team: Nullable(Type.String()),
    assigneeId: Nullable(Type.String()),
    handlerId: Nullable(Type.String()),
    verifierId: Nullable(Type.String()),
    caller: Type.Union([Type.Object({ name: Type.String(), phone: Type.String() }), Type.Null()]),
    componentCode: Nullable(Type.String()),
    alertId: Nullable(Type.String()),
    stageStartedAt: Type.Number(),
    yellowAt: Type.Union([Type.Number(), Type.Null()]),
    dueAt: Type.Union([Type.Number(), Type.Null()]),
    colour: Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red'), Type.Null()]),
    level: Type.Integer(),
    levelName: Type.String(),
    supervised: Type.Boolean(),
    supervisionNote: Nullable(Type.String()),
    late: Type.Integer(),
    reopenCount: Type.Integer(),
    returnCount: Type.Integer(),
    reporters: Type.Integer(),
    duplicates: Type.Array(Type.Object({ id: Type.String(), distanceM: Type.Number(), createdAt: Type.Number(), stage: Type.String() })),
    proposal: Type.Union([Type.Object({ departmentCode: Type.String(), departmentName: Type.String(), team: Nullable(Type.String()), rule: Type.String() }), Type.Null()]),
    version: Type.Integer(),
});
export type CaseView = Static<typeof CaseView>;

export const CategorySchema = Type.Object({
  code: Type.String(),
  groupCode: Type.String(),
  groupZh: Type.String(),
  groupEn: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  urgent: Type.Boolean(),
  responsible: Type.String({ description: 'sector and level, e.g. cgzf/street' }),
  limits: Type.Record(Type.String(), Type.Object({ amount: Type.Number(), unit: Type.String() })),
});

export const ListQuery = Type.Object({
  stage: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('intake'), Type.Literal('filing'), Type.Literal('dispatch'), Type.Literal('disposal'), Type.Literal('verification'), Type.Literal('closed'), Type.Literal('rejected'), Type.Literal('merged')])),
  colour: Type.Optional(Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')])),
  category: Type.Optional(Type.String({ maxLength: 8 })),
  jurisdiction: Type.Optional(Type.String({ maxLength: 15 })),
  component: Type.Optional(Type.String({ pattern: '^\\d{16}$', description: 'cases about this component' })),
  mine: Type.Optional(Type.Boolean({ description: 'assigned to me (workers), or reported by me (the public)' })),
  escalated: Type.Optional(Type.Boolean()),
  supervised: Type.Optional(Type.Boolean()),
  near: Type.Optional(Type.String({ maxLength: 40, description: 'lon,lat: nearest first (a worker\'s tasks)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ListQuery = Static<typeof ListQuery>;

export const CaseSummary = Type.Object({
  id: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  categoryNameEn: Type.String(),
  stage: Type.String(),
  severity: Type.String(),
  source: Type.String(),
  description: Type.String(),
  point: Point,
  address: Type.Union([Type.String(), Type.Null()]),
  jurisdictionCode: Type.String(),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  assigneeId: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.Number(), Type.Null()]),
  colour: Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red'), Type.Null()]),
  level: Type.Integer(),
  supervised: Type.Boolean(),
  distanceM: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
export type CaseSummary = Static<typeof CaseSummary>;
