import { call, get, post } from './client.ts';

export interface Rule {
  id: string;
  pack: string | null;
  nameZh: string;
  nameEn: string;
  deviceType: string;
  jurisdictionCode: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  condition: unknown;
  clearAfterS: number;
  messageZh: string;
  messageEn: string;
  enabled: boolean;
  version: number;
  updatedAt: number;
}

export interface DeviceType {
  code: string;
  nameZh: string;
  nameEn: string;
  metrics: Array<{ key: string; nameZh: string; nameEn: string; unit: string; min: number; max: number }>;
}

export type RuleInput = Pick<Rule, 'nameZh' | 'nameEn' | 'deviceType' | 'severity' | 'condition' | 'clearAfterS' | 'enabled'> & { id?: string };

export const rules = (signal?: AbortSignal) => get<{ items: Rule[] }>('/rules', undefined, signal);
export const deviceTypes = (signal?: AbortSignal) => get<{ items: DeviceType[] }>('/device-types', undefined, signal);
export const createRule = (body: RuleInput) => post<Rule>('/rules', body);
export const updateRule = (id: string, version: number, body: RuleInput) => call<Rule>('PUT', `/rules/${encodeURIComponent(id)}`, { query: { version }, body });
