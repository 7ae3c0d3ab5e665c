/**
 * Incremental RFC 4180 CSV scanner. Like the GeoJSON scanners it works on bytes (delimiter, quote, CR
 * and LF are ASCII, so a UTF-8 character split across chunks is never cut into) and keeps only the
 * current row. Quoted fields may hold delimiters, doubled quotes and line breaks; a record's `line`
 * is the line it starts on. Rows end at LF, CRLF or a lone CR. Blank lines are skipped.
 */
import type { RawRecord } from './readers.ts';
import { Skipper } from './skipper.ts';
import { decodePieces, type RecordScanner, type ScanOptions } from './geojson-stream.ts';

export type CsvDelimiter = ',' | ';' | '\t';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const WKT_COLUMNS = ['wkt', 'geometry', 'geom'];
const LON_COLUMNS = ['lon', 'lng', 'longitude', 'x'];
const LAT_COLUMNS = ['lat', 'latitude', 'y'];

/** How a header maps onto records; throws if it has no usable geometry column. */
interface Plan {
  header: string[];
  wkt: number;
  lon: number;
  lat: number;
}

export function planColumns(header: string[]): Plan {
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== '' && seen.has(name)) throw new Error(`CSV: the header names column "${name}" twice`);
    seen.add(name);
  }
  const lower = names.map((h) => h.toLowerCase());
  const find = (candidates: string[]) => {
    for (const c of candidates) {
      const k = lower.indexOf(c);
      if (k >= 0) return k;
    }
    return -1;
  };
  const wkt = find(WKT_COLUMNS);
  const lon = wkt >= 0 ? -1 : find(LON_COLUMNS);
  const lat = wkt >= 0 ? -1 : find(LAT_COLUMNS);
  if (wkt < 0 && (lon < 0 || lat < 0)) {
    throw new Error(
      'CSV: no geometry column; expected a WKT column named "wkt", "geometry" or "geom", ' +
        'or a longitude column ("lon", "lng", "longitude" or "x") with a latitude column ("lat", "latitude" or "y"); ' +
        `found ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  return { header: names, wkt, lon, lat };
}

/** Picks the delimiter that occurs most often (outside quotes) on the first non-blank line. */
export function detectDelimiter(head: Buffer): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let started = false;
  for (const c of head) {
    if (!started && (c === LF || c === CR || c === 0x20 || c === 0x09)) continue;
    started = true;
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (c === LF || c === CR)) break;
    else if (!inQuotes && c === 0x2c) counts[',']++;
    else if (!inQuotes && c === 0x3b) counts[';']++;
    else if (!inQuotes && c === 0x09) counts['\t']++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

const setProp = (o: Record<string, unknown>, k: string, v: unknown) => {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
};

// Parser states.
const F_START = 0; // at the start of a field
const F_UNQUOTED = 1;
const F_QUOTED = 2;
const F_QUOTE = 3; // just read a quote inside a quoted field: a doubled quote or the closing one
const F_CR = 4; // just read a CR ending a row: an LF may follow

const MAX_HEAD_BYTES = 1 << 20;

export interface CsvScanOptions extends ScanOptions {
  header?: string[];
  delimiter?: CsvDelimiter;
  onHeader?: (header: string[], delimiter: CsvDelimiter) => void;
}

export class CsvScanner implements RecordScanner {
  offset: number;
  private line: number;
  private ordinal: number;
  private readonly skipper: Skipper;
  private readonly maxRecordBytes: number;
  private readonly onHeader?: (header: string[], delimiter: CsvDelimiter) => void;
  private plan: Plan | null = null;
  private delimiter: CsvDelimiter | null;
  private delim = 0x2c;
  /** Bytes held back until the first line is complete, to detect the delimiter. */
  private head: Buffer[] | null = null;
  private headBytes = 0;
  private headText = false;
  // the row being read
  private state = F_START;
  private inRow = false;
  private rowLine = 0;
  private fields: string[] = [];
  private pieces: Buffer[] = [];
  private rowBytes = 0;
  private quoted = false;
  private rowError: string | null = null;

  constructor(o: CsvScanOptions) {
    this.offset = o.startOffset;
    this.line = o.startLine;
    this.ordinal = o.startOrdinal;
    this.skipper = new Skipper(o);
    this.maxRecordBytes = o.maxRecordBytes;
    this.onHeader = o.onHeader;
    this.delimiter = o.delimiter ?? null;
    if (o.header) {
      this.plan = planColumns(o.header);
      this.delimiter ??= ',';
    }
    if (this.delimiter) this.delim = this.delimiter.charCodeAt(0);
    else this.head = [];
  }

  push(buf: Buffer, out: RawRecord[]): void {
    if (this.head) {
      this.head.push(buf);
      this.headBytes += buf.length;
      if (this.headBytes < MAX_HEAD_BYTES && !this.headLineEnds(buf)) return;
      this.flushHead(out);
      return;
    }
    this.parse(buf, out);
  }

  /** True once the held-back bytes hold a line break after some non-blank text. */
  private headLineEnds(buf: Buffer): boolean {
    for (const c of buf) {
      if (c === LF || c === CR) {
        if (this.headText) return true;
      } else if (c !== 0x20 && c !== 0x09) this.headText = true;
    }
    return false;
  }

  private flushHead(out: RawRecord[]): void {
    const all = Buffer.concat(this.head!);
    this.head = null;
    this.delimiter = detectDelimiter(all);
    this.delim = this.delimiter.charCodeAt(0);
    this.parse(all, out);
  }

  private parse(buf: Buffer, out: RawRecord[]): void {
    const n = buf.length;
    const delim = this.delim;
    let seg = 0; // start of the current field's bytes in this buffer
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case F_START: {
          if (!this.inRow) {
            this.inRow = true;
            this.rowLine = this.line;
          }
          if (buf[i] === QUOTE) {
            this.state = F_QUOTED;
            this.quoted = true;
            i++;
          } else this.state = F_UNQUOTED;
          seg = i;
          break;
        }
        case F_UNQUOTED: {
          let j = i;
          for (; j < n; j++) {
            const c = buf[j];
            if (c === delim || c === LF || c === CR) break;
          }
          this.keep(buf, seg, j);
          if (j === n) {
            i = n;
            break;
          }
          this.fieldDone();
          i = this.afterField(buf[j], j, out);
          break;
        }
        case F_QUOTED: {
          let j = i;
          let line = this.line;
          for (; j < n; j++) {
            const c = buf[j];
            if (c === QUOTE) break;
            if (c === LF) line++;
          }
          this.line = line;
          this.keep(buf, seg, j);
          if (j === n) {
            i = n;
            break;
          }
          this.state = F_QUOTE;
          i = j + 1;
          break;
        }
        case F_QUOTE: {
          const c = buf[i];
          if (c === QUOTE) {
            // a doubled quote: keep the second one as data
            this.state = F_QUOTED;
            this.keep(buf, i, i + 1);
            seg = ++i;
          } else if (c === delim || c === LF || c === CR) {
            this.fieldDone();
            i = this.afterField(c, i, out);
          } else {
            this.rowError ??= `unexpected text after the closing quote of column ${this.fields.length + 1}`;
            this.state = F_UNQUOTED;
            seg = i;
          }
          break;
        }
        case F_CR: {
          this.line++;
          if (buf[i] === LF) i++;
          this.rowDone(this.offset + i, out);
          break;
        }
      }
    }
    this.offset += n;
  }

  /** After a field ended at byte `c` (delimiter, LF or CR) at index `j`; returns the next index. */
  private afterField(c: number, j: number, out: RawRecord[]): number {
    if (c === this.delim) {
      this.state = F_START;
    } else if (c === LF) {
      this.line++;
      this.rowDone(this.offset + j + 1, out);
    } else {
      this.state = F_CR;
    }
    return j + 1;
  }

  private keep(buf: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.pieces.push(buf.subarray(from, to));
    this.rowBytes += to - from;
    if (this.rowBytes > this.maxRecordBytes) {
      throw new Error(`CSV: the row starting at line ${this.rowLine} is larger than ${this.maxRecordBytes} bytes`);
    }
  }

  private fieldDone(): void {
    this.fields.push(decodePieces(this.pieces));
    this.pieces = [];
  }

  private rowDone(endOffset: number, out: RawRecord[]): void {
    const fields = this.fields;
    const rowError = this.rowError;
    const quoted = this.quoted;
    this.fields = [];
    this.rowBytes = 0;
    this.quoted = false;
    this.rowError = null;
    this.inRow = false;
    this.state = F_START;
    if (fields.length === 1 && !quoted && fields[0].trim() === '') return; // a blank line
    if (!this.plan) {
      this.plan = planColumns(fields);
      this.onHeader?.(this.plan.header, this.delimiter ?? ',');
      return;
    }
    const ordinal = this.ordinal++;
    if (this.skipper.passes(ordinal)) return;
    out.push(this.record(fields, rowError, { line: this.rowLine, ordinal, endOffset, endLine: this.line }));
  }

  private record(fields: string[], rowError: string | null, w: { line: number; ordinal: number; endOffset: number; endLine: number }): RawRecord {
    const bad = (field: string, reason: string): RawRecord => ({ line: w.line, ordinal: w.ordinal, ok: false, field, reason, endOffset: w.endOffset, endLine: w.endLine });
    const { header, wkt, lon, lat } = this.plan!;
    if (fields.length !== header.length) return bad('row', `expected ${header.length} columns, found ${fields.length}`);
    if (rowError) return bad('row', rowError);
    let geometry: { wkt: string } | { lon: string; lat: string };
    if (wkt >= 0) {
      if (fields[wkt].trim() === '') return bad(header[wkt], 'missing geometry');
      geometry = { wkt: fields[wkt] };
    } else {
      if (fields[lon].trim() === '') return bad(header[lon], 'missing longitude');
      if (fields[lat].trim() === '') return bad(header[lat], 'missing latitude');
      geometry = { lon: fields[lon], lat: fields[lat] };
    }
    const properties: Record<string, unknown> = {};
    for (let k = 0; k < header.length; k++) {
      if (k === wkt || k === lon || k === lat || header[k] === '' || fields[k] === '') continue;
      setProp(properties, header[k], fields[k]);
    }
    return { line: w.line, ordinal: w.ordinal, ok: true, properties, geometry, endOffset: w.endOffset, endLine: w.endLine };
  }

  end(out: RawRecord[]): void {
    if (this.head) this.flushHead(out);
    switch (this.state) {
      case F_QUOTED: {
        if (!this.plan) throw new Error(`CSV: unterminated quoted field in the header (line ${this.rowLine})`);
        const ordinal = this.ordinal++;
        if (!this.skipper.passes(ordinal)) out.push({ line: this.rowLine, ordinal, ok: false, field: 'row', reason: `unterminated quoted field starting on line ${this.rowLine}`, endOffset: this.offset, endLine: this.line });
        break;
      }
      case F_CR:
        this.line++;
        this.rowDone(this.offset, out);
        break;
      case F_START:
        if (!this.inRow) break;
      // a row ending in a delimiter: its last field is empty
      // falls through
      case F_UNQUOTED:
      case F_QUOTE:
        this.fieldDone();
        this.rowDone(this.offset, out);
        break;
    }
    if (!this.plan) throw new Error('CSV: the file is empty; a header row is required');
  }
}
