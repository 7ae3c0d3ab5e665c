// Cases (城市管理案件): reporting, queues, the case page and its actions, photos.
import { ApiError, apiUrl, call, get, post } from './client.ts';

export type Colour = 'green' | 'yellow' | 'red';
export type Stage = 'intake' | 'filing' | 'dispatch' | 'disposal' | 'verification' | 'closed' | 'rejected' | 'merged';

export interface Category {
  code: string;
  groupCode: string;
  groupZh: string;
  groupEn: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  urgent: boolean;
}

export interface TimelineEntry {
  at: number;
  action: string;
  fromStage: string | null;
  toStage: string;
  actorName: string | null;
  note: string | null;
  photos: string[];
  late: boolean;
}

/** What a list row and the case page both carry. */
interface CaseBase {
  id: string;
  categoryCode: string;
  categoryName: string;
  categoryNameEn: string;
  stage: Stage;
  severity: string;
  source: string;
  description: string;
  point: [number, number];
  address: string | null;
  jurisdictionCode: string;
  departmentCode: string | null;
  assigneeId: string | null;
  dueAt: number | null;
  colour: Colour | null;
  level: number;
  supervised: boolean;
  createdAt: number;
}

export interface CaseSummary extends CaseBase {
  distanceM: number | null;
}

export interface CaseView extends CaseBase {
  access: 'official' | 'reporter' | 'public';
  status: 'open' | 'closed';
  agency: string | null;
  publicNote: string | null;
  photos: string[];
  updatedAt: number;
  closedAt: number | null;
  timeline: TimelineEntry[];
  rating: number | null;
  ratingComment: string | null;
  mergedInto: string | null;
  supporting: string[];
  team: string | null;
  handlerId: string | null;
  caller: { name: string; phone: string } | null;
  levelName: string;
  supervisionNote: string | null;
  reopenCount: number;
  returnCount: number;
  reporters: number;
  duplicates: Array<{ id: string; distanceM: number; createdAt: number; stage: string }>;
  proposal: { departmentCode: string; departmentName: string; team: string | null; rule: string } | null;
}


export interface ReportInput {
  categoryCode: string;
  description: string;
  point: [number, number];
  address?: string;
  photos?: string[];
  caller?: { name: string; phone: string };
}

export interface ListFilter {
  stage?: string;
  component?: string;
  colour?: string;
  mine?: boolean;
  near?: string;
  escalated?: boolean;
  limit?: number;
}

export const categories = (signal?: AbortSignal) => get<{ items: Category[] }>('/cases/categories', undefined, signal);
export const report = (body: ReportInput) => post<CaseView>('/cases', body);
export const listCases = (f: ListFilter, signal?: AbortSignal) => get<{ items: CaseSummary[]; nextCursor: string | null }>('/cases', { ...f }, signal);
export const getCase = (id: string, signal?: AbortSignal) => get<CaseView>(`/cases/${encodeURIComponent(id)}`, undefined, signal);
export const act = (id: string, action: string, body: unknown = {}) => post<CaseView>(`/cases/${encodeURIComponent(id)}/${action}`, body);
export const nearby = (bbox: [number, number, number, number], signal?: AbortSignal) => get<{ items: CaseView[] }>('/cases/nearby', { bbox: bbox.map((v) => v.toFixed(5)).join(',') }, signal);
export const gridWorkers = (signal?: AbortSignal) => get<{ items: Array<{ id: string; displayName: string; roles: string[]; scopeCode: string | null }> }>('/accounts', { role: 'grid_worker', limit: 100 }, signal);

/** Uploads a photo as the raw body; the server checks it really is a JPEG, PNG or WebP. */
export async function uploadPhoto(file: File): Promise<{ id: string; url: string }> {
  const res = await fetch(apiUrl('/cases/photos'), { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file, credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Record<string, string>;
    throw new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.title ?? '', body.detail ?? res.statusText, body.field);
  }
  return res.json();
}

export { call };
