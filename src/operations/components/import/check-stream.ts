// Reading and checking an import file, batch by batch, in this thread or in a worker thread.
//
// Why a worker: for a big file the importing thread spends about as long reading and checking rows
// (JSON parsing, geometry and schema checks, locating) as writing them. A worker does the first half
// while this thread writes the previous batch, so the two overlap; the database work stays here, on
// the one connection that holds the transaction. Small files are checked here: starting a worker
// costs ~0.3 s.
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../../platform/workers/run.ts';
import type { MultiPolygon } from '../../../jurisdictions/geo/polygon.ts';
import type { TypeRow } from '../component.schema.ts';
import { RowChecker, type CheckedItem, type RowCheckContext } from './row-check.ts';
import { readRecords, type CsvDelimiter, type ImportFormat, type RawRecord, type ReadOptions } from './readers.ts';

/** Checked records and where the last one ended (the checkpoint a commit of the batch moves to). */
export interface CheckedBatch {
  items: CheckedItem[];
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

/** Reads and checks in this thread. */
export async function* checkHere(src: CheckSource, checker: RowChecker): AsyncGenerator<CheckedBatch> {
  let csv: CheckedBatch['csv'];
  const stream = fs.createReadStream(src.filePath, { start: src.read.startOffset ?? 0, highWaterMark: 1 << 20 });
  const records = readRecords(stream, src.format, { ...src.read, onCsvHeader: (header, delimiter) => (csv = { header, delimiter }) });
  try {
    let items: CheckedItem[] = [];
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
      items.push(checker.check(last));
      if (items.length < src.batchSize) continue;
      yield { items, last: where(last), csv };
      items = [];
    }
    if (items.length) yield { items, last: where(last!), csv };
  } finally {
    await records.return(undefined).catch(() => undefined);
    stream.destroy();
  }
}

const where = (r: RawRecord): CheckedBatch['last'] => ({ line: r.line, ordinal: r.ordinal, endOffset: r.endOffset, endLine: r.endLine });

/** What the worker needs to check rows exactly as this thread would. */
export interface WorkerInput {
  source: CheckSource;
  format: ImportFormat;
  scopeCode: string;
  types: TypeRow[];
  /** The jurisdiction tree's leaves, for locating (the worker builds its own index). */
  leaves: Array<{ code: string; geometry: MultiPolygon }>;
  /** Names of districts and streets (and the job's jurisdiction), for out-of-jurisdiction messages. */
  names: Array<[string, string]>;
}

export type WorkerMessage =
  | { type: 'batch'; batch: CheckedBatch }
  | { type: 'end' }
  | { type: 'fileProblem'; message: string }
  | { type: 'failed'; message: string };

/** Batches the worker may have checked ahead of the writes: enough to keep both threads busy. */
export const AHEAD = 2;

/** Reads and checks in a worker thread; this thread acknowledges each batch it takes. */
export async function* checkInWorker(input: WorkerInput): AsyncGenerator<CheckedBatch> {
  const worker: Worker = startWorker(new URL('./check.worker.ts', import.meta.url), input);
  const inbox: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  const arrive = (m: WorkerMessage) => {
    inbox.push(m);
    wake?.();
  };
  worker.on('message', arrive);
  worker.on('error', (err) => arrive({ type: 'failed', message: err.message }));
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      const m = inbox.shift();
      if (!m) {
        if (exited) throw new Error('the import worker stopped unexpectedly');
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      if (m.type === 'end') return;
      if (m.type === 'fileProblem') throw new FileProblem(m.message);
      if (m.type === 'failed') throw new Error(m.message);
      yield m.batch;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

/** The checks' context from a worker's input (in the worker). */
export function workerContext(input: WorkerInput, types: RowCheckContext['types'], locate: RowCheckContext['locate']): RowCheckContext {
  const names = new Map(input.names);
  return { types, locate, format: input.format, scopeCode: input.scopeCode, nameOf: (code) => names.get(code) };
}
