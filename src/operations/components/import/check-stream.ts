// Reading and checking an import file, batch by batch, in this thread or in a worker thread.
//
// Why a worker: for a big file the importing thread spends about as long reading and checking rows
// (JSON parsing, geometry and schema checks, locating) as writing them. A worker does the first half
// while this thread writes the previous batch, so the two overlap; the database work stays here, on
// the one connection that holds the transaction. Small files are checked here: starting a worker
// costs ~0.3 s.
import fs from 'node:fs';
import { startWorker } from '../../../platform/workers/run.ts';
import type { MultiPolygon } from '../../../jurisdictions/geo/polygon.ts';
import type { TypeRow } from '../component.schema.ts';
import { pack, type PackedRow } from '../component.bulk.ts';
import type { RowError } from './import.schema.ts';
import { RowChecker, type CheckedItem, type RowCheckContext } from './row-check.ts';
import { readRecords, type CsvDelimiter, type ImportFormat, type RawRecord, type ReadOptions } from './readers.ts';

/** Checked records and where the last one ended (the checkpoint a commit of the batch moves to). */
export interface CheckedBatch {
  /** The rows that passed, packed (component.bulk.ts says why), in file order. */
  rows: PackedRow[];
  /** Each row's line, its record's ordinal in the file, and its type's owning sector (for the default owner). */
  lines: number[];
  ordinals: number[];
  sectors: Array<string | null>;
  /** The fields each row leaves blank (blanks.ts): a component it updates keeps them. */
  blanks: number[];
  /** The refused records' error-file rows and their records' ordinals, in file order. */
  errors: RowError[];
  errorOrdinals: number[];
  last: Pick<RawRecord, 'line' | 'ordinal' | 'endOffset' | 'endLine'>;
  /** CSV: the header and delimiter, once read (a resumed read needs them). */
  csv?: { header: string[]; delimiter: CsvDelimiter };
}

/** The file itself is unusable (not a FeatureCollection, no geometry columns, truncated…). */
export class FileProblem extends Error {}

export interface CheckSource {
  filePath: string;
  format: ImportFormat;
  read: Omit<ReadOptions, 'onCsvHeader'>;
  batchSize: number;
}

/** Of every `of` batches, this reader checks the `index`-th (0-based): several workers share a file. */
export interface Share {
  of: number;
  index: number;
}

/**
 * Reads and checks in this thread: every batch, or with `share` only its own batches (the other
 * records are read past unparsed). Batches are `batchSize` records counted from the read's start,
 * so every sharer cuts the file at the same records.
 */
export async function* checkHere(src: CheckSource, checker: RowChecker, share?: Share): AsyncGenerator<CheckedBatch> {
  let csv: CheckedBatch['csv'];
  const stream = fs.createReadStream(src.filePath, { start: src.read.startOffset ?? 0, highWaterMark: 1 << 20 });
  const first = src.read.startOrdinal ?? 0;
  const want = share && share.of > 1 ? (ordinal: number) => Math.floor((ordinal - first) / src.batchSize) % share.of === share.index : undefined;
  const records = readRecords(stream, src.format, { ...src.read, want, onCsvHeader: (header, delimiter) => (csv = { header, delimiter }) });
  try {
    let batch = emptyBatch();
    let inBatch = 0;
    let last: RawRecord | null = null;
    for (;;) {
      let next: IteratorResult<RawRecord>;
      try {
        next = await records.next();
      } catch (err) {
        throw new FileProblem((err as Error).message);
      }
      if (next.done) break;
      last = next.value;
      add(batch, checker.check(last), last.ordinal);
      if (++inBatch < src.batchSize) continue;
      yield { ...batch, last: where(last), csv };
      batch = emptyBatch();
      inBatch = 0;
    }
    if (inBatch) yield { ...batch, last: where(last!), csv };
  } finally {
    await records.return(undefined).catch(() => undefined);
    stream.destroy();
  }
}

const emptyBatch = (): Omit<CheckedBatch, 'last' | 'csv'> => ({ rows: [], lines: [], ordinals: [], sectors: [], blanks: [], errors: [], errorOrdinals: [] });

function add(b: ReturnType<typeof emptyBatch>, item: CheckedItem, ordinal: number): void {
  if (!item.ok) {
    b.errors.push(item.error);
    b.errorOrdinals.push(ordinal);
    return;
  }
  b.rows.push(pack(item.row));
  b.lines.push(item.line);
  b.ordinals.push(ordinal);
  b.sectors.push(item.sector);
  b.blanks.push(item.blanks);
}

const where = (r: RawRecord): CheckedBatch['last'] => ({ line: r.line, ordinal: r.ordinal, endOffset: r.endOffset, endLine: r.endLine });

