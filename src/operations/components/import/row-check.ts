// One imported record → a checked component row, or the row of the error file that says why not.
// Pure and synchronous, with everything it needs passed in, so the same checks run in the importing
// process or in the worker thread that checks big files while the main thread writes (check-stream.ts).

import { withinScope } from '../../../platform/access.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import { prepareComponent, type Locate, type Prepared } from '../prepare.ts';
import type { TypeRegistry } from '../types.ts';
import type { RowError } from './import.schema.ts';
import type { ImportFormat, RawRecord } from './readers.ts';
import { recordToInput } from './row.ts';
import { blanksOf } from '../blanks.ts';

const RECORD_CHARS = 500;

/** A record after checking: the row to write (with its type's owning sector), or its error-file row. */
export type CheckedItem = { ok: true; line: number; row: Prepared['row']; sector: string | null; blanks: number } | { ok: false; error: RowError };

export interface RowCheckContext {
  types: TypeRegistry;
  locate: Locate;
  format: ImportFormat;
  /** The job's jurisdiction: every row must lie inside it. */
  scopeCode: string;
  /** A place's name, for the message of a row outside the jurisdiction. */
  nameOf(code: string): string | undefined;
}

export class RowChecker {
  constructor(private readonly c: RowCheckContext) {}

  /** Checks one record as the API checks one component; throws only on a fault that is not the record's. */
  check(r: RawRecord): CheckedItem {
    if (!r.ok) return { ok: false, error: { line: r.line, field: r.field, reason: r.reason, record: '' } };
    try {
      const input = recordToInput(r, this.c.format, this.c.types);
      const prepared = prepareComponent(input, this.c.types, this.c.locate);
      const row = prepared.row;
      if (!withinScope(this.c.scopeCode, row.jurisdiction_code)) {
        const named = (code: string) => `${this.c.nameOf(code) ?? ''} ${code}`.trim();
        throw invalid('geometry', `lies in ${named(row.jurisdiction_code.slice(0, 9))} (grid cell ${row.jurisdiction_code}), outside your jurisdiction ${named(this.c.scopeCode)}`);
      }
      return { ok: true, line: r.line, row, sector: prepared.type.row.owner_sector, blanks: blanksOf(input) };
    } catch (err) {
      if (!(err instanceof AppError) || !err.field) throw err;
      return { ok: false, error: { line: r.line, field: err.field, reason: reasonOf(err), record: recordText(r.properties) } };
    }
  }
}

/** AppError messages read `field reason`; the error file has a column for each. */
export function reasonOf(err: AppError): string {
  const m = err.message;
  return err.field && m.startsWith(err.field + ' ') ? m.slice(err.field.length + 1) : m;
}

function recordText(properties: Record<string, unknown>): string {
  const s = JSON.stringify(properties);
  return s.length > RECORD_CHARS ? s.slice(0, RECORD_CHARS - 1) + '…' : s;
}
