// Mapbox Vector Tile (specification v2.1) encoder, written without dependencies: the protobuf wire
// format is produced by hand (varints, zigzag, length-delimited messages, packed repeated fields).
//
// Coordinates handed to the encoder are tile pixels (origin at the tile's north-west corner, y down,
// 0..extent inside the tile); they are rounded to integers. Clipping to the tile is in clip.ts.
import { ByteWriter, WireType, zigzag, zigzagBig } from './protobuf.ts';


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
export function openRing<T extends readonly number[]>(ring: readonly T[]): T[] {
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
