// Demo city components along a generated street network: streetlights, manhole covers and trees
// beside the roads, pipeline segments under them, compounds, sites and green spaces in the blocks.
//
// Streams (a generator), is deterministic for a seed (each road × type draws from its own seeded
// random source), and keeps every geometry on land inside the area. `demoDensity` is the number per
// km of road at scale 1; estimateCount gives the total to expect without generating anything.

import type { MultiPolygon, Polygon } from '../../../jurisdictions/geo/polygon.ts';
import { randomFor, type Random } from '../../../jurisdictions/geo/random.ts';
import { attributeGenerator, type AttrContext, type JsonSchemaLike } from './attributes.ts';
import { AreaTester, demoCentres, lineLengthMetres, localFrame, round7, type Road, type RoadKind } from './street-network.ts';
import { WATER_POLYGONS } from './water.ts';

export type { JsonSchemaLike } from './attributes.ts';

export interface DemoType {
  code: string;
  geometry: 'point' | 'line' | 'polygon';
  kind: 'component' | 'area' | 'line';
  /** Number per km of road at scale 1. */
  demoDensity: number;
  nameZh: string;
  /** JSON Schema (object with properties) the generated attributes satisfy. */
  attributes: JsonSchemaLike;
}

export type DemoStatus = 'intact' | 'damaged' | 'missing' | 'occupied' | 'removed';
export type DemoGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'Polygon'; coordinates: [number, number][][] };

export interface DemoComponent {
  typeCode: string;
  geometry: DemoGeometry;
  status: DemoStatus;
  attributes: Record<string, unknown>;
  address?: string;
}

export interface DemoInput {
  districtCode: string;
  area: MultiPolygon;
  roads: readonly Road[];
  types: readonly DemoType[];
  seed: number;
  /** Multiplies every type's density: 1 is the full demo city, 0.01 a quick one. */
  scale: number;
  /** Kept free of components (default: the Huangpu and Suzhou Creek). */
  exclude?: readonly Polygon[];
}

const HALF_WIDTH: Record<RoadKind, number> = { arterial: 15, secondary: 9, local: 5 };
/** Offset from the centreline of point components, by road kind: always within 5–15 m. */
const POINT_OFFSET: Record<RoadKind, [number, number]> = { arterial: [10, 15], secondary: [7, 12], local: [5, 8] };

/** ~93% intact, 4% damaged, 1% missing, 1.5% occupied, 0.5% removed. */
export function pickStatus(u: number): DemoStatus {
  return u < 0.93 ? 'intact' : u < 0.97 ? 'damaged' : u < 0.98 ? 'missing' : u < 0.995 ? 'occupied' : 'removed';
}

type Footprint = { min: number; max: number; nearCentre: boolean; blob: boolean };
function footprint(t: DemoType): Footprint {
  const s = `${t.code} ${t.nameZh}`;
  if (/历史|保护建筑|historic|heritage/i.test(s)) return { min: 10, max: 30, nearCentre: true, blob: false };
  if (/小区|住宅|居住|residential|compound/i.test(s)) return { min: 60, max: 200, nearCentre: false, blob: false };
  if (/工地|施工|construction/i.test(s)) return { min: 40, max: 180, nearCentre: false, blob: false };
  if (/绿|公园|green|park/i.test(s)) return { min: 30, max: 150, nearCentre: false, blob: true };
  return { min: 20, max: 80, nearCentre: false, blob: false };
}
/** Streetlights stand evenly; trees and guards are spaced roughly evenly; the rest fall anywhere. */
function pointMode(t: DemoType): 'even' | 'jitter' | 'random' {
  const s = `${t.code} ${t.nameZh}`;
  if (/路灯|street ?light|lamp/i.test(s)) return 'even';
  if (/行道树|护树|tree|护栏/i.test(s)) return 'jitter';
  return 'random';
}

interface Prepared {
  road: Road;
  xs: Float64Array;
  ys: Float64Array;
  cum: Float64Array;
  length: number;
}

interface Plan {
  type: DemoType;
  spacing: number; // metres between items along a road
  attrs: (r: Random, c: AttrContext) => Record<string, unknown>;
  mode: 'even' | 'jitter' | 'random';
  fp: Footprint;
  lane: number; // lateral offset of a line type from the centreline, metres
  seq: number;
}

function setup(input: Pick<DemoInput, 'districtCode' | 'area' | 'types' | 'scale'>) {
  const centres = demoCentres(input.districtCode, input.area);
  const main = centres[0]!;
  const frame = localFrame(main.at[0], main.at[1]);
  const nearCentre = (r: Road): boolean => {
    const p = r.line[Math.floor(r.line.length / 2)]!;
    return Math.hypot((p[0] - frame.lon0) * frame.kx, (p[1] - frame.lat0) * frame.ky) <= main.radiusKm * 350;
  };
  const active = input.types.filter((t) => t.demoDensity > 0 && input.scale > 0);
  return { frame, nearCentre, active };
}

