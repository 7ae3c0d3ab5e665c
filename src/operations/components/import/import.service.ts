import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { authorize, readFilter, UNSCOPED, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import type { BulkWriter } from '../component.bulk.ts';
import type { ImportRow } from '../component.schema.ts';
import type { ComponentService } from '../component.service.ts';
import { BatchRun, ERROR_HEADER, jobView, type ResumeState, type RunListeners } from './batch.ts';
import type { ImportView } from './import.schema.ts';
import { ImportStore } from './import.store.ts';
import { checkHere, checkInWorker, FileProblem, type CheckedBatch, type CheckSource } from './check-stream.ts';
import { detectFormat, type ImportFormat } from './readers.ts';
import { RowChecker } from './row-check.ts';
import { deferIndexes, restoreIndexes } from './initial-load.ts';

const DEFAULT_BATCH = 5000;
/** From this many bytes left to read, rows are read and checked in a worker thread while this one writes. */
const WORKER_BYTES = 4 << 20;
/** A running job last checkpointed this long ago by a process on another machine is taken to be dead. */
const STALE_MS = 5 * 60_000;
export interface RunOptions extends RunListeners {
  /** The name the user knows the file by (uploads are stored under another); default its base name. */
  fileName?: string;
  /** Default: from the file name and its first bytes. */
  format?: ImportFormat;
  /** Rows per transaction (default 5000): a crash loses at most one batch's work, and redoes it. */
  batchSize?: number;
  /** Read and check rows in worker threads (default: when at least 4 MiB are left to read). */
  worker?: boolean;
  /** How many worker threads check rows, taking turns by batch (default: one per core but one, 1–4). */
  checkers?: number;
  /**
   * Into an empty registry, build the place, time and spatial indexes once at the end instead of
   * row by row (initial-load.ts; default: for files of 4 MiB or more). Ignored unless empty.
   */
  initialLoad?: boolean;
  /** Stops after the current batch; the job is then `interrupted` and a re-run resumes it. */
  signal?: AbortSignal;
  /** How to carry on, for the message of an interrupted job (default: run the same import again to resume). */
  resumeHint?: string;
}

/** A started import: the job as it stands, where it resumed, and its end. */
export interface ImportStart {
  job: ImportView;
  /** Set when an unfinished job of the same file was picked up. */
  resumedFrom: { line: number; rows: number } | null;
  done: Promise<ImportView>;
}


/**
 * Imports city components from CSV, GeoJSON and NDJSON files of any size: streamed, checked row by
 * row like the API checks one component, written in batches (each with the job's checkpoint, in one
 * transaction), resumable after a crash or Ctrl-C exactly where the last batch ended. Refused rows go
 * to an error file; the rest of the file still imports.
 */
export class ImportService {
  private readonly store = new ImportStore();
  /** Jobs this process is running now. */
  private readonly active = new Set<string>();

  constructor(
    private readonly ctx: AppContext,
    private readonly components: ComponentService,
    private readonly writer: BulkWriter,
  ) {}

  /** Checks the caller may import at all: the role, and a jurisdiction to import into (each row is then checked against it). */
  mayImport(p: Principal | null): asserts p is Principal {
    authorize(p, 'component.import', UNSCOPED);
    if (!p.scopeCode) throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction to import into');
  }

  errorFilePath(id: string): string {
    return path.join(this.ctx.config.dataDir, 'imports', `${id}.errors.csv`);
  }

  /** Imports a file to the end (or to an interruption); throws FIELD_INVALID (`file`) when the file is unusable. */
  async run(p: Principal | null, filePath: string, opts: RunOptions = {}): Promise<ImportView> {
    return (await this.start(p, filePath, opts)).done;
  }

  /**
   * Finds the file's unfinished job (same name, size, modification time and scope) and resumes it,
   * or creates a job; then imports in the background of the returned `done`.
   */
  async start(p: Principal | null, filePath: string, opts: RunOptions = {}): Promise<ImportStart> {
    this.mayImport(p);
    await this.components.types.ready(this.ctx.db);
    const fileName = opts.fileName ?? path.basename(filePath);
    let stat: fs.Stats;
    try {
      stat = await fsp.stat(filePath);
    } catch (err) {
      throw fileError(fileName, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (!stat.isFile()) throw fileError(fileName, 'is not a file');
    const fingerprint = createHash('sha256').update([fileName, stat.size, Math.trunc(stat.mtimeMs), p.scopeCode].join('\0')).digest('hex');
    const now = this.ctx.clock.now();
    const owner = { host: os.hostname(), pid: process.pid };

    let job = await this.store.unfinished(this.ctx.db, fingerprint);
    let resumedFrom: ImportStart['resumedFrom'] = null;
    if (job) {
      if (!this.claimable(job)) throw new AppError('CONFLICT', `${fileName} is being imported right now (job ${job.id}); wait for it to finish`, 'file');
      const state = job.resume_state as ResumeState;
      await this.resetErrorFile(job, state.errorBytes);
      resumedFrom = { line: job.next_line, rows: job.created_count + job.updated_count + job.unchanged_count + job.failed_count };
      job = { ...job, status: 'running', message: null, updated_at: now, resume_state: { ...state, owner } };
      await this.store.update(this.ctx.db, job.id, { status: job.status, message: null, updated_at: now, resume_state: job.resume_state });
    } else {
      // A crashed initial load of another file must be indexed before this import sees a non-empty registry.
      await this.recoverInitialLoads();
      let format = opts.format;
      if (!format) {
        try {
          format = detectFormat(fileName, await head(filePath));
        } catch (err) {
          throw fileError(fileName, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
      }
      const id = this.ctx.random.uuid();
      job = {
        id,
        file_name: fileName.slice(0, 500),
        fingerprint,
        format,
        status: 'running',
        total_bytes: stat.size,
        offset_bytes: 0,
        next_line: 1,
        next_ordinal: 0,
        resume_state: { errorBytes: Buffer.byteLength(ERROR_HEADER), owner } satisfies ResumeState,
        created_count: 0,
        updated_count: 0,
        unchanged_count: 0,
        failed_count: 0,
        error_file: this.errorFilePath(id),
        message: null,
        scope_code: p.scopeCode!,
        started_by: p.accountId,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      await fsp.mkdir(path.dirname(job.error_file!), { recursive: true });
      await fsp.writeFile(job.error_file!, ERROR_HEADER);
      const initial = { ...job, resume_state: { ...(job.resume_state as ResumeState), initialLoad: true } };
      if ((opts.initialLoad ?? stat.size >= WORKER_BYTES) && (await deferIndexes(this.ctx, (tx) => this.store.insert(tx, initial)))) job = initial;
      else await this.store.insert(this.ctx.db, job);
    }
    this.active.add(job.id);
    const started = job;
    // A resumed initial load (cut short by a crash) builds its indexes before more rows are written:
    // after the job is claimed, so that no other run takes it meanwhile.
    const resumedLoad = resumedFrom !== null && (started.resume_state as ResumeState).initialLoad === true;
    const done = (async () => {
      if (resumedLoad) await this.finishInitialLoad(started, started.resume_state as ResumeState, opts);
      return this.process(p, started, filePath, opts);
    })().finally(() => this.active.delete(started.id));
    return { job: this.view(started), resumedFrom, done };
  }

  /**
   * After a crash, builds the indexes of initial loads no live process is running any more
   * (the server calls this when it starts); the jobs stay resumable.
   */
  async recoverInitialLoads(): Promise<number> {
    let n = 0;
    for (const job of await this.store.unfinishedAll(this.ctx.db)) {
      const state = job.resume_state as ResumeState;
      if (!state.initialLoad || !this.claimable(job)) continue;
      this.ctx.log.warn({ importId: job.id, file: job.file_name }, 'import: building the indexes of an initial load that was cut short');
      await this.finishInitialLoad(job, state, {});
      n++;
    }
    return n;
  }

  /** Builds an initial load's deferred indexes, then records that the job no longer defers them. */
  private async finishInitialLoad(job: ImportRow, state: ResumeState, opts: RunOptions): Promise<void> {
    await restoreIndexes(this.ctx, opts.onIndexing);
    state.initialLoad = false;
    job.resume_state = { ...(job.resume_state as ResumeState), initialLoad: false };
    await this.store.update(this.ctx.db, job.id, { resume_state: job.resume_state });
  }

  /** Jobs in the caller's jurisdiction, newest first. */
  async list(p: Principal | null, limit = 50): Promise<{ items: ImportView[] }> {
    authorize(p, 'component.import', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') return { items: [] };
    return { items: (await this.store.list(this.ctx.db, f.prefix, limit)).map((j) => this.view(j)) };
  }

  /** One job; outside the caller's jurisdiction it reads as not found. */
  async get(p: Principal | null, id: string): Promise<ImportView> {
    return this.view(await this.readable(p, id));
  }

  /** Where a job's error file is, for someone who may read the job. */
  async errorFile(p: Principal | null, id: string): Promise<{ path: string; fileName: string }> {
    const job = await this.readable(p, id);
    if (!job.error_file || !fs.existsSync(job.error_file)) throw new AppError('NOT_FOUND', `Import ${id} has no error file`);
    return { path: job.error_file, fileName: `${job.file_name.replace(/\.[^.]*$/, '')}.errors.csv` };
  }

  view(j: ImportRow): ImportView {
    return jobView(j);
  }

  private async readable(p: Principal | null, id: string): Promise<ImportRow> {
    authorize(p, 'component.import', UNSCOPED);
    const f = readFilter(p);
    const job = /^[0-9a-f-]{1,36}$/i.test(id) ? await this.store.get(this.ctx.db, id) : null;
    if (!job || f.kind !== 'scope' || !job.scope_code.startsWith(f.prefix)) throw new AppError('NOT_FOUND', `No import ${id} in your jurisdiction`);
    return job;
  }

  /** An unfinished job may be taken over unless a live process is running it. */
  private claimable(job: ImportRow): boolean {
    if (job.status !== 'running') return true;
    if (this.active.has(job.id)) return false;
    const owner = (job.resume_state as ResumeState).owner;
    if (owner?.host === os.hostname()) return owner.pid === process.pid || !alive(owner.pid);
    return this.ctx.clock.now() - Number(job.updated_at) > STALE_MS;
  }

  /** Cuts the error file back to its length at the last checkpoint (lines of an uncommitted batch go). */
  private async resetErrorFile(job: ImportRow, bytes: number): Promise<void> {
    const file = job.error_file ?? this.errorFilePath(job.id);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const size = await fsp.stat(file).then((s) => s.size, () => -1);
    if (size < 0) await fsp.writeFile(file, ERROR_HEADER);
    else if (size > bytes) await fsp.truncate(file, bytes);
  }

  private async process(p: Principal, job: ImportRow, filePath: string, opts: RunOptions): Promise<ImportView> {
    const hint = opts.resumeHint ?? 'run the same import again to resume';
    const state = { ...(job.resume_state as ResumeState) };
    const run = new BatchRun(this.ctx, this.components, this.writer, this.store, p, job, state, opts);
    const batches = this.checkedBatches(job, filePath, state, opts);
    let interrupted = false;
    // Every way out of an initial load first gives its rows their index entries.
    const indexed = async () => {
      if (state.initialLoad) await this.finishInitialLoad(run.job, state, opts);
    };
    try {
      for (;;) {
        const next = await batches.next();
        if (next.done) break;
        await run.commit(next.value);
        // Back to the event loop between batches: with rows checked ahead in a worker, a run could
        // otherwise go from batch to batch on promise jobs alone and never hear Ctrl-C.
        await yieldToLoop();
        if (opts.signal?.aborted) {
          interrupted = true;
          break;
        }
      }
    } catch (err) {
      if (err instanceof FileProblem) {
        const message = `${job.file_name}: ${err.message}`;
        await indexed().catch((e) => this.ctx.log.error({ err: e, importId: job.id }, 'import: could not build the indexes of the initial load (resume the job, or restart, to retry)'));
        await run.end('failed', message).catch((e) => this.ctx.log.error({ err: e, importId: job.id }, 'import: could not record the failure'));
        throw new AppError('FIELD_INVALID', message, 'file');
      }
      const message = `Stopped by an error at line ${run.job.next_line} (${(err as Error).message}); ${hint}.`;
      await indexed().catch((e) => this.ctx.log.error({ err: e, importId: job.id }, 'import: could not build the indexes of the initial load (resume the job, or restart, to retry)'));
      await run.end('interrupted', message).catch(() => {});
      throw err;
    } finally {
      await batches.return(undefined).catch(() => undefined);
    }
    try {
      await indexed();
    } catch (err) {
      await run.end('interrupted', `Every row is written, but building the indexes failed (${(err as Error).message}); ${hint}.`).catch(() => {});
      throw err;
    }
    if (interrupted) {
      return run.end('interrupted', `Interrupted at line ${run.job.next_line} after ${run.rows()} rows; ${hint}.`);
    }
    return run.end('done', run.summary());
  }

  /** The file from the job's checkpoint on, read and checked in batches: in a worker thread when the rest is big. */
  private checkedBatches(job: ImportRow, filePath: string, state: ResumeState, opts: RunOptions): AsyncGenerator<CheckedBatch> {
    const resuming = Number(job.offset_bytes) > 0;
    const source: CheckSource = {
      filePath,
      format: job.format as ImportFormat,
      batchSize: Math.max(1, opts.batchSize ?? DEFAULT_BATCH),
      read: resuming
        ? { startOffset: Number(job.offset_bytes), startLine: Number(job.next_line), startOrdinal: Number(job.next_ordinal), insideFeatures: true, csvHeader: state.csvHeader, csvDelimiter: state.csvDelimiter }
        : {},
    };
    const places = this.ctx.services.jurisdictions;
    const types = this.components.types;
    const inWorker = opts.worker ?? Number(job.total_bytes) - Number(job.offset_bytes) >= WORKER_BYTES;
    if (!inWorker) {
      const locate = this.components.locate;
      return checkHere(source, new RowChecker({ types, locate, format: source.format, scopeCode: job.scope_code, nameOf: (code) => places.get(code)?.name }));
    }
    const names: Array<[string, string]> = [];
    for (const code of [job.scope_code, ...places.children('310000').flatMap((d) => [d.code, ...places.children(d.code).map((s) => s.code)])]) {
      const name = places.get(code)?.name;
      if (name) names.push([code, name]);
    }
    // This thread writes while the checkers check: one core is left to it (measured on 2 cores, a
    // second checker only shares the first one's core; docs/components.md#performance).
    const checkers = opts.checkers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    return checkInWorker({ source, format: source.format, scopeCode: job.scope_code, types: types.all().map((t) => t.row), leaves: places.leaves(), names }, checkers);
  }
}

const fileError = (fileName: string, reason: string) => new AppError('FIELD_INVALID', `${fileName}: ${reason}`, 'file');

/** The first 64 KiB, for telling the format. */
async function head(file: string): Promise<string> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

