/**
 * Streaming record readers for importing city components from GeoJSON FeatureCollections,
 * newline-delimited GeoJSON and CSV. Files may be many gigabytes: the input is read chunk by chunk
 * and only the record being read is held in memory. Every record carries where it came from (`line`,
 * `ordinal`) and where it ends (`endOffset`, `endLine`), so an interrupted import can resume at a
 * record boundary: `fs.createReadStream(path, { start: last.endOffset })` read with
 * `resumeOptions(last, …)`.
 */
import { CsvScanner, type CsvDelimiter } from './csv.ts';
import { Skipper } from './skipper.ts';
import { FeatureCollectionScanner, decodePieces, parseRecord, type RecordScanner, type ScanOptions, type Where } from './geojson-stream.ts';

export type { CsvDelimiter } from './csv.ts';

export type ImportFormat = 'geojson' | 'ndjson' | 'csv';

interface RecordEnd {
  /** Byte offset in the file just after the record (after its line break for NDJSON and CSV). */
  endOffset?: number;
  /** Line number at `endOffset`: what to pass as `startLine` when resuming there. */
  endLine?: number;
}

export type RawRecord =
  | ({
      /** 1-based line on which the record starts. */
      line: number;
      /** 0-based index among the file's records (blank lines and the CSV header are not records). */
      ordinal: number;
      ok: true;
      properties: Record<string, unknown>;
      /** A GeoJSON geometry object; for CSV `{ wkt }` or `{ lon, lat }` as found (strings). */
      geometry: unknown;
      /** The GeoJSON Feature's `id`, when it has one. */
      id?: string | number;
    } & RecordEnd)
  | ({ line: number; ordinal: number; ok: false; field: string; reason: string } & RecordEnd);

export interface ReadOptions {
  /** Records to read but not yield (GeoJSON and NDJSON records skipped this way are not parsed). */
  skip?: number;
  /** Then only the records (by ordinal) this accepts are parsed and yielded; the rest are read past as `skip` does. */
  want?: (ordinal: number) => boolean;
  /** Byte offset in the file at which the stream starts (the `start` given to createReadStream). */
  startOffset?: number;
  /** Line number at `startOffset` (default 1). */
  startLine?: number;
  /** Ordinal of the first record in the stream (default 0). */
  startOrdinal?: number;
  /** GeoJSON FeatureCollection: the stream starts inside the `features` array, at a record boundary. */
  insideFeatures?: boolean;
  /** CSV: the header, when the stream starts after it (resuming). */
  csvHeader?: string[];
  /** CSV: the delimiter; detected from the header line when the header is read from the stream, ',' otherwise. */
  csvDelimiter?: CsvDelimiter;
  /** CSV: called with the header (trimmed) and delimiter once they have been read; keep them to resume later. */
  onCsvHeader?: (header: string[], delimiter: CsvDelimiter) => void;
  /** Largest single record (feature, line or row) in bytes; a bigger one throws. Default 256 MiB. */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * The format from the file name and its first bytes. `.geojson`/`.json` is a FeatureCollection unless
 * its first line is a complete Feature (then it is NDJSON); `.ndjson`/`.geojsonl`/`.jsonl`/`.geojsons`
 * is NDJSON; `.csv`/`.tsv` is CSV. Other names are judged by content alone.
 */
export function detectFormat(fileName: string, firstBytes: string): ImportFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';
  if (ext === 'ndjson' || ext === 'geojsonl' || ext === 'jsonl' || ext === 'geojsons') return 'ndjson';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  const text = firstBytes.replace(/^\uFEFF/, '');
  const start = text.search(/\S/);
  const first = start < 0 ? '' : text[start];
  if (first === '\u001e') return 'ndjson'; // RFC 8142 GeoJSON text sequence
  if (first !== '{') return ext === 'geojson' || ext === 'json' || first === '[' ? 'geojson' : 'csv';
  return startsWithFeatureLine(text.slice(start)) ? 'ndjson' : 'geojson';
}

function startsWithFeatureLine(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) {
    // The first line is longer than what we were shown. A FeatureCollection never opens with a
    // Feature's "type", so a line that does is one Feature per line.
    return /^\{\s*"type"\s*:\s*"Feature"\s*[,}]/.test(text);
  }
  try {
    const v: unknown = JSON.parse(text.slice(0, nl));
    return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Feature';
  } catch {
    return false; // pretty-printed JSON: a FeatureCollection (the reader says so if it is not)
  }
}

/**
 * Reads records one at a time. Throws (from the iteration) on a structural error that makes the rest
 * of the file unreadable: not a FeatureCollection, no CSV header or geometry column, a truncated
 * FeatureCollection, a record larger than `maxRecordBytes`.
 */
