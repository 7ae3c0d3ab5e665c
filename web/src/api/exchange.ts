// The data exchange (数据共享交换): the resource catalogue, access requests and grants, and the
// exchange log (for departments), and "who looked at my data" (for residents and companies).
// Shapes follow the server's exchange.schema.ts.
import { call, get, post } from './client.ts';

/** 1 公开 public, 2 内部 internal, 3 敏感 sensitive, 4 高度敏感 highly sensitive. */
export type Sensitivity = 1 | 2 | 3 | 4;
/** Levels from which a field goes out masked unless granted in clear. */
export const MASKED_FROM_LEVEL = 3;

export interface FieldDef {
  name: string;
  zh: string;
  en: string;
  type: 'string' | 'number' | 'date';
  sensitivity: Sensitivity;
  /** How the field is masked: id, phone, name, address, date, text, hide. */
  mask?: string;
}

export interface ResourceView {
  code: string;
  ownerCode: string;
  ownerName: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  source: string;
  subjectKind: string;
  frequency: string;
  fields: FieldDef[];
  updatedAt: number;
  version: number;
}

/** Which subjects a grant covers: everyone, those of some jurisdictions, or named ones. */
export type SubjectScope = { kind: 'all' } | { kind: 'jurisdiction'; codes: string[] } | { kind: 'subjects'; ids: string[] };

export interface RequestBody {
  resourceCode: string;
  purpose: string;
  legalBasis: string;
  fields: string[];
  clearFields?: string[];
  subjectScope: SubjectScope;
  days: number;
}

/** pending, granted, refused, revoked, withdrawn, expired. */
export type RequestStatus = 'pending' | 'granted' | 'refused' | 'revoked' | 'withdrawn' | 'expired';
export const REQUEST_STATUSES: readonly RequestStatus[] = ['pending', 'granted', 'refused', 'revoked', 'expired'];

export interface RequestView {
  id: string;
  resourceCode: string;
  resourceName: string;
  resourceNameEn: string;
  ownerCode: string;
  ownerName: string;
  requesterCode: string;
  requesterName: string;
  purpose: string;
  legalBasis: string;
  fields: string[];
  clearFields: string[];
  subjectScope: SubjectScope;
  days: number;
  status: RequestStatus | string;
  reason: string | null;
  grantedFields: string[] | null;
  grantedClear: string[] | null;
  grantedScope: SubjectScope | null;
  expiresAt: number | null;
  decidedAt: number | null;
  revokedAt: number | null;
  createdAt: number;
  version: number;
}

export type DecideBody =
  | { decision: 'grant'; fields?: string[]; clearFields?: string[]; subjectScope?: SubjectScope; days?: number; note?: string }
  | { decision: 'refuse'; reason: string };

export interface LogView {
  seq: number;
  at: number;
  departmentCode: string | null;
  departmentName: string | null;
  /** The API token's name when a system called, else null (a person at a screen). */
  system: string | null;
  purpose: string;
  reference: string | null;
  resourceCode: string;
  resourceName: string;
  resourceNameEn: string;
  subjectKind: string;
  /** Masked except in the subject's own view. */
  subjectId: string;
  fields: string[];
  masked: string[];
  /** ok, or the error code the call was refused with. */
  outcome: string;
}

export interface LogPage {
  items: LogView[];
  nextBefore: number | null;
}

export interface LogQuery {
  resource?: string;
  department?: string;
  subject?: string;
  /** ok, refused, or one error code. */
  outcome?: string;
  from?: number;
  to?: number;
  before?: number | null;
  limit?: number;
}

export interface LogVerification {
  checked: number;
  problems: Array<{ seq: number; problem: string }>;
  head: { seq: number; hash: string } | null;
}

export interface CallBody {
  resource: string;
  subject: string;
  fields?: string[];
  purpose: string;
  reference?: string;
}

export interface CallReply {
  callId: number;
  resource: string;
  grantId: string;
  values: Record<string, string | number | null>;
  masked: string[];
}

const id = (s: string) => encodeURIComponent(s);

export const listResources = (signal?: AbortSignal) => get<{ items: ResourceView[] }>('/exchange/resources', undefined, signal);
export const listRequests = (q: { status?: string; limit?: number }, signal?: AbortSignal) => get<{ items: RequestView[] }>('/exchange/requests', { ...q }, signal);
export const getRequest = (requestId: string, signal?: AbortSignal) => get<RequestView>(`/exchange/requests/${id(requestId)}`, undefined, signal);
export const createRequest = (body: RequestBody) => post<RequestView>('/exchange/requests', body);
export const decideRequest = (requestId: string, body: DecideBody) => post<RequestView>(`/exchange/requests/${id(requestId)}/decision`, body);
export const revokeRequest = (requestId: string, reason: string) => post<RequestView>(`/exchange/requests/${id(requestId)}/revoke`, { reason });
export const exchangeCall = (body: CallBody) => post<CallReply>('/exchange/calls', body);
export const listLog = (q: LogQuery, signal?: AbortSignal) => call<LogPage>('GET', '/exchange/log', { query: { ...q }, signal });
export const verifyLog = () => get<LogVerification>('/exchange/log/verify');
/** 谁查看了我的数据: calls about the signed-in resident or company. */
export const myLog = (q: { before?: number | null; limit?: number }, signal?: AbortSignal) => get<LogPage>('/exchange/mine', { ...q }, signal);
