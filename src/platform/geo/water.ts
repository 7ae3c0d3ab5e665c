// Rivers of the demo city: the Huangpu (黄浦江) and Suzhou Creek (苏州河).
//
// These are APPROXIMATE HAND TRACINGS, not survey data: each river is a centreline of a few dozen
// WGS84 vertices along its known course, with a width per vertex, turned into a polygon by
// offsetting both banks. The vertices follow the district outlines in
// data/divisions/shanghai-districts.geojson where a district boundary runs along the river
// (Pudong's west edge is the Huangpu from Wusongkou to Xupu; Minhang/Fengxian share it further up;
// Huangpu/Hongkou, Jing'an/Putuo and Changning/Putuo share Suzhou Creek), which puts them within
// roughly 100–200 m of the real channel; the stretch through Minhang (Wujing/Pujiang) and the
// reach west of 121.32 E towards Mishidun (米市渡) are interpolated from the known course.
// Good enough to keep demo roads and components out of the water; not for navigation or flooding.
//
// The sea needs nothing here: the East China Sea and the Yangtze estuary are simply outside every
// district outline (the outlines stop at the coast and the tidal flats), so "outside land" is
// already "not in the area".
//
// Also here, because "land" is an area minus this water: AreaTester, the fast inside-the-area and
// not-in-the-water test the street and component generators make millions of, and a few planar
// predicates they share.

import type { MultiPolygon, Polygon, Ring } from '../../jurisdictions/geo/polygon.ts';

/** A body of water drawn as one polygon (outer ring only), WGS84. */
export interface WaterFeature {
  nameZh: string;
  nameEn: string;
  kind: 'river';
  polygon: Polygon;
}

/** A centreline vertex: [lon, lat, width in metres]. */
export type CentrelineVertex = [number, number, number];

/** Huangpu, downstream to upstream: Wusongkou → Lujiazui bend → the Bund → Xupu → Minhang → Mishidun. */
export const HUANGPU_CENTRELINE: readonly CentrelineVertex[] = [
  [121.511, 31.396, 700], // Wusongkou (吴淞口), the mouth into the Yangtze
  [121.504, 31.385, 600],
  [121.5, 31.376, 550],
  [121.5005, 31.367, 500],
  [121.505, 31.3595, 500],
  [121.512, 31.3545, 500],
  [121.522, 31.3497, 480],
  [121.535, 31.344, 480],
  [121.5455, 31.34, 480],
  [121.553, 31.3355, 480],
  [121.5575, 31.326, 480],
  [121.5585, 31.315, 480],
  [121.559, 31.304, 480],
  [121.5635, 31.292, 480], // east of Fuxing Island (复兴岛)
  [121.5655, 31.2825, 480],
  [121.5625, 31.275, 450],
  [121.5555, 31.267, 450],
  [121.546, 31.26, 450],
  [121.5377, 31.2545, 430],
  [121.524, 31.2505, 420], // Yangpu Bridge (杨浦大桥)
  [121.512, 31.2492, 420],
  [121.499, 31.2478, 420], // north of Lujiazui
  [121.4935, 31.246, 400], // Suzhou Creek comes in from the west
  [121.4912, 31.243, 400],
  [121.4905, 31.2395, 400], // the Bund (外滩) against Lujiazui
  [121.4925, 31.235, 400],
  [121.4975, 31.23, 400],
  [121.5024, 31.2257, 400],
  [121.505, 31.2208, 400],
  [121.5058, 31.2169, 400], // Nanpu Bridge (南浦大桥)
  [121.504, 31.2125, 400],
  [121.4975, 31.203, 400],
  [121.4916, 31.1965, 400],
  [121.485, 31.1935, 390], // Expo riverside
  [121.472, 31.1905, 380], // Lupu Bridge (卢浦大桥)
  [121.4655, 31.187, 380],
  [121.462, 31.183, 380],
  [121.4613, 31.1777, 380],
  [121.464, 31.17, 380],
  [121.4648, 31.163, 380],
  [121.46, 31.155, 380],
  [121.454, 31.148, 380], // Xupu Bridge (徐浦大桥)
  [121.454, 31.142, 380],
  [121.4585, 31.1365, 370],
  [121.464, 31.13, 370],
  [121.4652, 31.1211, 370],
  [121.4615, 31.1145, 370],
  [121.464, 31.098, 360], // through Minhang: Wujing (吴泾) west, Pujiang (浦江) east
  [121.474, 31.075, 360],
  [121.484, 31.05, 350],
  [121.489, 31.03, 350],
  [121.488, 31.017, 350], // turns west: Minhang (north bank) / Fengxian (south bank)
  [121.48, 31.0165, 340],
  [121.47, 31.015, 340],
  [121.461, 31.011, 340],
  [121.445, 31.0095, 330],
  [121.433, 31.0065, 330],
  [121.421, 30.9975, 320],
  [121.4055, 30.9925, 320],
  [121.387, 30.99, 310],
  [121.37, 30.985, 300],
  [121.355, 30.9805, 300],
  [121.34, 30.9795, 300],
  [121.322, 30.984, 300],
  [121.3, 30.9785, 300],
  [121.275, 30.974, 300],
  [121.25, 30.97, 300], // Mishidun (米市渡), where the upper Huangpu forms
];

