import { Type, type Static } from 'typebox';
import { ACTIONS, STAGES } from './workflow.ts';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    services_application: ApplicationRow;
    services_application_event: AppEventRow;
    services_file: FileRow;
    services_result: ResultRow;
    services_counter: { key: string; next: number };
  }
}

/** Which files are attached to which material of the item: material key → file ids. */
export type Attached = Record<string, string[]>;

export interface ApplicationRow {
  id: string;
  item_code: string;
  bundle_id: string | null;
  applicant_id: string;
  applicant_name: string;
  jurisdiction_code: string | null;
  department_code: string | null;
  stage: string;
  /** The review step reached (0-based) while in review. */
  step: number;
  /** The item's review steps, fixed at submission. */
  steps: unknown;
  form: unknown;
  materials: unknown;
  submitted_at: number | null;
  accepted_at: number | null;
  stage_started_at: number;
  yellow_at: number | null;
  due_at: number | null;
  legal_due_at: number | null;
  /** Office time left on the promised and the legal limit while the clock is paused for corrections. */
  remaining_ms: number | null;
  legal_remaining_ms: number | null;
  /** How long before the due time the clock turns yellow (office time), kept across a pause. */
  yellow_gap_ms: number | null;
  /** Office time the review clock stood still waiting for corrections (not counted against the limit). */
  paused_ms: number;
  correction_from: string | null;
  correction_note: string | null;
  correction_materials: unknown;
  /** Once-only: material key → what the exchange supplied at submission (HeldMaterial), or null. */
  exchanged?: unknown;
  outcome: string | null;
  reasons: string | null;
  result_id: string | null;
  level: number;
  late: boolean | number;
  decided_at: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface AppEventRow {
  n?: number;
  application_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_stage: string | null;
  to_stage: string;
  note: string | null;
  detail: unknown;
}

export interface FileRow {
  id: string;
  sha256: string;
  content_type: string;
  bytes: number;
  name: string;
  owner_id: string;
  created_at: number;
}

export interface ResultRow {
  id: string;
  application_id: string;
  holder_id: string;
  item_code: string;
  /** licence (证照), document (批文/证明), or denial (不予许可决定书). */
  kind: string;
  title_zh: string;
  title_en: string;
  department_code: string;
  issued_at: number;
  valid_until: number | null;
  detail: unknown;
}

// ---- API shapes ----

const Id = Type.String({ maxLength: 40 });
export const FormData = Type.Record(Type.String({ maxLength: 80 }), Type.Unknown(), { description: 'field id → value, as the item form (GET …/form) describes' });
export const MaterialFiles = Type.Record(Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }), { description: 'material key → uploaded file ids' });

export const CreateBody = Type.Object({ itemCode: Type.String({ maxLength: 40 }), form: Type.Optional(FormData), materials: Type.Optional(MaterialFiles) }, { additionalProperties: false });
export type CreateBody = Static<typeof CreateBody>;

export const SaveBody = Type.Object({ form: Type.Optional(FormData), materials: Type.Optional(MaterialFiles), version: Type.Optional(Type.Integer({ minimum: 1, description: 'the version read; a save over a newer one is refused' })) }, { additionalProperties: false });
export type SaveBody = Static<typeof SaveBody>;

const Note = Type.String({ minLength: 1, maxLength: 2000 });
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const SubmitBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  consent: Type.Optional(Type.Boolean({ description: 'I agree that the department fetches the documents other departments issued to me through data sharing (once-only), instead of my uploading them' })),
}, { additionalProperties: false });
export const ReasonBody = Type.Object({ reasons: Note }, { additionalProperties: false });
export const CorrectBody = Type.Object(
  {
    note: Note,
    materials: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50, description: 'keys of the materials to submit again' })),
    fields: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 50, description: 'form fields to correct' })),
  },
  { additionalProperties: false },
);
export type CorrectBody = Static<typeof CorrectBody>;
export const ResubmitBody = Type.Object({ form: Type.Optional(FormData), materials: Type.Optional(MaterialFiles), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type ResubmitBody = Static<typeof ResubmitBody>;
export const ApproveBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })), validYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: 'years the licence is valid, when it expires' })) }, { additionalProperties: false });

export const MaterialView = Type.Object({
  key: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  form: Type.String(),
  required: Type.Boolean(),
  /** `applicant`, or the department that already issued it (not to be submitted). */
  source: Type.String(),
  sourceName: Type.Union([Type.String(), Type.Null()]),
  sourceNameEn: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), contentType: Type.String(), bytes: Type.Integer() })),
  toCorrect: Type.Boolean(),
  /** A government-held material the exchange supplied (or tried to) at submission, with the applicant's consent. */
  exchanged: Type.Optional(Type.Union([Type.Null(), Type.Object({ resource: Type.String(), callId: Type.Union([Type.Integer(), Type.Null()]), outcome: Type.String(), number: Type.Union([Type.String(), Type.Null()]) })])),
});

