// Demo city components along a generated street network: streetlights, manhole covers and trees
// beside the roads, pipeline segments under them, compounds, sites and green spaces in the blocks.
//
// Streams (a generator), is deterministic for a seed (each road × type draws from its own seeded
// random source), keeps every geometry on land inside the area, and fills attributes that validate
// against each type's JSON Schema. `demoDensity` is the number per km of road at scale 1;
// estimateCount gives the total to expect without generating anything.

import type { MultiPolygon, Polygon } from '../../../jurisdictions/geo/polygon.ts';
import { randomFor, type Random } from '../../../jurisdictions/geo/random.ts';
import { demoCentres, lineLengthMetres, localFrame, offsetSlice, prepareRoad, round7, type PreparedRoad, type Road, type RoadKind } from '../../../platform/geo/street-network.ts';
import { AreaTester, convexContains, segmentsMeet, simpleLine, WATER_POLYGONS, type XY } from '../../../platform/geo/water.ts';

export interface DemoType {
  code: string;
  geometry: 'point' | 'line' | 'polygon';
  kind: 'component' | 'area' | 'line';
  /** Number per km of road at scale 1. */
  demoDensity: number;
  nameZh: string;
  /** JSON Schema of an object (properties with type/enum/minimum/maximum/items…); the attributes satisfy it. */
  attributes: Record<string, unknown>;
}

export type DemoStatus = 'intact' | 'damaged' | 'missing' | 'occupied' | 'removed';
export type DemoGeometry = { type: 'Point'; coordinates: XY } | { type: 'LineString'; coordinates: XY[] } | { type: 'Polygon'; coordinates: XY[][] };

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
/** Offset of point components from the centreline by road kind, always within 5–15 m. */
const POINT_OFFSET: Record<RoadKind, [number, number]> = { arterial: [10, 15], secondary: [7, 12], local: [5, 8] };

/** ~93% intact, 4% damaged, 1% missing, 1.5% occupied, 0.5% removed. */
export function pickStatus(u: number): DemoStatus {
  return u < 0.93 ? 'intact' : u < 0.97 ? 'damaged' : u < 0.98 ? 'missing' : u < 0.995 ? 'occupied' : 'removed';
}

type Footprint = { min: number; max: number; nearCentre: boolean; blob: boolean };
function footprint(t: DemoType): Footprint {
  const s = `${t.code} ${t.nameZh}`;
  if (/历史|保护建筑|historic|heritage/i.test(s)) return { min: 10, max: 30, nearCentre: true, blob: false };
  if (/小区|住宅|居住|工地|施工|residential|compound|construction/i.test(s)) return { min: 40, max: 200, nearCentre: false, blob: false };
  if (/绿|公园|green|park/i.test(s)) return { min: 30, max: 150, nearCentre: false, blob: true };
  return { min: 20, max: 80, nearCentre: false, blob: false };
}
/** Streetlights stand evenly, alternating sides; trees and guards roughly evenly; the rest anywhere. */
const pointMode = (t: DemoType): 'even' | 'jitter' | 'random' =>
  /路灯|street ?light|lamp/i.test(`${t.code} ${t.nameZh}`) ? 'even' : /行道树|护树|tree/i.test(`${t.code} ${t.nameZh}`) ? 'jitter' : 'random';

function setup(input: Pick<DemoInput, 'districtCode' | 'area' | 'types' | 'scale'>) {
  const main = demoCentres(input.districtCode, input.area)[0]!;
  const frame = localFrame(main.at[0], main.at[1]); // origin at the main centre
  /** Historic buildings only stand within this many metres of the main centre. */
  const radius = main.radiusKm * 350;
  const lengthNearCentre = (r: Road): number => {
    let len = 0;
    for (let i = 1; i < r.line.length; i++) {
      const [[x0, y0], [x1, y1]] = [r.line[i - 1]!, r.line[i]!];
      const near = Math.hypot(((x0 + x1) / 2 - frame.lon0) * frame.kx, ((y0 + y1) / 2 - frame.lat0) * frame.ky) <= radius;
      if (near) len += Math.hypot((x1 - x0) * frame.kx, (y1 - y0) * frame.ky);
    }
    return len;
  };
  return { frame, radius, lengthNearCentre, active: input.types.filter((t) => t.demoDensity > 0 && input.scale > 0) };
}

