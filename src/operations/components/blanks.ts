// What an imported row leaves blank keeps the component's stored value.
//
// A survey file re-imported after grid workers reported damage must not set everything back to
// intact, drop their photos (CSV has no photo column) or hand the component back to its default
// owner: an import says what it knows, and a blank cell or a missing property says nothing. To
// clear a field, change the component through the API. New components take the usual defaults.
import type { ComponentRow } from './component.schema.ts';
import type { NewComponent } from './component.store.ts';
import type { ComponentInput } from './prepare.ts';

/** The fields a row may leave blank, one bit each. */
export const BLANK = { status: 1, name: 2, address: 4, ownerDept: 8, maintainerDept: 16, photos: 32, attributes: 64 } as const;

const empty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** The fields `input` leaves blank, as BLANK bits (0: it gives them all). */
export function blanksOf(input: ComponentInput): number {
  let bits = 0;
  if (empty(input.status)) bits |= BLANK.status;
  if (empty(input.name)) bits |= BLANK.name;
  if (empty(input.address)) bits |= BLANK.address;
  if (empty(input.ownerDept)) bits |= BLANK.ownerDept;
  if (empty(input.maintainerDept)) bits |= BLANK.maintainerDept;
  if (input.photos === null || input.photos === undefined) bits |= BLANK.photos;
  if (!input.attributes || Object.keys(input.attributes).length === 0) bits |= BLANK.attributes;
  return bits;
}

/** `row` with the fields `blanks` names taken from the stored component. */
export function keepStored(row: NewComponent, before: ComponentRow, blanks: number): NewComponent {
  if (!blanks) return row;
  const out = { ...row };
  if (blanks & BLANK.status) out.status = before.status;
  if (blanks & BLANK.name) out.name = before.name;
  if (blanks & BLANK.address) out.address = before.address;
  if (blanks & BLANK.ownerDept) out.owner_dept = before.owner_dept;
  if (blanks & BLANK.maintainerDept) out.maintainer_dept = before.maintainer_dept;
  if (blanks & BLANK.photos) out.photos = parsed(before.photos) as NewComponent['photos'];
  if (blanks & BLANK.attributes) out.attributes = parsed(before.attributes) as NewComponent['attributes'];
  return out;
}

/** A JSON column as read: text on SQLite, already a value on PostgreSQL. */
const parsed = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
