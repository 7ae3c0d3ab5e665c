import { fromJson } from '../../platform/db/dialect.ts';
import type { ComponentRow } from './component.schema.ts';
import type { NewComponent } from './component.store.ts';

/** The fields a component's history records, by column, with the name clients know them by. */
const FIELDS: Array<[keyof NewComponent, string]> = [
  ['geometry', 'geometry'],
  ['status', 'status'],
  ['name', 'name'],
  ['address', 'address'],
  ['owner_dept', 'ownerDept'],
  ['maintainer_dept', 'maintainerDept'],
  ['attributes', 'attributes'],
  ['photos', 'photos'],
  ['jurisdiction_code', 'jurisdictionCode'],
];

/** JSON with sorted keys, so that key order (in a file, in a request) does not count as a change. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) => (val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val));
}

/** A stored column as a value: JSON columns and the GeoJSON text parsed. */
function value(col: keyof NewComponent, v: unknown): unknown {
  if (col === 'attributes' || col === 'photos') return fromJson(v);
  if (col === 'geometry') return JSON.parse(v as string);
  return v;
}

/**
 * What a write changes, field by field (`{ status: ['intact', 'damaged'] }`), as the history keeps
 * it — or null when the new state is the stored one. Used by API writes and imports alike.
 */
export function changedFields(before: ComponentRow, after: NewComponent): Record<string, [unknown, unknown]> | null {
  let out: Record<string, [unknown, unknown]> | null = null;
  for (const [col, name] of FIELDS) {
    const a = value(col, before[col]);
    const b = col === 'geometry' ? JSON.parse(after.geometry) : after[col];
    if (canonical(a) !== canonical(b)) (out ??= {})[name] = [a, b];
  }
  return out;
}
