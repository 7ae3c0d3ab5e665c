// Turning a refused write into what each field or material shows under itself.
import { FormError } from '../../api/applications.ts';

/** Field id → the first problem the server named for it (`form.<id>`). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof FormError)) return out;
  for (const e of err.errors) if (e.field.startsWith('form.') && !(e.field.slice(5) in out)) out[e.field.slice(5)] = e.reason;
  return out;
}

/** Material key → the problem named for it (`materials.<key>`, or a required material still missing). */
export function materialErrors(err: unknown, missingText: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof FormError)) return out;
  for (const key of err.missing) out[key] = missingText;
  for (const e of err.errors) {
    if (!e.field.startsWith('materials.')) continue;
    const key = e.field.slice('materials.'.length);
    if (!(key in out)) out[key] = err.code === 'MATERIAL_MISSING' ? missingText : e.reason;
  }
  return out;
}

/** Without one field's problem (it was just changed). */
export function without(errors: Record<string, string>, id: string): Record<string, string> {
  if (!(id in errors)) return errors;
  const next = { ...errors };
  delete next[id];
  return next;
}