/** Suzhou Creek, mouth to west: Waibaidu Bridge → Zhabei/Putuo meanders → outer ring road. */
export const SUZHOU_CREEK_CENTRELINE: readonly CentrelineVertex[] = [
  [121.4915, 31.2452, 70], // starts in the Huangpu so the two polygons meet
  [121.487, 31.246, 70], // Waibaidu Bridge (外白渡桥)
  [121.4838, 31.2468, 65],
  [121.4809, 31.246, 65],
  [121.4788, 31.2444, 65],
  [121.4762, 31.2428, 65],
  [121.472, 31.2438, 65],
  [121.468, 31.2425, 60],
  [121.4652, 31.2415, 60],
  [121.4593, 31.244, 60],
  [121.4545, 31.2465, 60],
  [121.449, 31.247, 60],
  [121.4456, 31.2452, 60],
  [121.4417, 31.2438, 60],
  [121.4319, 31.2382, 60],
  [121.427, 31.237, 60],
  [121.4241, 31.2333, 60],
  [121.4226, 31.2312, 60],
  [121.4192, 31.2302, 60],
  [121.4163, 31.2276, 60],
  [121.4135, 31.2288, 60],
  [121.4114, 31.2266, 60],
  [121.4006, 31.2236, 60],
  [121.3967, 31.2233, 55],
  [121.3948, 31.2208, 55],
  [121.384, 31.2206, 55],
  [121.3723, 31.2224, 55],
  [121.3665, 31.2252, 55],
  [121.362, 31.2275, 55],
  [121.3567, 31.2285, 55],
  [121.348, 31.236, 55],
  [121.34, 31.2392, 55],
  [121.3343, 31.2398, 50],
  [121.3304, 31.238, 50],
  [121.3296, 31.2345, 50],
  [121.3216, 31.2324, 50],
  [121.3104, 31.2298, 50],
  [121.3, 31.233, 50],
];

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/**
 * The polygon of a river: both banks offset from the centreline by half the width (mitred at each
 * vertex, the mitre capped at twice the half-width), flat at the ends, closed.
 */
export function riverPolygon(centreline: readonly CentrelineVertex[]): Polygon {
  const lat0 = centreline.reduce((s, v) => s + v[1], 0) / centreline.length;
  const kx = 111320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110574;
  const pts = centreline.map(([lon, lat]) => [lon * kx, lat * ky] as const);
  const left: [number, number][] = [];
  const right: [number, number][] = [];
  const n = pts.length;
  for (let i = 0; i < n; i++) {
    const [x, y] = pts[i]!;
    const prev = pts[Math.max(0, i - 1)]!;
    const next = pts[Math.min(n - 1, i + 1)]!;
    const normal = (a: readonly [number, number], b: readonly [number, number]): [number, number] => {
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len = Math.hypot(dx, dy) || 1;
      return [-dy / len, dx / len];
    };
    const n1 = i > 0 ? normal(prev, pts[i]!) : normal(pts[i]!, next);
    const n2 = i < n - 1 ? normal(pts[i]!, next) : n1;
    let mx = n1[0] + n2[0];
    let my = n1[1] + n2[1];
    const ml = Math.hypot(mx, my) || 1;
    mx /= ml;
    my /= ml;
    const half = centreline[i]![2] / 2;
    const cos = Math.max(0.5, mx * n1[0] + my * n1[1]); // mitre at most 2 × half-width
    const d = half / cos;
    left.push([round7((x + mx * d) / kx), round7((y + my * d) / ky)]);
    right.push([round7((x - mx * d) / kx), round7((y - my * d) / ky)]);
  }
  const ring: Ring = [...left, ...right.reverse()];
  ring.push([ring[0]![0], ring[0]![1]]);
  return [ring];
}

/** 黄浦江 Huangpu River. */
export const HUANGPU_RIVER: WaterFeature = { nameZh: '黄浦江', nameEn: 'Huangpu River', kind: 'river', polygon: riverPolygon(HUANGPU_CENTRELINE) };

/** 苏州河 Suzhou Creek (吴淞江 in its upper reaches). */
export const SUZHOU_CREEK: WaterFeature = { nameZh: '苏州河', nameEn: 'Suzhou Creek', kind: 'river', polygon: riverPolygon(SUZHOU_CREEK_CENTRELINE) };

/** All the demo city's water. */
export const WATER: readonly WaterFeature[] = [HUANGPU_RIVER, SUZHOU_CREEK];

