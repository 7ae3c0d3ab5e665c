// Online applications (在线办理) and bundles (一件事一次办): item forms, material uploads, the
// applicant's applications and bundle applications. The application types here are also the
// service desk's (serviceDesk.ts re-exports them). Writes keep every field problem the server
// reports (`errors`), so a form can show each one under its field.
import { ApiError, apiUrl, call, get } from './client.ts';

export type AppStage = 'draft' | 'submitted' | 'correction' | 'review' | 'approved' | 'denied' | 'rejected' | 'withdrawn';
export type BundleStage = 'draft' | 'processing' | 'correction' | 'completed' | 'concluded' | 'withdrawn';
/** The time-limit colour: paused while the applicant corrects, none once decided or not clocked. */
export type AppColour = 'green' | 'yellow' | 'red' | 'paused' | 'none';

export interface Option {
  value: string;
  zh: string;
  en: string;
}

/** One field's JSON Schema, as the server builds it from the field dictionary. */
export interface FieldSchema {
  type: 'string' | 'number' | 'integer' | 'boolean';
  format?: string;
  title?: string;
  description?: string;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: string[];
}

export interface FieldLayout {
  zh: string;
  en: string;
  widget: string;
  unit?: string;
  unitEn?: string;
  helpZh?: string;
  helpEn?: string;
  options?: Option[];
}

export interface FormGroup {
  zh: string;
  en: string;
  fields: string[];
}

/** A form as JSON Schema with layout hints: what FormRenderer draws. */
export interface FormView {
  schema: { type: 'object'; required: string[]; properties: Record<string, FieldSchema> };
  layout: { groups: FormGroup[]; fields: Record<string, FieldLayout> };
}

export interface Step {
  zh: string;
  en: string;
}

export interface ItemMaterial {
  key: string;
  nameZh: string;
  nameEn: string;
  form: string;
  required: boolean;
  /** `applicant`, or the department that already holds it (not to be submitted). */
  source: string;
  sourceName: string | null;
  sourceNameEn: string | null;
}

export interface ItemFormReply extends FormView {
  itemCode: string;
  materials: ItemMaterial[];
  steps: Step[];
  promisedDays: number;
  legalDays: number;
}

export interface UploadedFile {
  id: string;
  name: string;
  contentType: string;
  bytes: number;
}

/** What the data exchange supplied for a government-held material at submission (once-only). */
export interface Exchanged {
  resource: string;
  /** The exchange log entry of the call; null when it was refused. */
  callId: number | null;
  /** ok, or the refusal's code. */
  outcome: string;
  number: string | null;
}

export interface MaterialView extends ItemMaterial {
  files: UploadedFile[];
  toCorrect: boolean;
  exchanged?: Exchanged | null;
}

export interface TimelineEvent {
  at: number;
  action: string;
  actorName: string | null;
  fromStage: string | null;
  toStage: string;
  note: string | null;
  detail: unknown;
}

export interface ResultView {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  departmentCode: string;
  issuedAt: number;
  validUntil: number | null;
}

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

/** A form field filled from the applicant's own registry record: shown read-only, a wrong value reported to its department. */
export interface LockedField {
  /** `person.name`, `entity.uscc`, … */
  source: string;
  /** person: the population registry (人口库); entity: the legal-entity registry (法人库). */
  record: 'person' | 'entity';
  /** The field as 数据纠错 names it. */
  field: string;
  departmentCode: string;
  departmentName: string;
  departmentNameEn: string;
  /** Whether 数据纠错 takes a report on this field. */
  reportable: boolean;
}

/** Field id → where its value comes from. */
export type LockedFields = Record<string, LockedField>;

export interface Correction {
  note: string;
  materials: string[];
  fields: string[];
}

export interface ApplicationView extends ApplicationSummary {
  applicantId: string;
  form: FormValues;
  /** A draft's fields filled from the registries (its applicant only). */
  locked?: LockedFields;
  materials: MaterialView[];
  steps: Step[];
  step: number;
  acceptedAt: number | null;
  legalDueAt: number | null;
  pausedMs: number;
  promisedDays: number;
  legalDays: number;
  correction: Correction | null;
  outcome: string | null;
  reasons: string | null;
  result: ResultView | null;
  late: boolean;
  timeline: TimelineEvent[];
  /** What the asker may do now: show only these. */
  actions: string[];
  version: number;
}

