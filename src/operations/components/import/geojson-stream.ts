/**
 * Incremental GeoJSON FeatureCollection scanner: finds each element of the top-level `features`
 * array without parsing the rest of the file, plus what all the scanners share. It works on raw bytes:
 * every byte that matters to the structure (braces, brackets, quotes, backslash, comma, colon,
 * newline) is ASCII, and no byte of a multi-byte UTF-8 sequence is below 0x80, so scanning bytes is
 * exact, a character split across two chunks needs no special care, and offsets are true byte offsets. Only one record's bytes are held at a time; they are decoded and
 * `JSON.parse`d once the record is complete.
 */
import { Skipper } from './skipper.ts';
import type { RawRecord } from './readers.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** Bytes that matter inside a JSON value: all others are skipped with one lookup. */
const INTERESTING = new Uint8Array(256);
for (const c of [LF, QUOTE, BACKSLASH, LBRACE, RBRACE, LBRACKET, RBRACKET]) INTERESTING[c] = 1;

const isWs = (c: number) => c === 0x20 || c === LF || c === CR || c === 0x09;

export interface ScanOptions {
  startOffset: number;
  startLine: number;
  startOrdinal: number;
  skip: number;
  maxRecordBytes: number;
  /** Records (by ordinal) to read past without parsing or yielding, as `skip` does for a prefix. */
  want?: (ordinal: number) => boolean;
}


/** What every scanner (FeatureCollection, NDJSON, CSV) offers the driver in readers.ts. */
export interface RecordScanner {
  /** Absolute byte offset of the next byte `push` will see (the driver adds a stripped BOM to it). */
  offset: number;
  push(buf: Buffer, out: RawRecord[]): void;
  end(out: RawRecord[]): void;
}

export function decodePieces(pieces: Buffer[]): string {
  if (pieces.length === 0) return '';
  if (pieces.length === 1) return pieces[0].toString('utf8');
  return Buffer.concat(pieces).toString('utf8');
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Where = { line: number; ordinal: number; endOffset: number; endLine: number };

/** Turns one parsed JSON value into a record: a Feature with a geometry, or the reason it is not. */
export function featureRecord(value: unknown, w: Where): RawRecord {
  const bad = (field: string, reason: string): RawRecord => ({ line: w.line, ordinal: w.ordinal, ok: false, field, reason, endOffset: w.endOffset, endLine: w.endLine });
  if (!isObject(value)) return bad('type', `expected a GeoJSON Feature object, found ${describe(value)}`);
  const type = value.type;
  if (type !== 'Feature') {
    if (typeof type === 'string' && GEOMETRY_TYPES.has(type)) return bad('type', `found a bare ${type} geometry; expected a Feature with "geometry" and "properties"`);
    if (type === 'FeatureCollection') return bad('type', 'found a FeatureCollection; expected a single Feature');
    return bad('type', type === undefined ? 'missing "type": "Feature"' : `expected "type": "Feature", found ${JSON.stringify(type)}`);
  }
  const geometry = value.geometry;
  if (geometry === undefined || geometry === null) return bad('geometry', 'missing geometry');
  if (!isObject(geometry) || typeof geometry.type !== 'string') return bad('geometry', 'geometry must be a GeoJSON geometry object with a "type"');
  const props = value.properties;
  if (props !== undefined && props !== null && !isObject(props)) return bad('properties', `properties must be an object, found ${describe(props)}`);
  const id = typeof value.id === 'string' || typeof value.id === 'number' ? { id: value.id } : {};
  return { line: w.line, ordinal: w.ordinal, ok: true, properties: props ?? {}, geometry, ...id, endOffset: w.endOffset, endLine: w.endLine };
}

export function parseRecord(text: string, field: string, w: Where): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { line: w.line, ordinal: w.ordinal, ok: false, field, reason: `invalid JSON: ${(e as Error).message}`, endOffset: w.endOffset, endLine: w.endLine };
  }
  return featureRecord(value, w);
}

// FeatureCollection scanner states.
const S_ROOT = 0; // before the top-level '{'
const S_FIRST_KEY = 1; // after '{': a key or '}'
const S_KEY = 2; // after ',': a key
const S_IN_KEY = 3;
const S_COLON = 4;
const S_MEMBER = 5; // before a member's value
const S_IN_MEMBER = 6;
const S_AFTER_MEMBER = 7; // ',' or '}'
const S_FIRST_FEATURE = 8; // after '[': an element or ']'
const S_FEATURE = 9; // after ',': an element
const S_IN_FEATURE = 10;
const S_AFTER_FEATURE = 11; // ',' or ']'
const S_DONE = 12; // only whitespace may follow
const S_RESUME = 13; // resumed inside the features array: ',' ']' or an element

// Kinds of JSON value being scanned.
const V_CONTAINER = 1;
const V_STRING = 2;
const V_PRIMITIVE = 3;

