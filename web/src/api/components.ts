// City components (城市部件, GB/T 30428.2): the types with their attribute schemas, one component,
// its history. The map never lists components: it draws them from vector tiles.
import { get } from './client.ts';

export type ComponentStatus = 'intact' | 'damaged' | 'missing' | 'occupied' | 'removed';
export const STATUSES: readonly ComponentStatus[] = ['intact', 'damaged', 'missing', 'occupied', 'removed'];

/** A large class: 01 公用设施 … 06 其他设施. */
export interface ComponentClass {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A JSON Schema property of a type's attributes (only what the UI reads). */
export interface AttributeSchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
}

export interface ComponentType {
  code: string;
  classCode: string;
  className: { zh: string; en: string };
  nameZh: string;
  nameEn: string;
  geometry: string;
  kind: string;
  ownerSector: string | null;
  /** JSON Schema (2020-12) of the attributes object. */
  attributes: { properties?: Record<string, AttributeSchema> } | null;
  builtin: boolean;
}

export interface ComponentTypes {
  classes: ComponentClass[];
  types: ComponentType[];
  statuses: Array<{ code: ComponentStatus; zh: string; en: string }>;
}

export interface Photo {
  url: string;
  caption?: string;
  takenAt?: number;
}

export interface Component {
  code: string;
  type: string;
  typeName: { zh: string; en: string };
  classCode: string;
  kind: string;
  geometry: unknown;
  point: [number, number];
  jurisdictionCode: string;
  status: ComponentStatus;
  name: string | null;
  address: string | null;
  ownerDept: string | null;
  maintainerDept: string | null;
  attributes: Record<string, unknown>;
  photos: Photo[];
  source: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface HistoryEntry {
  version: number;
  action: string;
  actorId: string | null;
  at: number;
  /** `{ field: [before, after] }`; a deletion keeps the last state under `snapshot`. */
  changes: unknown;
}

let typesOnce: Promise<ComponentTypes> | null = null;

/** The classes, types and statuses; fetched once per page load (they change rarely). */
export function componentTypes(): Promise<ComponentTypes> {
  if (!typesOnce) {
    typesOnce = get<ComponentTypes>('/component-types');
    typesOnce.catch(() => (typesOnce = null));
  }
  return typesOnce;
}

export function component(code: string, signal?: AbortSignal): Promise<Component> {
  return get<Component>(`/components/${encodeURIComponent(code)}`, undefined, signal);
}

export async function history(code: string, signal?: AbortSignal): Promise<HistoryEntry[]> {
  const r = await get<{ items: HistoryEntry[] }>(`/components/${encodeURIComponent(code)}/history`, undefined, signal);
  return r.items;
}
