import { AppError } from '../errors.ts';

// NUL cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate is not a character at all
// (PostgreSQL's jsonb refuses it). Both only ever arrive by mistake or on purpose to break
// something, so they are refused at the door, for every string of every request, with the field.
export const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BAD = BAD_TEXT;

/** Text made storable where it cannot be refused (what a device sent, kept as evidence): each NUL and lone surrogate becomes U+FFFD. */
export const storableText = (s: string): string => s.replace(new RegExp(BAD_TEXT.source, 'g'), '\ufffd');

const MAX_DEPTH = 64;

/** Throws FIELD_INVALID naming the first string (or key) holding NUL or an unpaired surrogate. */
export function assertCleanText(value: unknown, path: string, depth = 0): void {
  if (typeof value === 'string') {
    if (BAD.test(value)) throw new AppError('FIELD_INVALID', `${path} contains a NUL character or an unpaired UTF-16 surrogate`, path);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw new AppError('FIELD_INVALID', `${path} is nested more than ${MAX_DEPTH} levels deep`, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertCleanText(value[i], `${path}.${i}`, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const child = path ? `${path}.${k}` : k;
    if (BAD.test(k)) throw new AppError('FIELD_INVALID', `a field name in ${path || 'the body'} contains a NUL character or an unpaired UTF-16 surrogate`, path || 'body');
    assertCleanText(v, child, depth + 1);
  }
}