/** The number of components generateDemoComponents will yield, to within a few percent (points and lines). */
export function estimateCount(input: Pick<DemoInput, 'districtCode' | 'area' | 'roads' | 'types' | 'scale'>): number {
  const { nearCentre, active } = setup(input);
  let total = 0;
  for (const road of input.roads) {
    const len = lineLengthMetres(road.line);
    for (const t of active) {
      const per = (t.demoDensity * input.scale) / 1000;
      if (t.geometry === 'line') total += Math.max(0, len - 20) * per;
      else if (t.geometry === 'polygon' && footprint(t).nearCentre && !nearCentre(road)) continue;
      else total += len * per;
    }
  }
  return Math.round(total);
}

/** The scale at which the input would yield about `target` components. */
export function scaleForCount(input: Pick<DemoInput, 'districtCode' | 'area' | 'roads' | 'types'>, target: number): number {
  const atOne = estimateCount({ ...input, scale: 1 });
  return atOne > 0 ? target / atOne : 0;
}

/** Streams the demo components of one district, road by road. */
export function* generateDemoComponents(input: DemoInput): Generator<DemoComponent> {
  const { frame, nearCentre, active } = setup(input);
  const { lon0, lat0, kx, ky } = frame;
  const tester = new AreaTester(input.area, input.exclude ?? WATER_POLYGONS);
  const plans: Plan[] = active.map((type) => {
    const lr = randomFor(input.seed, `lane:${type.code}`);
    return {
      type,
      spacing: 1000 / (type.demoDensity * input.scale),
      attrs: attributeGenerator(type.attributes, type),
      mode: pointMode(type),
      fp: footprint(type),
      lane: (lr() < 0.5 ? -1 : 1) * (1.5 + 7 * lr()),
      seq: 0,
    };
  });
  const prepared: Prepared[] = input.roads.map((road) => {
    const n = road.line.length;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const cum = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = (road.line[i]![0] - lon0) * kx;
      ys[i] = (road.line[i]![1] - lat0) * ky;
      if (i > 0) cum[i] = cum[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
    }
    return { road, xs, ys, cum, length: cum[n - 1] ?? 0 };
  });
  const toLonLat = (x: number, y: number): [number, number] => [round7(lon0 + x / kx), round7(lat0 + y / ky)];
  const blocks = plans.some((p) => p.type.geometry === 'polygon') ? new BlockIndex(prepared) : null;

  for (const pr of prepared) {
    const { road, xs, ys, cum, length } = pr;
    if (length <= 0) continue;
    /** Position and unit direction at distance s along the road. */
    let seg = 0;
    const at = (s: number): [number, number, number, number] => {
      if (s < cum[seg]!) seg = 0;
      while (seg < cum.length - 2 && cum[seg + 1]! < s) seg++;
      const d = cum[seg + 1]! - cum[seg]! || 1;
      const ux = (xs[seg + 1]! - xs[seg]!) / d;
      const uy = (ys[seg + 1]! - ys[seg]!) / d;
      const f = s - cum[seg]!;
      return [xs[seg]! + ux * f, ys[seg]! + uy * f, ux, uy];
    };
    for (const plan of plans) {
      const t = plan.type;
      const r = randomFor(input.seed, `${road.id}|${t.code}`);
      const sp = plan.spacing;
      const ctx: AttrContext = { roadZh: road.nameZh, number: 1, seq: 0, address: '' };
      if (t.geometry === 'point') {
        const [o0, o1] = POINT_OFFSET[road.kind];
        const fixed = o0 + (o1 - o0) * r();
        let side = r() < 0.5 ? 1 : -1;
        let s = plan.mode === 'random' ? -Math.log(1 - r()) * sp : r() * sp;
        seg = 0;
        while (s < length) {
          const [px, py, ux, uy] = at(s);
          if (plan.mode === 'even') side = -side;
          else side = r() < 0.5 ? 1 : -1;
          const off = plan.mode === 'even' ? fixed : o0 + (o1 - o0) * r();
          let p = toLonLat(px - uy * off * side, py + ux * off * side);
          if (!tester.contains(p[0], p[1])) {
            side = -side;
            p = toLonLat(px - uy * off * side, py + ux * off * side);
          }
          const u = r();
          if (tester.contains(p[0], p[1])) {
            ctx.number = 2 * Math.floor(s / 20) + (side > 0 ? 1 : 2);
            ctx.seq = ++plan.seq;
            ctx.address = `${road.nameZh}${ctx.number}号`;
            yield { typeCode: t.code, geometry: { type: 'Point', coordinates: p }, status: pickStatus(u), attributes: plan.attrs(r, ctx), address: ctx.address };
          }
          s += plan.mode === 'even' ? sp : plan.mode === 'jitter' ? sp * (0.6 + 0.8 * r()) : -Math.log(1 - r()) * sp;
        }
      } else if (t.geometry === 'line') {
        for (let s = r() * sp; s + 20 <= length; s += sp) {
          const len = Math.min(length - s, Math.max(20, Math.min(300, sp * (0.55 + 0.35 * r()))));
          const line = offsetSlice(pr, s, s + len, plan.lane).map(([x, y]) => toLonLat(x, y));
          const u = r();
          if (line.length < 2 || !line.every((p) => tester.contains(p[0], p[1])) || !simpleLine(line)) continue;
          ctx.number = 2 * Math.floor(s / 20) + 1;
          ctx.seq = ++plan.seq;
          ctx.address = `${road.nameZh}${ctx.number}号至${2 * Math.floor((s + len) / 20) + 1}号`;
          yield { typeCode: t.code, geometry: { type: 'LineString', coordinates: line }, status: pickStatus(u), attributes: plan.attrs(r, ctx), address: ctx.address };
        }
      } else {
        if (plan.fp.nearCentre && !nearCentre(road)) continue;
        for (let s = r() * sp; s < length; s += sp) {
          const [px, py, ux, uy] = at(s);
          const fp = plan.fp;
          let w = fp.min + (fp.max - fp.min) * r() * r();
          let h = Math.max(fp.min, Math.min(fp.max, w * (0.6 + 0.8 * r())));
          let side = r() < 0.5 ? 1 : -1;
          const setback = HALF_WIDTH[road.kind] + 8 + 10 * r();
          const skew = (r() - 0.5) * 0.12;
          const u = r();
          for (let attempt = 0; attempt < 4; attempt++, w *= 0.7, h *= 0.7, side = -side) {
            if (w < fp.min * 0.5) break;
            const ring = quad(px, py, ux * side, uy * side, setback, w, h, skew, fp.blob ? r : null);
            const clearance = quad(px, py, ux * side, uy * side, setback - 6, w + 12, h + 12, skew, null);
            const ll = ring.map(([x, y]) => toLonLat(x, y));
            if (!ll.every((p) => tester.contains(p[0], p[1])) || !tester.contains(...toLonLat(...centroidOf(ring)))) continue;
            if (!blocks!.free(clearance, road, ring)) continue;
            blocks!.place(ring);
            ll.push([ll[0]![0], ll[0]![1]]);
            ctx.number = 2 * Math.floor(s / 20) + (side > 0 ? 1 : 2);
            ctx.seq = ++plan.seq;
            ctx.address = `${road.nameZh}${ctx.number}号`;
            yield { typeCode: t.code, geometry: { type: 'Polygon', coordinates: [ll] }, status: pickStatus(u), attributes: plan.attrs(r, ctx), address: ctx.address };
            break;
          }
        }
      }
    }
  }
}

