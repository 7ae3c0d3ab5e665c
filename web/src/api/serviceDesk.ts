// The department's service desk (一网通办 办件): the queue, one application with what may be done
// to it now, the decisions, the bundles' redesign report and the service figures.
import { apiUrl, get, post } from './client.ts';

export type AppStage = 'draft' | 'submitted' | 'correction' | 'review' | 'approved' | 'denied' | 'rejected' | 'withdrawn';
/** The time-limit colour: paused while the applicant corrects, none once decided. */
export type AppColour = 'green' | 'yellow' | 'red' | 'paused' | 'none';
export type DeskAction = 'accept' | 'correct' | 'reject' | 'pass' | 'approve' | 'deny';

export const OPEN_STAGES: readonly AppStage[] = ['submitted', 'correction', 'review'];
export const DESK_STAGES: readonly AppStage[] = ['submitted', 'correction', 'review', 'approved', 'denied', 'rejected', 'withdrawn'];
export const DESK_ACTIONS: readonly DeskAction[] = ['accept', 'correct', 'reject', 'pass', 'approve', 'deny'];

export interface ApplicationSummary {
  id: string;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  bundleId: string | null;
  applicantName: string;
  departmentCode: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  jurisdictionCode: string | null;
  stage: AppStage;
  /** The review step reached (Chinese, and English), while in review. */
  stepName: string | null;
  stepNameEn: string | null;
  colour: AppColour;
  submittedAt: number | null;
  dueAt: number | null;
  /** 1 and up: escalated after running overdue. */
  level: number;
  updatedAt: number;
}

export interface FileRef {
  id: string;
  name: string;
  contentType: string;
  bytes: number;
}

export interface AppMaterial {
  key: string;
  nameZh: string;
  nameEn: string;
  form: string;
  required: boolean;
  /** `applicant`, or the department that already holds it (not submitted). */
  source: string;
  sourceName: string | null;
  sourceNameEn: string | null;
  files: FileRef[];
  toCorrect: boolean;
}

export interface AppEvent {
  at: number;
  action: string;
  actorName: string | null;
  fromStage: string | null;
  toStage: string;
  note: string | null;
  detail: unknown;
}

export interface AppResult {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  departmentCode: string;
  issuedAt: number;
  validUntil: number | null;
}

export interface ApplicationView extends ApplicationSummary {
  applicantId: string;
  form: Record<string, unknown>;
  materials: AppMaterial[];
  steps: Array<{ zh: string; en: string }>;
  step: number;
  acceptedAt: number | null;
  legalDueAt: number | null;
  pausedMs: number;
  promisedDays: number;
  legalDays: number;
  correction: { note: string; materials: string[]; fields: string[] } | null;
  outcome: string | null;
  reasons: string | null;
  result: AppResult | null;
  late: boolean;
  timeline: AppEvent[];
  /** What the asker may do now: show only these. */
  actions: string[];
  version: number;
}

export interface FieldOption {
  value: string;
  zh: string;
  en: string;
}

export interface FieldLayout {
  zh: string;
  en: string;
  widget: string;
  unit?: string;
  unitEn?: string;
  options?: FieldOption[];
}

export interface ItemForm {
  itemCode: string;
  layout: { groups: Array<{ zh: string; en: string; fields: string[] }>; fields: Record<string, FieldLayout> };
  steps: Array<{ zh: string; en: string }>;
  promisedDays: number;
  legalDays: number;
}

export interface ListQuery {
  open?: boolean;
  stage?: AppStage;
  itemCode?: string;
  limit?: number;
  cursor?: string;
}

/** The bodies of the decisions. */
export type ActionBody =
  | { action: 'accept' | 'pass'; note?: string }
  | { action: 'approve'; note?: string; validYears?: number }
  | { action: 'correct'; note: string; materials?: string[]; fields?: string[] }
  | { action: 'reject' | 'deny'; reasons: string };

export const listApplications = (q: ListQuery, signal?: AbortSignal) =>
  get<{ items: ApplicationSummary[]; nextCursor: string | null }>('/services/applications', { ...q }, signal);
export const getApplication = (id: string, signal?: AbortSignal) => get<ApplicationView>(`/services/applications/${encodeURIComponent(id)}`, undefined, signal);
export const itemForm = (itemCode: string, signal?: AbortSignal) => get<ItemForm>(`/services/items/${encodeURIComponent(itemCode)}/form`, undefined, signal);

export function decide(id: string, body: ActionBody): Promise<ApplicationView> {
  const { action, ...rest } = body;
  return post<ApplicationView>(`/services/applications/${encodeURIComponent(id)}/${action}`, rest);
}

/** Where a material's file is shown inline (the applicant and the handling department may read it). */
export const fileUrl = (id: string, fileId: string) => apiUrl(`/services/applications/${encodeURIComponent(id)}/files/${encodeURIComponent(fileId)}`);

// ---- bundles: the redesign report ----

export interface BundleSummary {
  code: string;
  nameZh: string;
  nameEn: string;
  summaryZh: string;
  summaryEn: string;
  items: number;
  departments: number;
}

export interface Measures {
  items: number;
  departments: number;
  forms: number;
  formFields: number;
  materials: number;
  trips: number;
  inspections: number;
  days: number;
  legalDays: number;
}

export interface PublishedFigures {
  trips: number;
  materials: number;
  inspections: number;
  days: number;
}

export interface RedesignItem {
  code: string;
  nameZh: string;
  nameEn: string;
  sector: string;
  departmentName: string;
  departmentNameEn?: string;
  materials: number;
  toSubmit: number;
  formFields: number;
  trips: number;
  inspections: number;
  promisedDays: number;
  legalDays: number;
  after: string[];
}

export interface Redesign {
  bundle: { code: string; nameZh: string; nameEn: string };
  items: RedesignItem[];
  before: Measures;
  after: Measures;
  published: { zh: string; en: string; before: PublishedFigures; after: PublishedFigures } | null;
  records: { submitted: number; concluded: number; avgDays: number | null; avgSequentialDays: number | null; perItem: Array<{ code: string; decided: number; avgDays: number | null }> };
}

export const listBundles = (signal?: AbortSignal) => get<{ items: BundleSummary[] }>('/services/bundles', { limit: 50 }, signal);
export const redesign = (code: string, signal?: AbortSignal) => get<Redesign>(`/services/bundles/${encodeURIComponent(code)}/redesign`, undefined, signal);

// ---- the service figures (双减半) ----

export interface FigureRow {
  code: string;
  nameZh: string;
  nameEn: string;
  submitted: number;
  decided: number;
  onTimeRate: number | null;
  avgDays: number | null;
  promisedDays: number | null;
  legalDays: number | null;
  ofLegal: number | null;
}

export interface ServiceFigures {
  from: number;
  to: number;
  scope: string | null;
  catalogue: { items: number; fullyOnline: number | null; atMostOneTrip: number | null; promisedDaysAvg: number; legalDaysAvg: number; materials: number; materialsToSubmit: number };
  applications: { submitted: number; perDay: number; decided: number; onTimeRate: number | null; inBundles: number };
  /** One entry per Shanghai day of the period: submitted that day, and decided that day. */
  daily: Array<{ date: string; submitted: number; decided: number }>;
  byItem: FigureRow[];
  byDepartment: FigureRow[];
}

export const serviceFigures = (q: { from?: number; to?: number }, signal?: AbortSignal) => get<ServiceFigures>('/services/figures', q, signal);
