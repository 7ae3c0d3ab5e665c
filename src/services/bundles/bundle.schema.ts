import { Type, type Static } from 'typebox';
import { ApplicationSummary, FormData, LockedFields, MaterialFiles, MaterialView, ResultView } from '../applications/application.schema.ts';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    services_bundle_application: BundleAppRow;
  }
}

export interface BundleAppRow {
  id: string;
  bundle_code: string;
  applicant_id: string;
  applicant_name: string;
  /** draft, submitted (fanned out: progress comes from its applications), withdrawn. */
  stage: string;
  answers: unknown;
  form: unknown;
  materials: unknown;
  /** The item codes that apply, fixed from the answers. */
  items: unknown;
  submitted_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

const Answers = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.Boolean(), Type.Number(), Type.String({ maxLength: 100 })]), { description: 'question id → answer' });

export const PlanBody = Type.Object({ answers: Answers }, { additionalProperties: false });
export const StartBody = Type.Object({ bundleCode: Type.String({ maxLength: 40 }), answers: Type.Optional(Answers) }, { additionalProperties: false });
export type StartBody = Static<typeof StartBody>;
export const SaveBundleBody = Type.Object({ answers: Type.Optional(Answers), form: Type.Optional(FormData), materials: Type.Optional(MaterialFiles), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
export type SaveBundleBody = Static<typeof SaveBundleBody>;
export const BundleResubmitBody = Type.Object({ form: Type.Optional(FormData), materials: Type.Optional(MaterialFiles), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type BundleResubmitBody = Static<typeof BundleResubmitBody>;

/** A material of the merged list: one document, needed by one or more items. */
export const MergedMaterial = Type.Object({
  ...MaterialView.properties,
  /** Held by a government department already, or the online form itself: not uploaded. */
  notToSubmit: Type.Boolean(),
  /** The items that need it. */
  items: Type.Array(Type.String()),
});
export type MergedMaterial = Static<typeof MergedMaterial>;

export const BundleAppView = Type.Object({
  id: Type.String(),
  bundleCode: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  stage: Type.String({ description: 'draft, processing, correction (an item asks for corrections), completed (all approved), concluded (all decided, not all approved), withdrawn' }),
  answers: Answers,
  items: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), departmentName: Type.String(), departmentNameEn: Type.String(), sector: Type.String() })),
  form: FormData,
  /** Drafts: the fields filled from the applicant's own registry record, not changed in the form. */
  locked: Type.Optional(LockedFields),
  formView: Type.Unknown(),
  materials: Type.Array(MergedMaterial),
  applications: Type.Array(ApplicationSummary),
  corrections: Type.Array(Type.Object({ applicationId: Type.String(), itemNameZh: Type.String(), itemNameEn: Type.String(), note: Type.String(), materials: Type.Array(Type.String()), fields: Type.Array(Type.String()) })),
  results: Type.Array(ResultView),
  submittedAt: Type.Union([Type.Number(), Type.Null()]),
  version: Type.Integer(),
});
export type BundleAppView = Static<typeof BundleAppView>;