/** The road between distances a and b, moved sideways by `lane` metres (left positive). */
function offsetSlice(pr: Prepared, a: number, b: number, lane: number): [number, number][] {
  const { xs, ys, cum } = pr;
  const out: [number, number][] = [];
  const normalAt = (i: number): [number, number] => {
    const d = cum[i + 1]! - cum[i]! || 1;
    return [-(ys[i + 1]! - ys[i]!) / d, (xs[i + 1]! - xs[i]!) / d];
  };
  let i = 0;
  while (i < cum.length - 2 && cum[i + 1]! < a) i++;
  const push = (s: number, k: number) => {
    const f = (s - cum[k]!) / (cum[k + 1]! - cum[k]! || 1);
    const [nx, ny] = normalAt(k);
    out.push([xs[k]! + (xs[k + 1]! - xs[k]!) * f + nx * lane, ys[k]! + (ys[k + 1]! - ys[k]!) * f + ny * lane]);
  };
  push(a, i);
  for (let k = i + 1; k < cum.length - 1 && cum[k]! < b; k++) {
    if (cum[k]! - a < 2 || b - cum[k]! < 2) continue;
    const [n1x, n1y] = normalAt(k - 1);
    const [n2x, n2y] = normalAt(k);
    const m = Math.hypot(n1x + n2x, n1y + n2y) || 1;
    out.push([xs[k]! + ((n1x + n2x) / m) * lane, ys[k]! + ((n1y + n2y) / m) * lane]);
  }
  while (i < cum.length - 2 && cum[i + 1]! < b) i++;
  push(b, i);
  return out;
}