export async function* readRecords(input: NodeJS.ReadableStream, format: ImportFormat, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  const scanner = makeScanner(format, opts);
  const out: RawRecord[] = [];
  // A UTF-8 BOM is stripped at the start of the file (and only there); it may arrive split.
  let head: Buffer | null = (opts.startOffset ?? 0) === 0 ? Buffer.alloc(0) : null;
  for await (const chunk of input) {
    let buf = toBuffer(chunk);
    if (head) {
      buf = head.length ? Buffer.concat([head, buf]) : buf;
      if (buf.length < 3 && BOM.subarray(0, buf.length).equals(buf)) {
        head = buf;
        continue;
      }
      head = null;
      if (buf.subarray(0, 3).equals(BOM)) {
        scanner.offset += 3;
        buf = buf.subarray(3);
      }
    }
    scanner.push(buf, out);
    if (out.length) {
      const batch = out.splice(0);
      yield* batch;
    }
  }
  if (head?.length) scanner.push(head, out);
  scanner.end(out);
  yield* out;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function toBuffer(chunk: string | Buffer | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function makeScanner(format: ImportFormat, opts: ReadOptions): RecordScanner {
  const o: ScanOptions = {
    startOffset: opts.startOffset ?? 0,
    startLine: opts.startLine ?? 1,
    startOrdinal: opts.startOrdinal ?? 0,
    skip: opts.skip ?? 0,
    maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  };
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isSafeInteger(v) || v < (k === 'startLine' || k === 'maxRecordBytes' ? 1 : 0)) throw new Error(`readRecords: invalid ${k} ${v}`);
  }
  o.want = opts.want;
  switch (format) {
    case 'geojson':
      if (o.startOffset > 0 && !opts.insideFeatures) throw new Error('readRecords: resuming a FeatureCollection from a byte offset needs insideFeatures: true');
      return new FeatureCollectionScanner({ ...o, insideFeatures: opts.insideFeatures ?? false });
    case 'ndjson':
      return new NdjsonScanner(o);
    case 'csv':
      if (o.startOffset > 0 && !opts.csvHeader) throw new Error('readRecords: resuming a CSV file from a byte offset needs csvHeader');
      return new CsvScanner({ ...o, header: opts.csvHeader, delimiter: opts.csvDelimiter, onHeader: opts.onCsvHeader });
    default:
      throw new Error(`readRecords: unknown format ${String(format)}`);
  }
}

/**
 * Options to read the rest of a file after `last`, a record yielded earlier, from a stream opened with
 * `fs.createReadStream(path, { start: last.endOffset })`. For CSV pass the header and delimiter that
 * `onCsvHeader` reported; `insideFeatures` only matters to GeoJSON FeatureCollections.
 */
export function resumeOptions(last: RawRecord, csv?: { csvHeader: string[]; csvDelimiter?: CsvDelimiter }): ReadOptions & { startOffset: number } {
  if (last.endOffset === undefined || last.endLine === undefined) throw new Error('resumeOptions: the record has no endOffset/endLine');
  return { startOffset: last.endOffset, startLine: last.endLine, startOrdinal: last.ordinal + 1, insideFeatures: true, ...csv };
}

const LF = 0x0a;
const RS = 0x1e; // RFC 8142 record separator (GeoJSON text sequences)

/**
 * A line of nothing but whitespace after an optional leading RS, as `trim()` judges it, looked at
 * byte by byte: a skipped line is then never decoded. Non-ASCII bytes (U+3000, U+FEFF…) decide by
 * decoding.
 */
function blank(pieces: Buffer[]): boolean {
  let first = true;
  for (const p of pieces) {
    for (let i = 0; i < p.length; i++) {
      const c = p[i]!;
      if (first && c === RS) {
        first = false;
        continue;
      }
      first = false;
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
      if (c < 0x80) return false;
      let text = decodePieces(pieces);
      if (text.charCodeAt(0) === RS) text = text.slice(1);
      return text.trim() === '';
    }
  }
  return true;
}

/** One GeoJSON Feature per line; blank lines are ignored, a leading RS (RFC 8142) is tolerated. */
class NdjsonScanner implements RecordScanner {
  offset: number;
  private line: number;
  private ordinal: number;
  private readonly skipper: Skipper;
  private readonly maxRecordBytes: number;
  private pieces: Buffer[] = [];
  private bytes = 0;

  constructor(o: ScanOptions) {
    this.offset = o.startOffset;
    this.line = o.startLine;
    this.ordinal = o.startOrdinal;
    this.skipper = new Skipper(o);
    this.maxRecordBytes = o.maxRecordBytes;
  }

  push(buf: Buffer, out: RawRecord[]): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      const nl = buf.indexOf(LF, i);
      const to = nl === -1 ? n : nl;
      if (to > i) {
        this.pieces.push(buf.subarray(i, to));
        this.bytes += to - i;
        if (this.bytes > this.maxRecordBytes) throw new Error(`NDJSON: line ${this.line} is longer than ${this.maxRecordBytes} bytes`);
      }
      if (nl === -1) break;
      this.lineDone(this.offset + nl + 1, 1, out);
      i = nl + 1;
    }
    this.offset += n;
  }

  private lineDone(endOffset: number, newlines: number, out: RawRecord[]): void {
    const pieces = this.pieces;
    this.pieces = [];
    this.bytes = 0;
    const line = this.line;
    this.line += newlines;
    if (blank(pieces)) return;
    const w: Where = { line, ordinal: this.ordinal++, endOffset, endLine: this.line };
    if (this.skipper.passes(w.ordinal)) return; // read past: not even decoded
    let text = decodePieces(pieces);
    if (text.charCodeAt(0) === RS) text = text.slice(1);
    out.push(parseRecord(text, 'line', w));
  }

  end(out: RawRecord[]): void {
    if (this.bytes > 0) this.lineDone(this.offset, 0, out);
  }
}
