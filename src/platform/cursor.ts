import { invalid } from './errors.ts';

/**
 * Opaque page cursors: the position after the last item of a page, as base64url JSON. Clients pass
 * them back untouched; anything else is refused as `cursor` FIELD_INVALID rather than trusted.
 */
export function encodeCursor(position: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Reads a cursor this server gave out; `shape` checks each element's type (`s` string, `n` safe integer). */
export function decodeCursor(cursor: string, shape: string): Array<string | number> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor', 'is not a cursor this server gave out');
  }
  const ok =
    Array.isArray(value) &&
    value.length === shape.length &&
    value.every((v, i) => (shape[i] === 'n' ? Number.isSafeInteger(v) : typeof v === 'string' && v.length <= 100));
  if (!ok) throw invalid('cursor', 'is not a cursor this server gave out');
  return value as Array<string | number>;
}