export const EventView = Type.Object({ at: Type.Number(), action: Type.String(), actorName: Type.Union([Type.String(), Type.Null()]), fromStage: Type.Union([Type.String(), Type.Null()]), toStage: Type.String(), note: Type.Union([Type.String(), Type.Null()]), detail: Type.Unknown() });

export const ResultView = Type.Object({ id: Type.String(), kind: Type.String(), titleZh: Type.String(), titleEn: Type.String(), departmentCode: Type.String(), issuedAt: Type.Number(), validUntil: Type.Union([Type.Number(), Type.Null()]) });
export type ResultView = Static<typeof ResultView>;

export const ApplicationSummary = Type.Object({
  id: Id,
  itemCode: Type.String(),
  itemNameZh: Type.String(),
  itemNameEn: Type.String(),
  bundleId: Type.Union([Type.String(), Type.Null()]),
  applicantName: Type.String(),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  departmentNameEn: Type.Union([Type.String(), Type.Null()]),
  jurisdictionCode: Type.Union([Type.String(), Type.Null()]),
  stage: Type.String({ description: `one of ${STAGES.join(', ')}` }),
  stepName: Type.Union([Type.String(), Type.Null()]),
  stepNameEn: Type.Union([Type.String(), Type.Null()]),
  colour: Type.String({ description: 'green, yellow, red (past the promised limit), paused (waiting for corrections) or none' }),
  submittedAt: Type.Union([Type.Number(), Type.Null()]),
  dueAt: Type.Union([Type.Number(), Type.Null()]),
  level: Type.Integer(),
  updatedAt: Type.Number(),
});
export type ApplicationSummary = Static<typeof ApplicationSummary>;

/** A form field filled from the applicant's own registry record: read-only, wrong values reported to its department. */
export const LockedField = Type.Object({
  source: Type.String({ description: '`person.name`, `entity.uscc`, …: the record and its field' }),
  record: Type.Union([Type.Literal('person'), Type.Literal('entity')], { description: 'person: the population registry (人口库); entity: the legal-entity registry (法人库)' }),
  field: Type.String({ description: 'the field as POST /api/registries/me/reports names it' }),
  departmentCode: Type.String(),
  departmentName: Type.String(),
  departmentNameEn: Type.String(),
  reportable: Type.Boolean({ description: 'whether 数据纠错 takes a report on this field' }),
});
export const LockedFields = Type.Record(Type.String({ maxLength: 80 }), LockedField, { description: 'field id → where its value comes from: filled from the registries and not changed in the form' });

export const ApplicationView = Type.Object({
  ...ApplicationSummary.properties,
  applicantId: Type.String(),
  form: FormData,
  /** Drafts, to their applicant: the fields filled from the registries. */
  locked: Type.Optional(LockedFields),
  materials: Type.Array(MaterialView),
  steps: Type.Array(Type.Object({ zh: Type.String(), en: Type.String() })),
  step: Type.Integer(),
  acceptedAt: Type.Union([Type.Number(), Type.Null()]),
  legalDueAt: Type.Union([Type.Number(), Type.Null()]),
  pausedMs: Type.Number(),
  promisedDays: Type.Integer(),
  legalDays: Type.Integer(),
  correction: Type.Union([Type.Object({ note: Type.String(), materials: Type.Array(Type.String()), fields: Type.Array(Type.String()) }), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  reasons: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([ResultView, Type.Null()]),
  late: Type.Boolean(),
  timeline: Type.Array(EventView),
  actions: Type.Array(Type.String(), { description: `what the asker may do now: some of ${ACTIONS.join(', ')}` }),
  version: Type.Integer(),
});
export type ApplicationView = Static<typeof ApplicationView>;

export const ListQuery = Type.Object({
  mine: Type.Optional(Type.Boolean({ description: 'officials: their own applications as an applicant would see them' })),
  stage: Type.Optional(Type.Union(STAGES.map((s) => Type.Literal(s)))),
  open: Type.Optional(Type.Boolean({ description: 'only applications awaiting someone (submitted, correction, review)' })),
  itemCode: Type.Optional(Type.String({ maxLength: 40 })),
  bundleId: Type.Optional(Type.String({ maxLength: 20 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ListQuery = Static<typeof ListQuery>;
