import { get } from './client.ts';
import type { DepartmentPage } from './types.ts';

export interface DepartmentQuery {
  jurisdiction?: string | null;
  q?: string;
  cursor?: string | null;
}

/** One page of departments, in code order. */
export function list(q: DepartmentQuery, signal?: AbortSignal): Promise<DepartmentPage> {
  return get<DepartmentPage>('/departments', { jurisdiction: q.jurisdiction, q: q.q, cursor: q.cursor }, signal);
}
