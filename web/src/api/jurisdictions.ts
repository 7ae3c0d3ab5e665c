import { get } from './client.ts';
import type { JurisdictionDetail, JurisdictionNode, Located, TreeNode } from './types.ts';

/** A subtree: the root (the city when root is omitted) with children nested `depth` levels. */
export async function tree(root: string | null, depth = 1, signal?: AbortSignal): Promise<TreeNode> {
  const r = await get<{ root: TreeNode }>('/jurisdictions/tree', { root, depth }, signal);
  return r.root;
}

/** One node with its ancestors (city first) and its direct children. */
export function detail(code: string, signal?: AbortSignal): Promise<JurisdictionDetail> {
  return get<JurisdictionDetail>(`/jurisdictions/${encodeURIComponent(code)}`, undefined, signal);
}

/** The smallest jurisdiction containing a WGS84 point; rejects with a 404 ApiError outside the city. */
export function locate(lon: number, lat: number): Promise<Located> {
  return get<Located>('/jurisdictions/locate', { lon, lat });
}

/** Jurisdictions whose Chinese or English name or code matches `q`. */
export async function search(q: string, signal?: AbortSignal): Promise<JurisdictionNode[]> {
  const r = await get<{ items: JurisdictionNode[] }>('/jurisdictions/search', { q, limit: 12 }, signal);
  return r.items;
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

/** One node with its outline (for the map's scope highlight). */
export function outline(code: string, signal?: AbortSignal): Promise<JurisdictionDetail & { geometry: MultiPolygonGeometry }> {
  return get<JurisdictionDetail & { geometry: MultiPolygonGeometry }>(`/jurisdictions/${encodeURIComponent(code)}`, { geometry: true }, signal);
}
