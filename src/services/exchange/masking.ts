// Masking (脱敏) of exchanged fields: what a department sees of a sensitive field it was not granted
// in clear. The rules keep just enough to recognise a record on a screen (a tail of an identity
// number, a family name, the district of an address) and never enough to re-identify a person.

import type { FieldValue } from '../registries/registry.service.ts';

/** How a field is masked: the `mask` of a resource's field. */
export type MaskKind = 'id' | 'phone' | 'name' | 'address' | 'date' | 'text' | 'hide';
export const MASK_KINDS: readonly MaskKind[] = ['id', 'phone', 'name', 'address', 'date', 'text', 'hide'];

/** Fields at or above this sensitivity level go out masked unless the grant gives them in clear. */
export const MASKED_FROM_LEVEL = 3;

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/** Masks one value; `hide` and anything not a string give null. */
export function mask(kind: MaskKind, value: FieldValue): FieldValue {
  if (value === null) return null;
  if (kind === 'hide' || typeof value !== 'string') return null;
  const chars = [...value];
  switch (kind) {
    case 'id':
      // 310115198805170012 → 3101**********0012: the province/city and a tail to tell records apart.
      if (chars.length <= 8) return stars(chars.length - 2) + chars.slice(-2).join('');
      return chars.slice(0, 4).join('') + stars(chars.length - 8) + chars.slice(-4).join('');
    case 'phone':
      return chars.length < 8 ? stars(chars.length) : chars.slice(0, 3).join('') + stars(chars.length - 7) + chars.slice(-4).join('');
    case 'name':
      return chars[0] + stars(chars.length - 1 || 1);
    case 'address': {
      // Keep the place down to the street or town, never the road, building or room.
      const m = /^.*?(?:街道|镇|乡)/.exec(value) ?? /^.*?(?:区|县)/.exec(value);
      return (m ? m[0] : chars.slice(0, 3).join('')) + '****';
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value.slice(0, 4)}-**-**` : stars(chars.length);
    case 'text':
      return chars[0] + '***';
  }
}