/** What the worker needs to check rows exactly as this thread would. */
export interface WorkerInput {
  source: CheckSource;
  /** The worker's part of the batches. */
  share: Share;
  format: ImportFormat;
  scopeCode: string;
  types: TypeRow[];
  /** The jurisdiction tree's leaves, for locating (the worker builds its own index). */
  leaves: Array<{ code: string; geometry: MultiPolygon }>;
  /** Names of districts and streets (and the job's jurisdiction), for out-of-jurisdiction messages. */
  names: Array<[string, string]>;
  /** Parts the worker may have checked ahead of the writes. */
  ahead: number;
}

export type WorkerMessage =
  | { type: 'batch'; batch: CheckedBatch }
  | { type: 'end' }
  | { type: 'fileProblem'; message: string }
  | { type: 'failed'; message: string };

/** Batches the workers may have checked ahead of the writes: enough to keep both threads busy. */
const AHEAD = 2;

/**
 * Rows a worker hands over at a time. Its batch is handed over in parts of about this many: the
 * rows of a whole 5,000-row batch, held until the batch was complete, outlived the worker's
 * young-generation collections and were copied and promoted (a fifth of its time went to the
 * collector); parts die young.
 */
const PART_ROWS = 1000;

/**
 * How many equal parts a batch of `size` rows is handed over in: about PART_ROWS rows each, and
 * exactly `size` in all, so that a transaction still holds the batch size asked for (one part
 * when no near count divides it).
 */
export function partsOf(size: number): number {
  const least = Math.max(1, Math.ceil(size / PART_ROWS));
  for (let parts = least; parts <= 2 * least; parts++) if (size % parts === 0) return parts;
  return 1;
}

/**
 * Reads and checks in `workers` worker threads that take turns by part of a batch (part p is
 * worker p mod n's); this thread takes the parts in file order, acknowledges each to its worker and
 * joins them into batches of the source's size. Each worker reads the whole file but parses and
 * checks only its own parts, so checking (the costly half) spreads over the cores while the writes
 * stay on this thread's connection.
 */
export async function* checkInWorker(input: Omit<WorkerInput, 'share' | 'ahead'>, workers = 1): AsyncGenerator<CheckedBatch> {
  const n = Math.max(1, Math.floor(workers));
  const parts = partsOf(input.source.batchSize);
  const source = { ...input.source, batchSize: input.source.batchSize / parts };
  let wake: (() => void) | null = null;
  const lanes = Array.from({ length: n }, (_, index) => {
    const workerInput: WorkerInput = { ...input, source, share: { of: n, index }, ahead: Math.ceil((AHEAD * parts) / n) };
    const lane = { worker: startWorker(new URL('./check.worker.ts', import.meta.url), workerInput), inbox: [] as WorkerMessage[], exited: false };
    const arrive = (m: WorkerMessage) => {
      lane.inbox.push(m);
      wake?.();
    };
    lane.worker.on('message', arrive);
    lane.worker.on('error', (err) => arrive({ type: 'failed', message: err.message }));
    lane.worker.on('exit', () => {
      lane.exited = true;
      wake?.();
    });
    return lane;
  });
  /** The next part in file order, or null at the end of the file. */
  let p = 0;
  let ended = false;
  const nextPart = async (): Promise<CheckedBatch | null> => {
    if (ended) return null;
    const lane = lanes[p % n]!;
    let m: WorkerMessage | undefined;
    while (!(m = lane.inbox.shift())) {
      if (lane.exited) throw new Error('the import worker stopped unexpectedly');
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    // The part's own worker has no part p: the file has no more.
    if (m.type === 'end') {
      ended = true;
      return null;
    }
    if (m.type === 'fileProblem') throw new FileProblem(m.message);
    if (m.type === 'failed') throw new Error(m.message);
    lane.worker.postMessage('ack');
    p++;
    return m.batch;
  };
  try {
    for (;;) {
      const first = await nextPart();
      if (!first) return;
      const batch = first;
      for (let k = 1; k < parts; k++) {
        const part = await nextPart();
        if (!part) break;
        batch.rows.push(...part.rows);
        batch.lines.push(...part.lines);
        batch.ordinals.push(...part.ordinals);
        batch.sectors.push(...part.sectors);
        batch.blanks.push(...part.blanks);
        batch.errors.push(...part.errors);
        batch.errorOrdinals.push(...part.errorOrdinals);
        batch.last = part.last;
        batch.csv = part.csv;
      }
      yield batch;
    }
  } finally {
    await Promise.all(lanes.map((l) => l.worker.terminate()));
  }
}

/** The checks' context from a worker's input (in the worker). */
export function workerContext(input: WorkerInput, types: RowCheckContext['types'], locate: RowCheckContext['locate']): RowCheckContext {
  const names = new Map(input.names);
  return { types, locate, format: input.format, scopeCode: input.scopeCode, nameOf: (code) => names.get(code) };
}
