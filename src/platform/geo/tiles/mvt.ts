// Mapbox Vector Tile (specification v2.1) encoder, written without dependencies: the protobuf wire
// format is produced by hand (varints, zigzag, length-delimited messages, packed repeated fields).
//
// Coordinates handed to the encoder are tile pixels (origin at the tile's north-west corner, y down,
// 0..extent inside the tile); they are rounded to integers. `projectGeometry` turns GeoJSON (WGS84)
// into such coordinates for one tile, clipped to the tile plus a buffer.


type Pt = [number, number];

export type TileGeometry =
  | { type: 'Point'; points: [number, number][] } // tile pixel coords
  | { type: 'LineString'; lines: [number, number][][] }
  /**
   * Exterior rings each followed by their holes. A ring wound the same way as the first ring starts a
   * new polygon, a ring wound the other way is a hole of the polygon before it (how MVT decoders read
   * rings), so either winding convention works as long as it is used consistently; the encoder writes
   * exteriors with positive area (clockwise with y down) and holes with negative area as the spec
   * requires. Rings may be given open or closed (last point repeating the first).
   */
  | { type: 'Polygon'; rings: [number, number][][] };

export type TilePropertyValue = string | number | boolean | null | undefined;

export interface TileFeature {
  /** Non-negative safe integer (protobuf uint64). */
  id?: number;
  geometry: TileGeometry;
  /** null and undefined values are left out. */
  properties: Record<string, TilePropertyValue>;
}

export interface TileLayer {
  name: string;
  /** Pixels across the tile; 4096 when omitted. */
  extent?: number;
  features: TileFeature[];
}

// ---------------------------------------------------------------------------------------------------
// Protobuf writer

const textEncoder = new TextEncoder();
const TWO_POW_32 = 2 ** 32;

enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
}