const MAX_MEMBER_BYTES = 1 << 20;

export class FeatureCollectionScanner implements RecordScanner {
  offset: number;
  private line: number;
  private ordinal: number;
  private readonly skipper: Skipper;
  private readonly maxRecordBytes: number;
  private state: number;
  private sawFeatures: boolean;
  private type: unknown = undefined;
  private key = '';
  // the value being scanned
  private vKind = 0;
  private vDepth = 0;
  private vInStr = false;
  private vEsc = false;
  private vCapture = false;
  private vPieces: Buffer[] = [];
  private vBytes = 0;
  private vLine = 0;

  constructor(o: ScanOptions & { insideFeatures: boolean }) {
    this.offset = o.startOffset;
    this.line = o.startLine;
    this.ordinal = o.startOrdinal;
    this.skipper = new Skipper(o);
    this.maxRecordBytes = o.maxRecordBytes;
    this.state = o.insideFeatures ? S_RESUME : S_ROOT;
    this.sawFeatures = o.insideFeatures;
  }

  private fail(msg: string): never {
    throw new Error(`GeoJSON: ${msg} (line ${this.line})`);
  }

  private skipWs(buf: Buffer, i: number): number {
    for (const n = buf.length; i < n; i++) {
      const c = buf[i];
      if (c === LF) this.line++;
      else if (c !== 0x20 && c !== CR && c !== 0x09) break;
    }
    return i;
  }

  private startValue(buf: Buffer, i: number, capture: boolean): number {
    const c = buf[i];
    this.vCapture = capture;
    this.vPieces = [];
    this.vBytes = 0;
    this.vLine = this.line;
    this.vInStr = false;
    this.vEsc = false;
    this.vDepth = 0;
    if (c === LBRACE || c === LBRACKET) this.vKind = V_CONTAINER;
    else if (c === QUOTE) this.vKind = V_STRING;
    else if (c === COMMA || c === COLON || c === RBRACE || c === RBRACKET) this.fail(`unexpected '${String.fromCharCode(c)}'`);
    else this.vKind = V_PRIMITIVE;
    if (this.vKind === V_STRING) {
      this.vInStr = true;
      this.keep(buf, i, i + 1);
      return i + 1;
    }
    return i;
  }

  private keep(buf: Buffer, from: number, to: number) {
    if (!this.vCapture || to <= from) return;
    this.vPieces.push(buf.subarray(from, to));
    this.vBytes += to - from;
    if (this.vBytes > this.maxRecordBytes) {
      this.fail(`the value starting at line ${this.vLine} is larger than ${this.maxRecordBytes} bytes`);
    }
  }

  /** Scans on from `i`; returns the index just after the value, or -1 if the buffer ran out first. */
  private scanValue(buf: Buffer, i: number): number {
    const n = buf.length;
    const from = i;
    let end = -1;
    if (this.vKind === V_PRIMITIVE) {
      for (; i < n; i++) {
        const c = buf[i];
        if (c === COMMA || c === RBRACE || c === RBRACKET || isWs(c)) {
          end = i;
          break;
        }
      }
    } else {
      let depth = this.vDepth;
      let inStr = this.vInStr;
      let esc = this.vEsc;
      let line = this.line;
      if (esc && i < n) {
        // the byte after a backslash that ended the previous chunk
        esc = false;
        if (buf[i] === LF) line++;
        i++;
      }
      for (; i < n; i++) {
        const c = buf[i];
        if (INTERESTING[c] === 0) continue;
        if (inStr) {
          if (c === BACKSLASH) {
            // skip the escaped byte (all escapes are one ASCII byte after the backslash)
            if (i + 1 === n) esc = true;
            else if (buf[++i] === LF) line++;
          } else if (c === QUOTE) {
            inStr = false;
            if (depth === 0) {
              end = i + 1;
              break;
            }
          } else if (c === LF) line++;
        } else if (c === QUOTE) inStr = true;
        else if (c === LBRACE || c === LBRACKET) depth++;
        else if (c === RBRACE || c === RBRACKET) {
          if (--depth === 0) {
            end = i + 1;
            break;
          }
        } else if (c === LF) line++;
      }
      this.vDepth = depth;
      this.vInStr = inStr;
      this.vEsc = esc;
      this.line = line;
    }
    this.keep(buf, from, end === -1 ? n : end);
    return end;
  }

