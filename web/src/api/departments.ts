import { get } from './client.ts';
import type { Department, DepartmentPage } from './types.ts';

export interface DepartmentQuery {
  jurisdiction?: string | null;
  q?: string;
  cursor?: string | null;
}

/** One page of departments, in code order. */
export function list(q: DepartmentQuery, signal?: AbortSignal): Promise<DepartmentPage> {
  return get<DepartmentPage>('/departments', { jurisdiction: q.jurisdiction, q: q.q, cursor: q.cursor }, signal);
}

/** One department (its parent and sub-units are left out here). */
export async function one(code: string, signal?: AbortSignal): Promise<Department> {
  const r = await get<{ department: Department }>(`/departments/${encodeURIComponent(code)}`, undefined, signal);
  return r.department;
}
