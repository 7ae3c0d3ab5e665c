// The service catalogue (政务服务事项): search with facets, suggestions, one item.
import { get } from './client.ts';

export interface ItemSummary {
  code: string;
  nameZh: string;
  nameEn: string;
  sector: string;
  departmentName: string;
  departmentNameEn: string;
  kind: string;
  online: 'full' | 'one_trip' | 'on_site';
  promisedDays: number;
  legalDays: number;
  trips: number;
}

export interface ItemDetail extends ItemSummary {
  applicants: string[];
  legalBasis: string[];
  conditionsZh: string;
  conditionsEn: string;
  materials: Array<{ nameZh: string; nameEn: string; form: string; source: string; sourceName: string | null; sourceNameEn: string | null; required: boolean }>;
  feeZh: string;
  feeEn: string;
  inspections: number;
  lifeEvents: string[];
  enterpriseEvents: string[];
}

export interface SearchReply {
  total: number;
  items: ItemSummary[];
  facets: { sector: Record<string, number>; kind: Record<string, number>; event: Record<string, number>; online: Record<string, number> };
  tookMs: number;
}

export interface Labels {
  life: Array<{ code: string; zh: string; en: string }>;
  enterprise: Array<{ code: string; zh: string; en: string }>;
  sectors: Record<string, { zh: string; en: string }>;
}

export const searchItems = (q: { q?: string; sector?: string; kind?: string; event?: string; online?: string; limit?: number }, signal?: AbortSignal) => get<SearchReply>('/services/items', q, signal);
export const suggest = (q: string, signal?: AbortSignal) => get<{ items: Array<{ code: string; nameZh: string; nameEn: string }> }>('/services/suggest', { q }, signal);
export const item = (code: string, signal?: AbortSignal) => get<ItemDetail>(`/services/items/${encodeURIComponent(code)}`, undefined, signal);
export const labels = (signal?: AbortSignal) => get<Labels>('/services/events', undefined, signal);