/** A growable byte buffer with the few protobuf primitives the tile format needs. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint of a non-negative safe integer (up to 2^53 - 1). */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint needs a non-negative safe integer, got ${n}`);
    this.ensure(8);
    if (n < TWO_POW_32) {
      // Fast path: bit operations are exact below 2^32 (`>>>` keeps the value unsigned).
      while (n > 0x7f) {
        this.buf[this.pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.pos++] = n;
      return;
    }
    while (n > 0x7f) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** Unsigned varint of a non-negative bigint (up to 2^64 - 1). */
  varintBig(n: bigint): void {
    if (n < 0n || n >= 1n << 64n) throw new RangeError(`varint needs a value in 0..2^64-1, got ${n}`);
    this.ensure(10);
    while (n > 0x7fn) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  tag(field: number, wire: WireType): void {
    this.varint(field * 8 + wire);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Little-endian IEEE-754 double. */
  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  varintField(field: number, n: number): void {
    this.tag(field, WireType.Varint);
    this.varint(n);
  }

  stringField(field: number, s: string): void {
    const b = textEncoder.encode(s);
    this.tag(field, WireType.Bytes);
    this.varint(b.length);
    this.bytes(b);
  }

  doubleField(field: number, v: number): void {
    this.tag(field, WireType.Fixed64);
    this.double(v);
  }

  /**
   * A length-delimited field whose body `write` produces in place: one byte is reserved for the length
   * and the body is shifted along when the length turns out to need more.
   */
  message(field: number, write: () => void): void {
    this.tag(field, WireType.Bytes);
    this.ensure(1);
    const lengthAt = this.pos++;
    const bodyStart = this.pos;
    write();
    const length = this.pos - bodyStart;
    let lengthBytes = 1;
    for (let rest = length; rest > 0x7f; rest = Math.floor(rest / 0x80)) lengthBytes++;
    if (lengthBytes > 1) {
      this.ensure(lengthBytes - 1);
      this.buf.copyWithin(bodyStart + lengthBytes - 1, bodyStart, this.pos);
      this.pos += lengthBytes - 1;
    }
    let p = lengthAt;
    let rest = length;
    while (rest > 0x7f) {
      this.buf[p++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[p] = rest;
  }

  /** A packed repeated varint field (omitted when empty). */
  packedVarints(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    this.message(field, () => {
      for (const v of values) this.varint(v);
    });
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Zigzag encoding (protobuf sint32/sint64) of a safe integer, as a number when exact. */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function zigzagBig(n: number): bigint {
  const b = BigInt(n);
  return b >= 0n ? b << 1n : (-b << 1n) - 1n;
}

// ---------------------------------------------------------------------------------------------------
// Tile encoding

// Field numbers from vector_tile.proto (v2.1).
const TILE_LAYERS = 3;
const LAYER_NAME = 1;
const LAYER_FEATURES = 2;
const LAYER_KEYS = 3;
const LAYER_VALUES = 4;
const LAYER_EXTENT = 5;
const LAYER_VERSION = 15;
const FEATURE_ID = 1;
const FEATURE_TAGS = 2;
const FEATURE_TYPE = 3;
const FEATURE_GEOMETRY = 4;
const VALUE_STRING = 1;
const VALUE_DOUBLE = 3;
const VALUE_UINT = 5;
const VALUE_SINT = 6;
const VALUE_BOOL = 7;

const GEOM_POINT = 1;
const GEOM_LINESTRING = 2;
const GEOM_POLYGON = 3;

const CMD_MOVE_TO = 1;
const CMD_LINE_TO = 2;
const CMD_CLOSE_PATH = 7;
const command = (id: number, count: number) => count * 8 + id; // count < 2^29

const SMALL_ZIGZAG = 2 ** 51;

type TableValue = string | number | boolean;

function writeValue(w: ByteWriter, v: TableValue): void {
  if (typeof v === 'string') w.stringField(VALUE_STRING, v);
  else if (typeof v === 'boolean') w.varintField(VALUE_BOOL, v ? 1 : 0);
  else if (Number.isSafeInteger(v) && v >= 0) w.varintField(VALUE_UINT, v);
  else if (Number.isSafeInteger(v)) {
    w.tag(VALUE_SINT, WireType.Varint);
    if (v > -SMALL_ZIGZAG) w.varint(zigzag(v));
    else w.varintBig(zigzagBig(v));
  } else w.doubleField(VALUE_DOUBLE, v); // fractions, integers beyond 2^53, NaN, ±Infinity
}

const same = (a: Pt, b: Pt) => a[0] === b[0] && a[1] === b[1];
const roundPt = (p: readonly number[]): Pt => [Math.round(p[0]) + 0, Math.round(p[1]) + 0];

/** Rounds to integer pixels and drops points equal to the one before. */
function quantise(points: readonly (readonly number[])[]): Pt[] {
  const out: Pt[] = [];
  for (const p of points) {
    const q = roundPt(p);
    if (out.length === 0 || !same(out[out.length - 1], q)) out.push(q);
  }
  return out;
}

/** Twice the signed area by the surveyor's formula; positive for clockwise rings in y-down coordinates. */
export function ringArea2(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum;
}

/** Drops a closing point that repeats the first. */
function openRing<T extends readonly number[]>(ring: readonly T[]): T[] {
  const out = ring.slice();
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

class GeometryWriter {
  readonly ints: number[] = [];
  private cx = 0;
  private cy = 0;

  private param(p: Pt): void {
    this.ints.push(zigzag(p[0] - this.cx), zigzag(p[1] - this.cy));
    this.cx = p[0];
    this.cy = p[1];
  }

  points(pts: Pt[]): void {
    this.ints.push(command(CMD_MOVE_TO, pts.length));
    for (const p of pts) this.param(p);
  }

  path(pts: Pt[], close: boolean): void {
    this.ints.push(command(CMD_MOVE_TO, 1));
    this.param(pts[0]);
    this.ints.push(command(CMD_LINE_TO, pts.length - 1));
    for (let i = 1; i < pts.length; i++) this.param(pts[i]);
    if (close) this.ints.push(command(CMD_CLOSE_PATH, 1));
  }
}

/** The feature's geometry type and command integers, or null when nothing drawable remains. */
function encodeGeometry(g: TileGeometry): { type: number; ints: number[] } | null {
  const w = new GeometryWriter();
  if (g.type === 'Point') {
    const pts = g.points.map(roundPt);
    if (pts.length === 0) return null;
    w.points(pts);
    return { type: GEOM_POINT, ints: w.ints };
  }
  if (g.type === 'LineString') {
    for (const line of g.lines) {
      const pts = quantise(line);
      if (pts.length >= 2) w.path(pts, false);
    }
    return w.ints.length ? { type: GEOM_LINESTRING, ints: w.ints } : null;
  }
  if (g.type === 'Polygon') {
    // Roles come from the input winding relative to the first ring with area; a ring that loses its
    // area to rounding is dropped, and an exterior's holes go with it.
    let reference = 0;
    let keepHoles = false;
    for (const input of g.rings) {
      const area = ringArea2(input);
      if (area === 0) continue;
      if (reference === 0) reference = Math.sign(area);
      const exterior = Math.sign(area) === reference;
      if (!exterior && !keepHoles) continue;
      let ring = openRing(quantise(input));
      const a = ring.length >= 3 ? ringArea2(ring) : 0;
      if (exterior) keepHoles = a !== 0;
      if (a === 0) continue;
      if (exterior !== a > 0) ring = ring.reverse();
      w.path(ring, true);
    }
    return w.ints.length ? { type: GEOM_POLYGON, ints: w.ints } : null;
  }
  throw new TypeError(`unknown geometry type ${(g as { type: unknown }).type}`);
}

/** Writes the layer's fields and returns how many features it holds. */
function encodeLayer(w: ByteWriter, layer: TileLayer): number {
  const extent = layer.extent ?? 4096;
  if (!Number.isSafeInteger(extent) || extent <= 0) throw new RangeError(`layer ${layer.name}: extent must be a positive integer, got ${extent}`);
  const keys = new Map<string, number>();
  const values: TableValue[] = [];
  const valueIndex = new Map<string, number>();
  const indexOfValue = (v: TableValue): number => {
    const k = typeof v === 'string' ? `s${v}` : typeof v === 'boolean' ? `b${v}` : `n${Object.is(v, -0) ? 0 : v}`;
    let i = valueIndex.get(k);
    if (i === undefined) {
      i = values.length;
      values.push(v);
      valueIndex.set(k, i);
    }
    return i;
  };

  let count = 0;
  w.stringField(LAYER_NAME, layer.name);
  for (const f of layer.features) {
    if (f.id !== undefined && (!Number.isSafeInteger(f.id) || f.id < 0)) throw new RangeError(`layer ${layer.name}: feature id must be a non-negative integer, got ${f.id}`);
    const geometry = encodeGeometry(f.geometry);
    if (!geometry) continue;
    const tags: number[] = [];
    for (const [key, value] of Object.entries(f.properties)) {
      if (value === null || value === undefined) continue;
      let k = keys.get(key);
      if (k === undefined) keys.set(key, (k = keys.size));
      tags.push(k, indexOfValue(value));
    }
    w.message(LAYER_FEATURES, () => {
      if (f.id !== undefined) w.varintField(FEATURE_ID, f.id);
      w.packedVarints(FEATURE_TAGS, tags);
      w.varintField(FEATURE_TYPE, geometry.type);
      w.packedVarints(FEATURE_GEOMETRY, geometry.ints);
    });
    count++;
  }
  for (const key of keys.keys()) w.stringField(LAYER_KEYS, key);
  for (const v of values) w.message(LAYER_VALUES, () => writeValue(w, v));
  w.varintField(LAYER_EXTENT, extent);
  w.varintField(LAYER_VERSION, 2);
  return count;
}

/**
 * Encodes layers as one vector tile (MVT 2.1 protobuf). Coordinates are rounded to integer pixels;
 * features whose geometry has nothing drawable left (no points, lines shorter than two distinct
 * pixels, rings without area) are left out, as are layers left without features. Throws on two
 * layers with the same name, a non-positive extent or an id that is not a non-negative integer.
 */
export function encodeTile(layers: TileLayer[]): Uint8Array {
  const names = new Set<string>();
  const w = new ByteWriter(16 * 1024);
  for (const layer of layers) {
    if (names.has(layer.name)) throw new Error(`two layers named ${JSON.stringify(layer.name)}`);
    names.add(layer.name);
    // Write the layer, then take it back if no feature survived (a layer SHOULD hold at least one).
    const start = w.pos;
    let count = 0;
    w.message(TILE_LAYERS, () => {
      count = encodeLayer(w, layer);
    });
    if (count === 0) w.pos = start;
  }
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------
// Clipping

/** The square [min, max]² geometry is clipped to. */
interface ClipBox {
  min: number;
  max: number;
}

/** Liang–Barsky: the part of segment a→b inside the box as parameters [t0, t1], or null. */
function clipSegment(a: Pt, b: Pt, box: ClipBox): [number, number] | null {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a[0] - box.min],
    [dx, box.max - a[0]],
    [-dy, a[1] - box.min],
    [dy, box.max - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null; // parallel to this edge and outside it
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return null;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return null;
      if (t < t1) t1 = t;
    }
  }
  return [t0, t1];
}

const lerp = (a: Pt, b: Pt, t: number): Pt => (t === 0 ? a : t === 1 ? b : [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);

/** Clips a polyline segment by segment, splitting it where it leaves the box. */
function clipLine(line: readonly Pt[], box: ClipBox): Pt[][] {
  const parts: Pt[][] = [];
  if (line.length === 1) {
    const [p] = line;
    if (p[0] >= box.min && p[0] <= box.max && p[1] >= box.min && p[1] <= box.max) parts.push([p]);
    return parts;
  }
  let current: Pt[] | null = null;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i];
    const b = line[i + 1];
    const t = clipSegment(a, b, box);
    if (!t) {
      current = null;
      continue;
    }
    const end = lerp(a, b, t[1]);
    if (current && t[0] === 0) current.push(end);
    else parts.push((current = [lerp(a, b, t[0]), end]));
    if (t[1] < 1) current = null; // the line leaves the box here
  }
  return parts;
}

/** Sutherland–Hodgman: clips a ring (open or closed) to the box; the result is open and keeps the winding. */
function clipRing(ring: readonly Pt[], box: ClipBox): Pt[] {
  let out: Pt[] = openRing(ring);
  // Each edge: [axis, bound, keep the side ≥ bound?]
  const edges: [0 | 1, number, boolean][] = [
    [0, box.min, true],
    [0, box.max, false],
    [1, box.min, true],
    [1, box.max, false],
  ];
  for (const [axis, bound, keepAbove] of edges) {
    if (out.length === 0) break;
    const input = out;
    out = [];
    const inside = (p: Pt) => (keepAbove ? p[axis] >= bound : p[axis] <= bound);
    const cross = (a: Pt, b: Pt): Pt => {
      const t = (bound - a[axis]) / (b[axis] - a[axis]);
      const p: Pt = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      p[axis] = bound; // exact on the clip edge
      return p;
    };
    let prev = input[input.length - 1];
    let prevIn = inside(prev);
    for (const cur of input) {
      const curIn = inside(cur);
      if (curIn) {
        if (!prevIn) out.push(cross(prev, cur));
        out.push(cur);
      } else if (prevIn) out.push(cross(prev, cur));
      prev = cur;
      prevIn = curIn;
    }
  }
  return out;
}

/**
 * Clips tile-pixel geometry to the tile (0..extent) grown by `buffer` pixels on each side. Points
 * outside are dropped; lines are clipped per segment (Liang–Barsky) and split into parts where they
 * leave; polygon rings are clipped one by one (Sutherland–Hodgman), keeping their winding, and rings
 * left without area are dropped. Coordinates are not rounded. Returns null when nothing remains.
 */
export function clipToTile(geometry: TileGeometry, extent = 4096, buffer = 64): TileGeometry | null {
  const box: ClipBox = { min: -buffer, max: extent + buffer };
  if (geometry.type === 'Point') {
    const points = geometry.points.filter((p) => p[0] >= box.min && p[0] <= box.max && p[1] >= box.min && p[1] <= box.max);
    return points.length ? { type: 'Point', points } : null;
  }
  if (geometry.type === 'LineString') {
    const lines = geometry.lines.flatMap((l) => clipLine(l, box));
    return lines.length ? { type: 'LineString', lines } : null;
  }
  if (geometry.type === 'Polygon') {
    const rings = geometry.rings.map((r) => clipRing(r, box)).filter((r) => r.length >= 3 && ringArea2(r) !== 0);
    return rings.length ? { type: 'Polygon', rings } : null;
  }
  throw new TypeError(`unknown geometry type ${(geometry as { type: unknown }).type}`);
}