/** The number of components generateDemoComponents yields, to within a few percent (areas: at most). */
export function estimateCount(input: Pick<DemoInput, 'districtCode' | 'area' | 'roads' | 'types' | 'scale'>): number {
  const { lengthNearCentre, active } = setup(input);
  let total = 0;
  for (const road of input.roads) {
    const len = lineLengthMetres(road.line);
    for (const t of active) {
      const l = t.geometry === 'line' ? Math.max(0, len - 20) : t.geometry === 'polygon' && footprint(t).nearCentre ? lengthNearCentre(road) : len;
      total += l * ((t.demoDensity * input.scale) / 1000);
    }
  }
  return Math.round(total);
}

/** The scale at which the input would yield about `target` components. */
export function scaleForCount(input: Pick<DemoInput, 'districtCode' | 'area' | 'roads' | 'types'>, target: number): number {
  const atOne = estimateCount({ ...input, scale: 1 });
  return atOne > 0 ? target / atOne : 0;
}

/** Streams the demo components of one district, road by road, type by type. */
export function* generateDemoComponents(input: DemoInput): Generator<DemoComponent> {
  const { frame, radius, lengthNearCentre, active } = setup(input);
  const { lon0, lat0, kx, ky } = frame;
  const tester = new AreaTester(input.area, input.exclude ?? WATER_POLYGONS);
  const inside = (p: XY) => tester.contains(p[0], p[1]);
  const toLonLat = (x: number, y: number): XY => [round7(lon0 + x / kx), round7(lat0 + y / ky)];
  const mid = (a: XY, b: XY): XY => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const plans = active.map((type) => {
    const lr = randomFor(input.seed, `lane:${type.code}`);
    const fp = footprint(type);
    const attrs = compile(type.attributes as Schema, '', type);
    return { type, fp, attrs, spacing: 1000 / (type.demoDensity * input.scale), mode: pointMode(type), lane: (lr() < 0.5 ? -1 : 1) * (1.5 + 7 * lr()), seq: 0 };
  });
  const roads = input.roads.map((road) => prepareRoad(road, frame));
  const blocks = plans.some((p) => p.type.geometry === 'polygon') ? new BlockIndex(roads) : null;

  for (const pr of roads) {
    const { road, xs, ys, cum, length } = pr;
    let seg = 0;
    /** Position and unit direction at distance s along the road (s grows within one type). */
    const at = (s: number): [number, number, number, number] => {
      if (s < cum[seg]!) seg = 0;
      while (seg < cum.length - 2 && cum[seg + 1]! < s) seg++;
      const d = cum[seg + 1]! - cum[seg]! || 1;
      const ux = (xs[seg + 1]! - xs[seg]!) / d;
      const uy = (ys[seg + 1]! - ys[seg]!) / d;
      return [xs[seg]! + ux * (s - cum[seg]!), ys[seg]! + uy * (s - cum[seg]!), ux, uy];
    };
    for (const plan of plans) {
      const t = plan.type;
      const r = randomFor(input.seed, `${road.id}|${t.code}`);
      const sp = plan.spacing;
      const ctx: Ctx = { road, number: 1, seq: 0, address: '', size: 0, status: 'intact' };
      const item = (geometry: DemoGeometry, u: number, s: number, side: number, address?: string): DemoComponent => {
        ctx.number = 2 * Math.floor(s / 20) + (side > 0 ? 1 : 2); // odd numbers on one side, even on the other
        ctx.seq = ++plan.seq;
        ctx.address = address ?? `${road.nameZh}${ctx.number}号`;
        ctx.status = pickStatus(u);
        return { typeCode: t.code, geometry, status: ctx.status, attributes: plan.attrs(r, ctx) as Record<string, unknown>, address: ctx.address };
      };
      if (t.geometry === 'point') {
        const [o0, o1] = POINT_OFFSET[road.kind];
        const fixed = o0 + (o1 - o0) * r();
        let side = r() < 0.5 ? 1 : -1;
        seg = 0;
        for (let s = plan.mode === 'random' ? -Math.log(1 - r()) * sp : r() * sp; s < length; ) {
          const [px, py, ux, uy] = at(s);
          side = plan.mode === 'even' ? -side : r() < 0.5 ? 1 : -1;
          const off = plan.mode === 'even' ? fixed : o0 + (o1 - o0) * r();
          let p = toLonLat(px - uy * off * side, py + ux * off * side);
          if (!inside(p)) {
            side = -side; // the other side of the road
            p = toLonLat(px - uy * off * side, py + ux * off * side);
          }
          const u = r();
          if (inside(p)) yield item({ type: 'Point', coordinates: p }, u, s, side);
          s += plan.mode === 'even' ? sp : plan.mode === 'jitter' ? sp * (0.6 + 0.8 * r()) : -Math.log(1 - r()) * sp;
        }
      } else if (t.geometry === 'line') {
        for (let s = r() * sp; s + 20 <= length; s += sp) {
          const len = Math.min(length - s, Math.max(20, Math.min(300, sp * (0.55 + 0.35 * r()))));
          const line = offsetSlice(pr, s, s + len, plan.lane).map(([x, y]) => toLonLat(x, y));
          const u = r();
          if (line.length < 2 || !line.every(inside) || !simpleLine(line, false)) continue;
          ctx.size = len;
          yield item({ type: 'LineString', coordinates: line }, u, s, 1, `${road.nameZh}${2 * Math.floor(s / 20) + 1}号至${2 * Math.floor((s + len) / 20) + 1}号`);
        }
      } else if (!plan.fp.nearCentre || lengthNearCentre(road) > 0) {
        const fp = plan.fp;
        for (let s = r() * sp; s < length; s += sp) {
          const [px, py, ux, uy] = at(s);
          if (fp.nearCentre && Math.hypot(px, py) > radius) continue;
          let w = fp.min + (fp.max - fp.min) * r() * r();
          let h = Math.max(fp.min, Math.min(fp.max, w * (0.6 + 0.8 * r())));
          let side = r() < 0.5 ? 1 : -1;
          const setback = HALF_WIDTH[road.kind] + 8 + 10 * r();
          const skew = (r() - 0.5) * 0.12;
          const cut = fp.blob ? 0.2 + 0.3 * r() : 0;
          const u = r();
          for (let attempt = 0; attempt < 4 && w >= fp.min * 0.5; attempt++, w *= 0.7, h *= 0.7, side = -side) {
            const ring = quad(px, py, ux * side, uy * side, setback, w, h, skew, cut);
            const ll = ring.map(([x, y]) => toLonLat(x, y));
            if (!ll.every((p, i) => inside(p) && inside(mid(p, ll[(i + 1) % ll.length]!))) || !simpleLine([...ll, ll[0]!], true)) continue;
            if (!blocks!.free(quad(px, py, ux * side, uy * side, setback - 6, w + 12, h + 12, skew, 0), ring)) continue;
            blocks!.place(ring);
            ctx.size = Math.round(w * h * (1 - cut * cut / 2));
            yield item({ type: 'Polygon', coordinates: [[...ll, [ll[0]![0], ll[0]![1]]]] }, u, s, side);
            break;
          }
        }
      }
    }
  }
}