/** A convex quad (or, for green spaces, a convex pentagon) beside the road, in local metres. */
function quad(px: number, py: number, ux: number, uy: number, setback: number, w: number, h: number, skew: number, blob: Random | null): [number, number][] {
  const nx = -uy;
  const ny = ux; // the side of the road the block is on
  const pt = (along: number, out: number): [number, number] => [px + ux * along + nx * out, py + uy * along + ny * out];
  const far = setback + h;
  const ring = [pt(-w / 2, setback), pt(w / 2, setback), pt(w / 2 + skew * h, far), pt(-w / 2 + skew * h, far)];
  if (blob) {
    // cut one far corner: still convex, less like a parcel
    const c = 0.2 + 0.3 * blob();
    ring.splice(3, 0, pt(w / 2 + skew * h - w * c, far));
    ring[2] = pt(w / 2 + skew * h * (1 - c), far - h * c);
  }
  return ring;
}

function centroidOf(ring: [number, number][]): [number, number] {
  let x = 0;
  let y = 0;
  for (const p of ring) {
    x += p[0];
    y += p[1];
  }
  return [x / ring.length, y / ring.length];
}

/** True when no two non-adjacent segments of the line meet. */
function simpleLine(line: [number, number][]): boolean {
  for (let i = 0; i + 1 < line.length; i++) {
    for (let j = i + 2; j + 1 < line.length; j++) if (segmentsCross(line[i]!, line[i + 1]!, line[j]!, line[j + 1]!)) return false;
  }
  return true;
}

const cross = (a: [number, number], b: [number, number], c: [number, number]) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
function segmentsCross(a: [number, number], b: [number, number], c: [number, number], d: [number, number]): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Convex polygon `p` contains point q (either winding). */
function convexContains(p: [number, number][], q: [number, number]): boolean {
  let sign = 0;
  for (let i = 0; i < p.length; i++) {
    const c = cross(p[i]!, p[(i + 1) % p.length]!, q);
    if (c === 0) continue;
    if (sign === 0) sign = Math.sign(c);
    else if (Math.sign(c) !== sign) return false;
  }
  return true;
}

function convexOverlap(a: [number, number][], b: [number, number][]): boolean {
  for (const q of a) if (convexContains(b, q)) return true;
  for (const q of b) if (convexContains(a, q)) return true;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) if (segmentsCross(a[i]!, a[(i + 1) % a.length]!, b[j]!, b[(j + 1) % b.length]!)) return true;
  }
  return false;
}

/** Road segments and placed footprints on a 100 m grid: a footprint must not touch either. */
class BlockIndex {
  private readonly cell = 100;
  private readonly segs = new Map<number, number[]>(); // cell → [road, vertex, road, vertex, …]
  private readonly placed = new Map<number, [number, number][][]>();

  constructor(private readonly roads: Prepared[]) {
    roads.forEach((pr, ri) => {
      for (let i = 0; i + 1 < pr.xs.length; i++) {
        for (const k of this.cells(Math.min(pr.xs[i]!, pr.xs[i + 1]!), Math.min(pr.ys[i]!, pr.ys[i + 1]!), Math.max(pr.xs[i]!, pr.xs[i + 1]!), Math.max(pr.ys[i]!, pr.ys[i + 1]!))) {
          let list = this.segs.get(k);
          if (!list) this.segs.set(k, (list = []));
          list.push(ri, i);
        }
      }
    });
  }

  private cells(x0: number, y0: number, x1: number, y1: number): number[] {
    const out: number[] = [];
    for (let cx = Math.floor(x0 / this.cell); cx <= Math.floor(x1 / this.cell); cx++) {
      for (let cy = Math.floor(y0 / this.cell); cy <= Math.floor(y1 / this.cell); cy++) out.push(cx * 1_000_003 + cy);
    }
    return out;
  }

  private box(p: [number, number][]): number[] {
    const xs = p.map((q) => q[0]);
    const ys = p.map((q) => q[1]);
    return this.cells(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  }

  /** No road (other than the own road's centreline, kept clear by the setback) crosses `clearance`, and `ring` overlaps nothing placed. */
  free(clearance: [number, number][], own: Road, ring: [number, number][]): boolean {
    for (const k of this.box(clearance)) {
      const list = this.segs.get(k) ?? [];
      for (let j = 0; j < list.length; j += 2) {
        const pr = this.roads[list[j]!]!;
        const i = list[j + 1]!;
        const a: [number, number] = [pr.xs[i]!, pr.ys[i]!];
        const b: [number, number] = [pr.xs[i + 1]!, pr.ys[i + 1]!];
        if (convexContains(clearance, a) || convexContains(clearance, b)) return false;
        for (let e = 0; e < clearance.length; e++) if (segmentsCross(a, b, clearance[e]!, clearance[(e + 1) % clearance.length]!)) return pr.road === own && false;
      }
      for (const other of this.placed.get(k) ?? []) if (convexOverlap(ring, other)) return false;
    }
    return true;
  }

  place(ring: [number, number][]): void {
    for (const k of this.box(ring)) {
      let list = this.placed.get(k);
      if (!list) this.placed.set(k, (list = []));
      list.push(ring);
    }
  }
}