  push(buf: Buffer, out: RawRecord[]): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_IN_MEMBER:
        case S_IN_KEY:
        case S_IN_FEATURE: {
          const end = this.scanValue(buf, i);
          if (end === -1) {
            i = n;
            break;
          }
          i = end;
          this.valueDone(end, out);
          break;
        }
        default: {
          i = this.skipWs(buf, i);
          if (i < n) i = this.structural(buf, i);
        }
      }
    }
    this.offset += n;
  }

  /** Handles the non-whitespace byte at `i` in a state between values; returns the next index. */
  private structural(buf: Buffer, i: number): number {
    const c = buf[i];
    const ch = String.fromCharCode(c);
    switch (this.state) {
      case S_ROOT:
        if (c === LBRACE) {
          this.state = S_FIRST_KEY;
          return i + 1;
        }
        if (c === LBRACKET) this.fail('the file is a JSON array, not a FeatureCollection; one Feature per line would be NDJSON');
        return this.fail(`expected a FeatureCollection object, found '${ch}'`);
      case S_FIRST_KEY:
      case S_KEY:
        if (c === QUOTE) {
          this.state = S_IN_KEY;
          return this.startValue(buf, i, true);
        }
        if (c === RBRACE && this.state === S_FIRST_KEY) return this.rootDone(i);
        return this.fail(`expected a member name, found '${ch}'`);
      case S_COLON:
        if (c !== COLON) this.fail(`expected ':' after "${this.key}", found '${ch}'`);
        this.state = S_MEMBER;
        return i + 1;
      case S_MEMBER:
        if (this.key === 'features') {
          if (c !== LBRACKET) this.fail(`"features" must be an array, found '${ch}'`);
          this.sawFeatures = true;
          this.state = S_FIRST_FEATURE;
          return i + 1;
        }
        this.state = S_IN_MEMBER;
        return this.startValue(buf, i, this.key === 'type');
      case S_AFTER_MEMBER:
        if (c === COMMA) {
          this.state = S_KEY;
          return i + 1;
        }
        if (c === RBRACE) return this.rootDone(i);
        return this.fail(`expected ',' or '}' after the value of "${this.key}", found '${ch}'`);
      case S_RESUME:
      case S_AFTER_FEATURE:
        if (c === COMMA) {
          this.state = S_FEATURE;
          return i + 1;
        }
        if (c === RBRACKET) return this.featuresDone(i);
        if (this.state === S_RESUME) return this.startFeature(buf, i);
        return this.fail(`expected ',' or ']' after a feature, found '${ch}'`);
      case S_FIRST_FEATURE:
      case S_FEATURE:
        if (c === RBRACKET) return this.featuresDone(i); // also tolerates a trailing comma
        return this.startFeature(buf, i);
      case S_DONE:
        return this.fail(`unexpected '${ch}' after the end of the FeatureCollection`);
      default:
        throw new Error(`GeoJSON scanner: bad state ${this.state}`);
    }
  }

  private rootDone(i: number): number {
    if (!this.sawFeatures) this.fail('not a FeatureCollection: no "features" array');
    if (this.type !== undefined && this.type !== 'FeatureCollection') this.fail(`not a FeatureCollection: "type" is ${JSON.stringify(this.type)}`);
    this.state = S_DONE;
    return i + 1;
  }

  private featuresDone(i: number): number {
    this.key = 'features';
    this.state = S_AFTER_MEMBER;
    return i + 1;
  }

  private startFeature(buf: Buffer, i: number): number {
    this.state = S_IN_FEATURE;
    return this.startValue(buf, i, !this.skipper.passes(this.ordinal));
  }

  private valueDone(end: number, out: RawRecord[]): void {
    if (this.state === S_IN_KEY) {
      try {
        this.key = JSON.parse(decodePieces(this.vPieces)) as string;
      } catch (e) {
        this.fail(`invalid member name: ${(e as Error).message}`);
      }
      this.state = S_COLON;
    } else if (this.state === S_IN_MEMBER) {
      if (this.key === 'type') {
        if (this.vBytes > MAX_MEMBER_BYTES) this.fail('"type" is too long');
        try {
          this.type = JSON.parse(decodePieces(this.vPieces));
        } catch (e) {
          this.fail(`invalid "type": ${(e as Error).message}`);
        }
        if (this.type !== 'FeatureCollection') this.fail(`not a FeatureCollection: "type" is ${JSON.stringify(this.type)}`);
      }
      this.state = S_AFTER_MEMBER;
    } else {
      const w: Where = { line: this.vLine, ordinal: this.ordinal++, endOffset: this.offset + end, endLine: this.line };
      if (this.vCapture) out.push(parseRecord(decodePieces(this.vPieces), 'feature', w));
      this.state = S_AFTER_FEATURE;
    }
    this.vPieces = [];
    this.vKind = 0;
  }

  end(_out: RawRecord[]): void {
    switch (this.state) {
      case S_DONE:
        return;
      case S_IN_FEATURE:
        return this.fail(`unexpected end of file inside the feature starting at line ${this.vLine}`);
      case S_ROOT:
        return this.fail('the file is empty; expected a GeoJSON FeatureCollection');
      case S_RESUME:
      case S_FIRST_FEATURE:
      case S_FEATURE:
      case S_AFTER_FEATURE:
        return this.fail('unexpected end of file inside the "features" array');
      default:
        return this.fail('unexpected end of file; the FeatureCollection is not closed');
    }
  }
}
