import { get } from './client.ts';
import type { Department } from './types.ts';

export async function list(q: { jurisdiction?: string | null; q?: string }, signal?: AbortSignal): Promise<Department[]> {
  const r = await get<{ items: Department[] }>('/departments', { jurisdiction: q.jurisdiction, q: q.q }, signal);
  return r.items;
}