/** A convex quad beside the road (with `cut` > 0 one far corner cut off: a convex pentagon), local metres. */
function quad(px: number, py: number, ux: number, uy: number, setback: number, w: number, h: number, skew: number, cut: number): XY[] {
  const pt = (along: number, out: number): XY => [px + ux * along - uy * out, py + uy * along + ux * out];
  const far = setback + h;
  const ring = [pt(-w / 2, setback), pt(w / 2, setback), pt(w / 2 + skew * h, far), pt(-w / 2 + skew * h, far)];
  if (cut > 0) ring.splice(2, 1, pt(w / 2 + skew * h * (1 - cut), far - h * cut), pt(w / 2 + skew * h - w * cut, far));
  return ring;
}

/** Road segments and placed footprints (as boxes) on a 100 m grid: a new footprint touches neither. */
class BlockIndex {
  private readonly segs = new Map<number, number[]>(); // cell → [road, vertex, road, vertex, …]
  private readonly placed = new Map<number, number[][]>();
  constructor(private readonly roads: PreparedRoad[]) {
    roads.forEach((pr, ri) => {
      for (let i = 0; i + 1 < pr.xs.length; i++) {
        for (const k of this.cells([[pr.xs[i]!, pr.ys[i]!], [pr.xs[i + 1]!, pr.ys[i + 1]!]])) {
          const list = this.segs.get(k) ?? [];
          if (list.length === 0) this.segs.set(k, list);
          list.push(ri, i);
        }
      }
    });
  }
  private box(p: XY[]): number[] {
    const xs = p.map((q) => q[0]);
    const ys = p.map((q) => q[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  }
  private cells(p: XY[]): number[] {
    const [x0, y0, x1, y1] = this.box(p).map((v) => Math.floor(v / 100)) as [number, number, number, number];
    const out: number[] = [];
    for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) out.push(cx * 1_000_003 + cy);
    return out;
  }
  /** No road crosses or enters `clearance`, and the footprint's box meets no placed footprint's box. */
  free(clearance: XY[], ring: XY[]): boolean {
    const [x0, y0, x1, y1] = this.box(ring) as [number, number, number, number];
    for (const k of this.cells(clearance)) {
      const list = this.segs.get(k) ?? [];
      for (let j = 0; j < list.length; j += 2) {
        const pr = this.roads[list[j]!]!;
        const i = list[j + 1]!;
        const a: XY = [pr.xs[i]!, pr.ys[i]!];
        const b: XY = [pr.xs[i + 1]!, pr.ys[i + 1]!];
        if (convexContains(clearance, a) || convexContains(clearance, b)) return false;
        for (let e = 0; e < clearance.length; e++) if (segmentsMeet(a, b, clearance[e]!, clearance[(e + 1) % clearance.length]!)) return false;
      }
      for (const o of this.placed.get(k) ?? []) if (o[0]! <= x1 && x0 <= o[2]! && o[1]! <= y1 && y0 <= o[3]!) return false;
    }
    return true;
  }
  place(ring: XY[]): void {
    const b = this.box(ring);
    for (const k of this.cells(ring)) {
      const list = this.placed.get(k) ?? [];
      if (list.length === 0) this.placed.set(k, list);
      list.push(b);
    }
  }
}

// ---- attributes from a JSON Schema ----

type Schema = { type?: string | string[]; enum?: unknown[]; const?: unknown; format?: string; pattern?: string; title?: string } & { minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; multipleOf?: number } & { minLength?: number; maxLength?: number; items?: Schema; minItems?: number; maxItems?: number; uniqueItems?: boolean } & { properties?: Record<string, Schema>; required?: string[] };
/** What a value can be made from; `size` is a polygon's area (m²) or a line's length (m). */
type Ctx = { road: Road; number: number; seq: number; address: string; size: number; status: DemoStatus };
type Gen = (r: Random, c: Ctx) => unknown;

const pick = <T>(r: Random, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
const words = (s: string) => s.split(' ');
const ORGS = words('浦东新区市政管理所 上海城投水务（集团）有限公司 国网上海浦东供电公司 上海燃气浦东销售有限公司 中国电信上海浦东分公司 浦东新区绿化管理署 浦东新区环境卫生管理所 上海陆家嘴物业管理有限公司 上海东方有线网络有限公司 上海浦东建设股份有限公司');
const PEOPLE = words('陈 王 张 李 周 吴 徐 孙 朱 胡').flatMap((a) => words('建国 卫东 志强 海燕 丽华 文杰 晓峰 秀英').map((b) => a + b));
/** The usual owner or maintainer of a kind of thing. */
const ORG_BY_TYPE: [RegExp, string][] = [
  [/上水|给水|消防|供水|水井|中水/, '上海城投水务（集团）有限公司'], [/污水|雨水|排水|化粪/, '浦东新区排水管理所'],
  [/路灯|地灯|景观灯/, '浦东新区路灯管理所'], [/电力|变压|立杆|高压/, '国网上海浦东供电公司'], [/燃气|输油/, '上海燃气浦东销售有限公司'],
  [/通讯|通信|电话|电视|网络/, '中国电信上海浦东分公司'], [/树|绿|花|雕塑|喷泉|坐椅/, '浦东新区绿化管理署'],
  [/垃圾|厕|环保/, '浦东新区环境卫生管理所'], [/交通|信号|停车|公交|出租|护栏|路名|天桥|桥|通道/, '浦东新区建设和交通委员会'],
];
const STATUS_ZH: Record<DemoStatus, string> = { intact: '完好', damaged: '破损', missing: '丢失', occupied: '占用', removed: '废弃' };
const stem = (c: Ctx) => c.road.nameZh.slice(0, 2);
/** String values by property name and title; the first match wins. */
const STRINGS: [RegExp, (r: Random, c: Ctx, t: DemoType) => string][] = [
  [/address|地址/, (_, c) => c.address],
  [/pinyin|拼音/, (_, c) => c.road.nameEn.toUpperCase()],
  [/road|路名/, (_, c) => c.road.nameZh],
  [/intersection|路口/, (_, c) => `${c.road.nameZh}${c.number}号路口`],
  [/stop|stand|站名/, (r, c) => `${c.road.nameZh}${pick(r, ['', '东', '西', '南', '北'])}站`],
  [/route|线路$/, (r) => `${pick(r, ['', '浦东', '大桥', '申崇'])}${1 + Math.floor(r() * 990)}路`],
  [/species|树种/, (r) => pick(r, words('悬铃木 香樟 银杏 广玉兰 水杉 女贞 榉树 无患子 栾树 樱花'))],
  [/river|河道/, (r) => pick(r, words('川杨河 张家浜 白莲泾 三八河 浦东运河 大治河 赵家沟 洋泾港 高桥港'))],
  [/time|时间/, (r) => `${String(5 + Math.floor(r() * 17)).padStart(2, '0')}:${pick(r, words('00 15 30 45'))}`],
  [/_no$|_id$|编号|号$/, (_, c, t) => `${t.code}-${String(c.seq).padStart(6, '0')}`],
  [/purpose|用途说明/, (r) => pick(r, words('交通监控 治安防控 违停抓拍 环境监测'))],
  [/substance|物质/, (r) => pick(r, words('液氨 天然气 液化石油气 汽油 氯气'))],
  [/legend|内容/, (_, c) => `${c.road.nameZh} 前方路口`],
  [/zone|分区/, (_, c) => `${stem(c)}片区`],
  [/architect|artist|设计|作者/, (r) => pick(r, PEOPLE)],
  [/style|风格/, (r) => pick(r, words('装饰艺术派 新古典主义 石库门 中西合璧 现代主义'))],
  [/use|用途/, (r) => pick(r, words('住宅 办公 商业 仓库 学校 文化展示'))],
  [/company|unit|owner|builder|contractor|enterprise|operator|business|单位|企业|经营/, (r, c, t) => {
    const own = ORG_BY_TYPE.find(([re]) => re.test(t.nameZh))?.[1];
    return own && r() < 0.75 ? own : own || r() < 0.4 ? `上海${stem(c)}实业有限公司` : pick(r, ORGS);
  }],
  [/project|项目/, (_, c) => `${c.road.nameZh}${c.number}号地块项目`],
  [/work|作品/, (r) => pick(r, words('浦江之光 东方之韵 奔腾 和谐 春华秋实'))],
  [/line_name|线/, (_, c) => `${stem(c)}线`],
  [/bridge|桥/, (_, c) => `${stem(c)}桥`],
  [/name|名称|title/, (r, c, t) =>
    /历史|historic/i.test(t.nameZh) ? `${c.road.nameZh}${c.number}号旧宅`
    : /绿|green/i.test(t.nameZh) ? `${stem(c)}${pick(r, words('绿地 公园 街心花园'))}`
    : t.geometry === 'polygon' ? `${stem(c)}${pick(r, words('苑 花园 小区 新村 公寓 家园 名邸'))}`
    : `${c.road.nameZh}${c.number}号${t.nameZh}`],
];
/** Plausible ranges by property name (and type name), intersected with the schema's bounds. */
const RANGES: [RegExp, number, number][] = [
  [/year.*历史/, 1880, 1949], [/age_years|树龄/, 50, 300], [/crown|冠/, 2, 8], [/year|年/, 1985, 2023], [/dbh/, 10, 60], [/diameter_mm/, 300, 1200],
  [/height|高/, 3, 12], [/households|户数/, 200, 3000], [/buildings|楼栋/, 5, 60], [/spaces|车位/, 20, 500], [/power_w/, 60, 400],
  [/kva/, 200, 1250], [/depth/, 1, 5], [/width/, 2, 20], [/count|数/, 1, 8],
];

function compile(s: Schema, key: string, t: DemoType): Gen {
  if (s.const !== undefined) return () => s.const;
  const hint = `${key} ${s.title ?? ''} ${t.nameZh}`;
  const e = s.enum ?? [];
  if (/status|状态/.test(hint) && e.some((v) => v === '完好' || v === '废弃')) {
    // a condition field follows the component's status: 完好 when intact, 破损 when damaged…
    return (r, c) => (e.includes(STATUS_ZH[c.status]) ? STATUS_ZH[c.status] : c.status === 'intact' ? e[0] : pick(r, e.slice(1)));
  }
  if (e.length) return (r) => pick(r, e);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : (s.type ?? (s.properties ? 'object' : s.items ? 'array' : 'string'));
  if (type === 'object') {
    const req = new Set(s.required ?? []);
    const props = Object.entries(s.properties ?? {})
      .filter(([k, p]) => req.has(k) || !p.pattern || /time/.test(k)) // unknown patterns: leave optional fields out
      .map(([k, p]) => [k, compile(p, k, t), req.has(k)] as const);
    return (r, c) => {
      const o: Record<string, unknown> = {};
      for (const [k, g, must] of props) if (must || r() < 0.85) o[k] = g(r, c);
      return o;
    };
  }
  if (type === 'array') {
    const item = compile(s.items ?? { type: 'string' }, key, t);
    const lo = s.minItems ?? 1;
    const hi = Math.min(Math.max(lo, s.maxItems ?? 3), s.uniqueItems && s.items?.enum ? s.items.enum.length : Infinity);
    return (r, c) => {
      const n = lo + Math.floor(r() * (hi - lo + 1));
      const out: unknown[] = [];
      for (let k = 0; out.length < n && k < n * 8; k++) {
        const v = item(r, c);
        if (!s.uniqueItems || !out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(v);
      }
      return out;
    };
  }
  if (type === 'boolean') return (r) => r() < 0.5;
  if (type === 'integer' || type === 'number') {
    const int = type === 'integer';
    const eps = int ? 1 : 0.01;
    const min = Math.max(s.minimum ?? -Infinity, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + eps : -Infinity);
    const max = Math.min(s.maximum ?? Infinity, s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - eps : Infinity);
    // the plausible range where most of it is allowed, else the schema's bounds
    const [, dlo, dhi] = RANGES.find(([re]) => re.test(hint)) ?? [null, 0, 100];
    let lo = Math.max(min, dlo);
    let hi = Math.min(max, dhi);
    if (hi - lo < 0.3 * (dhi - dlo)) [lo, hi] = [Number.isFinite(min) ? min : max - 100, Number.isFinite(max) ? max : min + 100];
    const measured = /area|面积|length|长度/.test(key);
    const m = s.multipleOf ?? (int ? 1 : 0.01);
    const [k0, k1] = [Math.ceil(lo / m - 1e-9), Math.floor(hi / m + 1e-9)];
    return (r, c) => {
      const k = measured && c.size > 0 ? Math.min(k1, Math.max(k0, Math.round(c.size / m))) : k0 + Math.floor(r() * (k1 - k0 + 1));
      const v = int ? k * m : Number((k * m).toFixed(6));
      return v < min ? min : v > max ? max : v;
    };
  }
  const gen: (r: Random, c: Ctx, t: DemoType) => string =
    s.format === 'date' || s.format === 'date-time'
      ? (r) => {
          const y = /end|竣工/.test(hint) ? 2025 + Math.floor(r() * 3) : /start|开工/.test(hint) ? 2022 + Math.floor(r() * 3) : 2023 + Math.floor(r() * 2);
          const d = `${y}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
          return s.format === 'date' ? d : `${d}T09:30:00+08:00`;
        }
      : (STRINGS.find(([re]) => re.test(hint))?.[1] ?? ((_, c, ty) => `${ty.nameZh}${c.seq}`));
  const minLen = s.minLength ?? 0;
  const maxLen = s.maxLength ?? Infinity;
  return (r, c) => {
    let v = gen(r, c, t);
    if (v.length > maxLen) v = [...v].slice(0, maxLen).join('');
    while ([...v].length < minLen) v += '0';
    return v;
  };
}