export type FormValues = Record<string, unknown>;
/** Material key → uploaded file ids. */
export type Attached = Record<string, string[]>;

// ---- bundles ----

export interface BundleSummary {
  code: string;
  nameZh: string;
  nameEn: string;
  summaryZh: string;
  summaryEn: string;
  items: number;
  departments: number;
  score?: number;
}

export interface Question {
  id: string;
  zh: string;
  en: string;
  type: 'boolean' | 'number' | 'choice';
  options?: Option[];
  unit?: string;
  unitEn?: string;
  min?: number;
  max?: number;
  field?: string;
  helpZh?: string;
  helpEn?: string;
}

export interface BundleDetail extends Omit<BundleSummary, 'items'> {
  applicants: string[];
  questions: Question[];
  jointInspection: boolean;
  items: Array<{ code: string; nameZh: string; nameEn: string; sector: string; departmentName: string; departmentNameEn: string; promisedDays: number; when: unknown; after: string[] }>;
}

export type Answers = Record<string, boolean | number | string>;

export interface PlanItem {
  code: string;
  nameZh: string;
  nameEn: string;
  sector: string;
  departmentName: string;
}

export interface MergedMaterial extends ItemMaterial {
  notToSubmit: boolean;
  items: string[];
  files?: UploadedFile[];
  toCorrect?: boolean;
}

export interface Plan {
  items: PlanItem[];
  form: FormView;
  prefill: FormValues;
  materials: MergedMaterial[];
}

export interface BundleCorrection extends Correction {
  applicationId: string;
  itemNameZh: string;
  itemNameEn: string;
}

export interface BundleAppView {
  id: string;
  bundleCode: string;
  nameZh: string;
  nameEn: string;
  stage: BundleStage;
  answers: Answers;
  items: PlanItem[];
  form: FormValues;
  /** A draft's fields filled from the registries. */
  locked?: LockedFields;
  formView: FormView;
  materials: Array<MergedMaterial & { files: UploadedFile[]; toCorrect: boolean }>;
  applications: ApplicationSummary[];
  corrections: BundleCorrection[];
  results: ResultView[];
  submittedAt: number | null;
  version: number;
}

export interface BundleAppSummary {
  id: string;
  bundleCode: string;
  nameZh: string;
  nameEn: string;
  stage: BundleStage;
  submittedAt: number | null;
  updatedAt: number;
}

/** A field problem as the server lists it: `form.<field id>` or `materials.<key>`, and why. */
export interface FieldProblem {
  field: string;
  reason: string;
  missing?: boolean;
}

/** A refused write with every field problem the server named (and the missing material keys). */
export class FormError extends ApiError {
  constructor(
    base: ApiError,
    readonly errors: FieldProblem[],
    readonly missing: string[],
  ) {
    super(base.status, base.code, base.title, base.detail, base.field);
    this.name = 'FormError';
  }
}

async function problemOf(res: Response): Promise<FormError> {
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const base = new ApiError(typeof body.status === 'number' ? body.status : res.status, str(body.code) || `HTTP_${res.status}`, str(body.title) || res.statusText, str(body.detail) || str(body.title) || res.statusText, str(body.field) || undefined);
  const errors = Array.isArray(body.errors) ? (body.errors as FieldProblem[]).filter((e) => typeof e?.field === 'string') : base.field ? [{ field: base.field, reason: base.detail }] : [];
  const missing = Array.isArray(body.missing) ? (body.missing as unknown[]).filter((k): k is string => typeof k === 'string') : [];
  return new FormError(base, errors, missing);
}

/** A JSON write that rejects with a FormError; a 401 goes through the shared client so the shell hears of it. */
async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method,
      headers: { accept: 'application/json, application/problem+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', 'Network error', (err as Error).message);
  }
  if (res.status === 401) return call<T>(method, path, { body });
  if (!res.ok) throw await problemOf(res);
  const text = res.status === 204 ? '' : await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

// ---- single applications ----

