// The department's service desk (一网通办 办件): the queue, one application with what may be done
// to it now, the decisions, the bundles' redesign report and the service figures.
// The application types and reads are the portal client's (applications.ts): one definition for both.
import type { AppStage, ApplicationSummary, ApplicationView, BundleSummary } from './applications.ts';
import { get, post } from './client.ts';

export type { AppColour, AppStage, ApplicationSummary, ApplicationView, UploadedFile as FileRef, ItemFormReply as ItemForm } from './applications.ts';
export { getApplication, itemForm, attachedFileUrl as fileUrl } from './applications.ts';

export type DeskAction = 'accept' | 'correct' | 'reject' | 'pass' | 'approve' | 'deny';

export const OPEN_STAGES: readonly AppStage[] = ['submitted', 'correction', 'review'];
export const DESK_STAGES: readonly AppStage[] = ['submitted', 'correction', 'review', 'approved', 'denied', 'rejected', 'withdrawn'];
export const DESK_ACTIONS: readonly DeskAction[] = ['accept', 'correct', 'reject', 'pass', 'approve', 'deny'];

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

export function decide(id: string, body: ActionBody): Promise<ApplicationView> {
  const { action, ...rest } = body;
  return post<ApplicationView>(`/services/applications/${encodeURIComponent(id)}/${action}`, rest);
}

// ---- bundles: the redesign report ----

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
