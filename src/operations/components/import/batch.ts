import fsp from 'node:fs/promises';
import type { Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import { PACKED as P, type BulkWriter, type PackedRow } from '../component.bulk.ts';
import type { ImportRow } from '../component.schema.ts';
import type { ComponentService } from '../component.service.ts';
import type { ImportProgress, ImportView, RowError } from './import.schema.ts';
import type { ImportStore } from './import.store.ts';
import type { CheckedBatch } from './check-stream.ts';
import type { CsvDelimiter } from './readers.ts';
import { reasonOf } from './row-check.ts';
import { BLANK } from '../blanks.ts';
import type { RestoreStep } from './initial-load.ts';

/** The packed column of each field a row may leave blank (blanks.ts). */
const BLANK_COLUMNS: Array<[bit: number, column: number]> = [
  [BLANK.status, P.status],
  [BLANK.name, P.name],
  [BLANK.address, P.address],
  [BLANK.ownerDept, P.owner],
  [BLANK.maintainerDept, P.maintainer],
  [BLANK.photos, P.photos],
  [BLANK.attributes, P.attributes],
];

export const ERROR_HEADER = 'line,field,reason,record\n';

/** What a reader needs to go on mid-file, and how long the error file was at the checkpoint. */
export interface ResumeState {
  csvHeader?: string[];
  csvDelimiter?: CsvDelimiter;
  errorBytes: number;
  owner?: { host: string; pid: number };
  /** The job began on an empty registry and builds the deferred indexes at its end (initial-load.ts). */
  initialLoad?: boolean;
}

/** Who hears about a run as it goes. */
export interface RunListeners {
  /** After each committed batch. */
  onProgress?(p: ImportProgress): void;
  /** Each refused row, as it is found (a crash may report a row again on resume). */
  onRowError?(e: RowError): void;
  /** An initial load's indexes being built at its end, step by step. */
  onIndexing?: RestoreStep;
}

/** One job's pass over its file: batches prepared, written and checkpointed; the end recorded. */
export class BatchRun {
  private readonly owners = new Map<string, string | null>();
  private readonly departments = new Map<string, boolean>();
  private readonly actorId: string;
  private readonly source: string;

  constructor(
    private readonly ctx: AppContext,
    private readonly components: ComponentService,
    private readonly writer: BulkWriter,
    private readonly store: ImportStore,
    private readonly p: Principal,
    public job: ImportRow,
    private readonly state: ResumeState,
    private readonly opts: RunListeners,
  ) {
    this.actorId = p.accountId;
    this.source = `import:${job.id}`;
  }

  rows(): number {
    const j = this.job;
    return Number(j.created_count) + Number(j.updated_count) + Number(j.unchanged_count) + Number(j.failed_count);
  }

  progress(): ImportProgress {
    const j = this.job;
    return { bytes: Number(j.offset_bytes), totalBytes: Number(j.total_bytes), rows: this.rows(), created: Number(j.created_count), updated: Number(j.updated_count), unchanged: Number(j.unchanged_count), failed: Number(j.failed_count) };
  }

  summary(): string {
    const j = this.job;
    const s = `${this.rows()} rows: ${j.created_count} created, ${j.updated_count} updated, ${j.unchanged_count} unchanged, ${j.failed_count} refused`;
    return Number(j.failed_count) > 0 ? `${s} (see the error file)` : s;
  }

  /**
   * Appends the batch's refused rows to the error file, then writes the rest and moves the
   * checkpoint past the batch in one transaction.
   */
  async commit(batch: CheckedBatch): Promise<void> {
    const now = this.ctx.clock.now();
    // Refused rows with their records' ordinals: the checker's and the department checks' below
    // go into the error file together, in file order.
    const refused = batch.errors.map((error, i) => ({ error, ordinal: batch.errorOrdinals[i]! }));
    const rows = new Map<string, PackedRow>();
    // Where each written row came from, for a refusal by the writer (a code outside the scope).
    const origin = new Map<string, { line: number; ordinal: number }>();
    const blanks = new Map<string, number>();
    // Earlier rows of a code the batch names again, as updated or unchanged by the later one.
    const superseded = new Map<string, { updated: number; unchanged: number }>();
    for (let i = 0; i < batch.rows.length; i++) {
      const row = batch.rows[i]!;
      const sector = batch.sectors[i]!;
      try {
        if (!this.finishCached(row, sector)) await this.finish(row, sector);
      } catch (err) {
        if (!(err instanceof AppError) || !err.field) throw err;
        const record = JSON.stringify({ code: row[P.code], type: row[P.type], owner_dept: row[P.owner], maintainer_dept: row[P.maintainer] });
        refused.push({ error: { line: batch.lines[i]!, field: err.field, reason: reasonOf(err), record }, ordinal: batch.ordinals[i]! });
        continue;
      }
      this.stamp(row, now);
      // A code twice in one batch: the later row wins, as it would have updated the earlier one.
      const code = row[P.code] as string;
      const earlier = rows.get(code);
      let rowBlanks = batch.blanks[i]!;
      if (earlier) {
        // What the later row leaves blank, the earlier one may have given: as if it had been written first.
        const earlierBlanks = blanks.get(code) ?? 0;
        for (const [bit, col] of BLANK_COLUMNS) if (rowBlanks & bit && !(earlierBlanks & bit)) row[col] = earlier[col];
        rowBlanks &= earlierBlanks;
        const s = superseded.get(code) ?? { updated: 0, unchanged: 0 };
        if (sameContent(earlier, row)) s.unchanged++;
        else s.updated++;
        superseded.set(code, s);
        rows.delete(code);
      }
      rows.set(code, row);
      origin.set(code, { line: batch.lines[i]!, ordinal: batch.ordinals[i]! });
      if (rowBlanks) blanks.set(code, rowBlanks);
      else blanks.delete(code);
    }
    if (batch.csv) Object.assign(this.state, { csvHeader: batch.csv.header, csvDelimiter: batch.csv.delimiter });
    const last = batch.last;
    const j = this.job;
    const errorBytes = this.state.errorBytes;
    let errors: RowError[] = [];
    const written = await this.ctx.transaction(async (tx) => {
      const r = await this.writer.writePacked(tx, [...rows.values()], this.actorId, now, { initialLoad: this.state.initialLoad === true, scope: j.scope_code, blanks });
      const all = [...refused];
      // Earlier rows of a refused code were not written either.
      let [supersededUpdated, supersededUnchanged] = [0, 0];
      for (const [code, s] of superseded) {
        if (r.refused.includes(code)) continue;
        supersededUpdated += s.updated;
        supersededUnchanged += s.unchanged;
      }
      for (const code of r.refused) {
        const row = rows.get(code)!;
        const record = JSON.stringify({ code, type: row[P.type] });
        all.push({ error: { line: origin.get(code)!.line, field: 'code', reason: 'is taken by a component outside your jurisdiction', record }, ordinal: origin.get(code)!.ordinal });
      }
      errors = all.sort((a, b) => a.ordinal - b.ordinal).map((x) => x.error);
      // The error file grows with the checkpoint: a resume cuts it back to the checkpoint's length,
      // and so does a retried transaction here (PostgreSQL retries one that met a deadlock).
      const text = errors.map(csvLine).join('');
      await fsp.truncate(j.error_file!, errorBytes);
      if (text) await fsp.appendFile(j.error_file!, text);
      const patch = {
        offset_bytes: last.endOffset ?? Number(j.offset_bytes),
        next_line: last.endLine ?? last.line + 1,
        next_ordinal: last.ordinal + 1,
        resume_state: { ...this.state, errorBytes: errorBytes + Buffer.byteLength(text) },
        created_count: Number(j.created_count) + r.created,
        updated_count: Number(j.updated_count) + r.updated + supersededUpdated,
        unchanged_count: Number(j.unchanged_count) + r.unchanged + supersededUnchanged,
        failed_count: Number(j.failed_count) + errors.length,
        updated_at: now,
      };
      await this.store.update(tx, j.id, patch);
      if (r.bbox) await this.ctx.outbox.add(tx, 'components.import.progressed', { v: 1, importId: j.id, bbox: r.bbox });
      return patch;
    });
    this.state.errorBytes = written.resume_state.errorBytes;
    for (const e of errors) this.opts.onRowError?.(e);
    this.job = { ...j, ...written, resume_state: { ...this.state } };
    this.opts.onProgress?.(this.progress());
  }

  /** Records the end: done or failed with an audit entry and an event (one transaction); interrupted plainly. */
  async end(status: 'done' | 'failed' | 'interrupted', message: string): Promise<ImportView> {
    const now = this.ctx.clock.now();
    const j = this.job;
    const store = this.store;
    const finishedAt = status === 'interrupted' ? null : now;
    if (status === 'interrupted') await store.update(this.ctx.db, j.id, { status, message, updated_at: now });
    else {
      await this.ctx.transaction(async (tx) => {
        await store.update(tx, j.id, { status, message, updated_at: now, finished_at: finishedAt });
        const counts = { created: Number(j.created_count), updated: Number(j.updated_count), unchanged: Number(j.unchanged_count), failed: Number(j.failed_count) };
        await this.ctx.audit.record(tx, {
          actorId: this.p.accountId,
          actorKind: this.p.roles.includes('system') && !this.p.roles.some((r) => r !== 'system') ? 'system' : 'account',
          action: status === 'done' ? 'components.import.finished' : 'components.import.failed',
          subjectType: 'component_import',
          subjectId: j.id,
          jurisdictionCode: j.scope_code,
          detail: { fileName: j.file_name, format: j.format, ...counts, ...(status === 'failed' ? { message } : {}) },
        });
        await this.ctx.outbox.add(tx, 'components.import.finished', { v: 1, importId: j.id, status, ...counts });
      });
    }
    this.job = { ...j, status, message, updated_at: now, finished_at: finishedAt };
    return jobView(this.job);
  }

  /**
   * Completes a checked row's departments in place, without waiting, when they and its default
   * owner are already known (almost every row of a big file); false when a lookup is needed first.
   */
  private finishCached(row: PackedRow, sector: string | null): boolean {
    const owner = row[P.owner] as string | null;
    const maintainer = row[P.maintainer] as string | null;
    const ownerKey = `${sector}\0${(row[P.jurisdiction] as string).slice(0, 6)}`;
    if (owner ? this.departments.get(owner) !== true : !this.owners.has(ownerKey)) return false;
    if (maintainer && this.departments.get(maintainer) !== true) return false;
    if (!owner) row[P.owner] = this.owners.get(ownerKey)!;
    return true;
  }

  /** Completes a checked row's departments after looking them and its default owner up (each once per run). */
  private async finish(row: PackedRow, sector: string | null): Promise<void> {
    for (const [field, i] of [['ownerDept', P.owner], ['maintainerDept', P.maintainer]] as const) {
      const code = row[i] as string | null;
      if (code && !(this.departments.get(code) ?? (await this.lookUpDepartment(code)))) throw invalid(field, `${code} is not a known department`);
    }
    if (!row[P.owner]) {
      const jurisdiction = row[P.jurisdiction] as string;
      const key = `${sector}\0${jurisdiction.slice(0, 6)}`;
      row[P.owner] = this.owners.has(key) ? this.owners.get(key)! : await this.lookUpOwner(key, sector, jurisdiction);
    }
  }

  /** The import's own fields, appended in INSERT_COLS order (source, version, created_at, updated_at, updated_by). */
  private stamp(row: PackedRow, now: number): void {
    row.length = P.stamps;
    row.push(this.source, 1, now, now, this.actorId);
  }

  // Departments and default owners are asked once per run (per code; per sector and district):
  // a batch of thousands of rows names only a few.
  private async lookUpDepartment(code: string): Promise<boolean> {
    const departments = (this.ctx.services as Partial<typeof this.ctx.services>).departments;
    const known = departments ? (await departments.find(code)) !== null : true;
    this.departments.set(code, known);
    return known;
  }

  /** The type's usual owner in the component's district. */
  private async lookUpOwner(key: string, sector: string | null, jurisdictionCode: string): Promise<string | null> {
    const owner = await this.components.defaultOwner(sector, jurisdictionCode);
    this.owners.set(key, owner);
    return owner;
  }
}

/** A job as clients see it. */
export function jobView(j: ImportRow): ImportView {
  return {
    id: j.id,
    fileName: j.file_name,
    format: j.format,
    status: j.status,
    bytes: Number(j.offset_bytes),
    totalBytes: Number(j.total_bytes),
    created: Number(j.created_count),
    updated: Number(j.updated_count),
    unchanged: Number(j.unchanged_count),
    failed: Number(j.failed_count),
    errorFileUrl: Number(j.failed_count) > 0 ? `/api/components/imports/${j.id}/errors` : null,
    message: j.message,
    scopeCode: j.scope_code,
    startedBy: j.started_by,
    createdAt: Number(j.created_at),
    updatedAt: Number(j.updated_at),
    finishedAt: j.finished_at === null ? null : Number(j.finished_at),
  };
}

/** Two stamped rows alike but for their times (`created_at`, `updated_at`). */
function sameContent(a: PackedRow, b: PackedRow): boolean {
  return a.every((v, i) => v === b[i] || i === P.createdAt || i === P.updatedAt);
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ is defused with
 * an apostrophe so that a spreadsheet shows the text instead of running it as a formula.
 */
function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (e: RowError): string => [String(e.line), e.field, e.reason, e.record].map(csvCell).join(',') + '\n';