/** The water polygons alone, for keeping demo roads and components on land. */
export const WATER_POLYGONS: readonly Polygon[] = WATER.map((w) => w.polygon);

// ---- land: an area minus water, tested fast ----

/**
 * Even-odd point-in-rings test made fast for millions of lookups: a raster of cells known to be
 * wholly inside or outside, and for cells an edge passes through, the crossing test over only the
 * edges of that row. Gives the same answer as pointInRing/pointInPolygon (same arithmetic).
 */
class RingIndex {
  private readonly x0: number;
  private readonly y0: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cells: Uint8Array; // 0 outside, 1 inside, 2 test the row's edges
  private readonly rows: Float64Array[]; // per row: xi, yi, xj, yj, …

  constructor(rings: readonly (readonly [number, number][])[], private readonly cell = 0.002) {
    const pts = rings.flat();
    this.x0 = Math.min(...pts.map((p) => p[0])) - cell;
    this.y0 = Math.min(...pts.map((p) => p[1])) - cell;
    this.nx = Math.ceil((Math.max(...pts.map((p) => p[0])) + cell - this.x0) / cell);
    this.ny = Math.ceil((Math.max(...pts.map((p) => p[1])) + cell - this.y0) / cell);
    this.cells = new Uint8Array(this.nx * this.ny);
    const rows: number[][] = Array.from({ length: this.ny }, () => []);
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        const r0 = Math.floor((Math.min(yi, yj) - this.y0) / cell);
        const r1 = Math.floor((Math.max(yi, yj) - this.y0) / cell);
        const c0 = Math.floor((Math.min(xi, xj) - this.x0) / cell);
        const c1 = Math.floor((Math.max(xi, xj) - this.x0) / cell);
        for (let r = r0; r <= r1; r++) {
          rows[r]!.push(xi, yi, xj, yj);
          for (let c = c0; c <= c1; c++) this.cells[r * this.nx + c] = 2;
        }
      }
    }
    this.rows = rows.map((r) => Float64Array.from(r));
    for (let r = 0; r < this.ny; r++) {
      for (let c = 0; c < this.nx; c++) {
        const k = r * this.nx + c;
        if (this.cells[k] !== 2) this.cells[k] = this.crossings(this.x0 + (c + 0.5) * cell, this.y0 + (r + 0.5) * cell, r) ? 1 : 0;
      }
    }
  }

  private crossings(x: number, y: number, row: number): boolean {
    const e = this.rows[row]!;
    let inside = false;
    for (let k = 0; k < e.length; k += 4) {
      const xi = e[k]!;
      const yi = e[k + 1]!;
      const xj = e[k + 2]!;
      const yj = e[k + 3]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  contains(x: number, y: number): boolean {
    const c = Math.floor((x - this.x0) / this.cell);
    const r = Math.floor((y - this.y0) / this.cell);
    if (c < 0 || r < 0 || c >= this.nx || r >= this.ny) return false;
    const s = this.cells[r * this.nx + c]!;
    return s === 2 ? this.crossings(x, y, r) : s === 1;
  }
}

/** Fast "is this position on land in the area": inside the multipolygon and in none of the exclusions. */
export class AreaTester {
  private readonly area: RingIndex;
  private readonly exclude: RingIndex[];

  constructor(area: MultiPolygon, exclude: readonly Polygon[] = []) {
    this.area = new RingIndex(area.flat()); // polygons of a valid multipolygon do not overlap
    this.exclude = exclude.map((p) => new RingIndex(p));
  }

  contains(lon: number, lat: number): boolean {
    if (!this.area.contains(lon, lat)) return false;
    for (const e of this.exclude) if (e.contains(lon, lat)) return false;
    return true;
  }
}

// ---- planar predicates (any consistent x/y units) ----

export type XY = [number, number];
const cross = (a: XY, b: XY, c: XY) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
/** The segments ab and cd touch or cross (collinear overlaps are not detected). */
export function segmentsMeet(a: XY, b: XY, c: XY, d: XY): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return d1 * d2 <= 0 && d3 * d4 <= 0 && (d1 !== 0 || d2 !== 0 || d3 !== 0 || d4 !== 0);
}
/** No two non-adjacent segments of the line (a closed ring when `ring`) touch. */
export function simpleLine(line: XY[], ring: boolean): boolean {
  const n = line.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) if (!(ring && i === 0 && j === n - 1) && segmentsMeet(line[i]!, line[i + 1]!, line[j]!, line[j + 1]!)) return false;
  }
  return true;
}
/** The convex polygon p (either winding, not closed) contains q, its boundary included. */
export function convexContains(p: XY[], q: XY): boolean {
  let sign = 0;
  for (let i = 0; i < p.length; i++) {
    const c = Math.sign(cross(p[i]!, p[(i + 1) % p.length]!, q));
    if (c !== 0 && sign !== 0 && c !== sign) return false;
    if (c !== 0) sign = c;
  }
  return true;
}