export const itemForm = (code: string, signal?: AbortSignal) => get<ItemFormReply>(`/services/items/${enc(code)}/form`, undefined, signal);
export const createApplication = (itemCode: string) => send<ApplicationView>('POST', '/services/applications', { itemCode });
export const getApplication = (id: string, signal?: AbortSignal) => get<ApplicationView>(`/services/applications/${enc(id)}`, undefined, signal);
export const listApplications = (signal?: AbortSignal) => get<{ items: ApplicationSummary[]; nextCursor: string | null }>('/services/applications', { mine: true, limit: 200 }, signal);
export const saveApplication = (id: string, body: { form?: FormValues; materials?: Attached; version?: number }) => send<ApplicationView>('PUT', `/services/applications/${enc(id)}`, body);
export const discardApplication = (id: string) => send<void>('DELETE', `/services/applications/${enc(id)}`);
export const submitApplication = (id: string, consent = false) => send<ApplicationView>('POST', `/services/applications/${enc(id)}/submit`, consent ? { consent } : {});
export const resubmitApplication = (id: string, body: { form?: FormValues; materials?: Attached; note?: string }) => send<ApplicationView>('POST', `/services/applications/${enc(id)}/resubmit`, body);
export const withdrawApplication = (id: string, note?: string) => send<ApplicationView>('POST', `/services/applications/${enc(id)}/withdraw`, note ? { note } : {});
export const myResults = (signal?: AbortSignal) => get<{ items: ResultView[] }>('/services/results', undefined, signal);

/** Where the applicant (or the handling department) opens a file attached to an application. */
export const attachedFileUrl = (appId: string, fileId: string) => apiUrl(`/services/applications/${enc(appId)}/files/${enc(fileId)}`);
/** Where the uploader opens a file of their own (attached or not yet). */
export const ownFileUrl = (fileId: string) => apiUrl(`/services/files/${enc(fileId)}`);

const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/**
 * Uploads one material file as the raw body (PDF, JPEG or PNG, at most 10 MiB). Any other type goes
 * as octet-stream, so the server looks at the bytes and says what it accepts (a type it does not
 * parse would only get a bare 415).
 */
export async function uploadFile(file: File): Promise<UploadedFile> {
  let res: Response;
  try {
    const type = FILE_TYPES.includes(file.type) ? file.type : 'application/octet-stream';
    res = await fetch(apiUrl('/services/files', { name: file.name }), { method: 'POST', headers: { 'content-type': type }, body: file, credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', 'Network error', (err as Error).message);
  }
  if (!res.ok) throw await problemOf(res);
  return res.json();
}

// ---- bundles ----

export const searchBundles = (q: string, signal?: AbortSignal) => get<{ items: BundleSummary[] }>('/services/bundles', { q, limit: 20 }, signal);
export const getBundle = (code: string, signal?: AbortSignal) => get<BundleDetail>(`/services/bundles/${enc(code)}`, undefined, signal);
export const planBundle = (code: string, answers: Answers) => send<Plan>('POST', `/services/bundles/${enc(code)}/plan`, { answers });
export const startBundle = (bundleCode: string, answers: Answers) => send<BundleAppView>('POST', '/services/bundle-applications', { bundleCode, answers });
export const getBundleApp = (id: string, signal?: AbortSignal) => get<BundleAppView>(`/services/bundle-applications/${enc(id)}`, undefined, signal);
export const listBundleApps = (signal?: AbortSignal) => get<{ items: BundleAppSummary[] }>('/services/bundle-applications', undefined, signal);
export const saveBundleApp = (id: string, body: { answers?: Answers; form?: FormValues; materials?: Attached; version?: number }) => send<BundleAppView>('PUT', `/services/bundle-applications/${enc(id)}`, body);
export const submitBundleApp = (id: string, consent = false) => send<BundleAppView>('POST', `/services/bundle-applications/${enc(id)}/submit`, consent ? { consent } : {});
export const resubmitBundleApp = (id: string, body: { form?: FormValues; materials?: Attached; note?: string }) => send<BundleAppView>('POST', `/services/bundle-applications/${enc(id)}/resubmit`, body);
export const withdrawBundleApp = (id: string) => send<BundleAppView>('POST', `/services/bundle-applications/${enc(id)}/withdraw`, {});
