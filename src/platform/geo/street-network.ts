// A plausible street network for a district of the demo city, generated from a seed.
//
// A grid in a slightly rotated frame, bent by a smooth displacement field (so lines curve gently and
// still meet where they cross), in three ranks: arterials ~900 m apart, secondary roads between
// them (~450 m) and local streets (~150–220 m) where the city is dense. How dense a place is falls
// off with distance from a few urban centres (Lujiazui for Pudong, plus its towns): far out only
// every fourth arterial survives (~3.6 km, the county roads). Lines are clipped to the area, minus
// water, and split where they leave it. Nothing here is real except the outline it is clipped to.

import { bbox, type MultiPolygon, type Polygon } from '../../jurisdictions/geo/polygon.ts';
import { randomFor, type Random } from '../../jurisdictions/geo/random.ts';
import { AreaTester, WATER_POLYGONS } from './water.ts';

export type RoadKind = 'arterial' | 'secondary' | 'local';

export interface Road {
  id: string;
  kind: RoadKind;
  nameZh: string;
  nameEn: string;
  /** WGS84 [lon, lat], 7 decimals, every vertex inside the area. */
  line: [number, number][];
}

/** A place the city is dense around: full density within about `radiusKm`, falling off beyond. */
export interface UrbanCentre {
  at: [number, number];
  radiusKm: number;
}

export interface StreetNetworkOptions {
  seed: number;
  /** Arterial spacing in metres (default 900); secondary and local spacings follow from it. */
  spacingMetres?: number;
  /** Names the network: keys its randomness, prefixes road ids, picks DEMO_CENTRES (default 'demo'). */
  name?: string;
  /** Where the city is dense; default DEMO_CENTRES[name], else the middle of the area. */
  centres?: UrbanCentre[];
  /** Water to keep roads out of (default: the Huangpu and Suzhou Creek). */
  exclude?: readonly Polygon[];
}

/** Urban centres by district code; the first is the main one (historic buildings cluster there). */
export const DEMO_CENTRES: Readonly<Record<string, UrbanCentre[]>> = {
  '310115': [
    { at: [121.5, 31.235], radiusKm: 9 }, // Lujiazui (陆家嘴)
    { at: [121.6, 31.205], radiusKm: 4 }, // Zhangjiang (张江)
    { at: [121.59, 31.265], radiusKm: 3.5 }, // Jinqiao (金桥)
    { at: [121.58, 31.345], radiusKm: 2.5 }, // Gaoqiao (高桥)
    { at: [121.7, 31.19], radiusKm: 2.5 }, // Chuansha (川沙)
    { at: [121.575, 31.115], radiusKm: 2.5 }, // Zhoupu (周浦)
    { at: [121.76, 31.055], radiusKm: 2.5 }, // Huinan (惠南)
    { at: [121.93, 30.9], radiusKm: 3.5 }, // Lingang (临港), around Dishui Lake
  ],
};

/** The urban centres used for a district: its DEMO_CENTRES entry, else one in the middle of the area. */
export function demoCentres(code: string | undefined, area: MultiPolygon): UrbanCentre[] {
  const known = code ? DEMO_CENTRES[code] : undefined;
  if (known) return known;
  const [x0, y0, x1, y1] = bbox(area);
  const frame = localFrame((x0 + x1) / 2, (y0 + y1) / 2);
  const diagonalKm = Math.hypot((x1 - x0) * frame.kx, (y1 - y0) * frame.ky) / 1000;
  return [{ at: [(x0 + x1) / 2, (y0 + y1) / 2], radiusKm: Math.max(1, diagonalKm / 4) }];
}

// ---- geometry helpers shared with the component generator ----

export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/** Metres east/north of a reference point (equirectangular; fine at city scale). */
export interface LocalFrame {
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
}

export function localFrame(lon0: number, lat0: number): LocalFrame {
  return { lon0, lat0, kx: 111320 * Math.cos((lat0 * Math.PI) / 180), ky: 110574 };
}

/** Length of a [lon, lat] polyline in metres. */
export function lineLengthMetres(line: readonly [number, number][]): number {
  const f = localFrame(line[0]?.[0] ?? 0, line[0]?.[1] ?? 0);
  let len = 0;
  for (let i = 1; i < line.length; i++) len += Math.hypot((line[i]![0] - line[i - 1]![0]) * f.kx, (line[i]![1] - line[i - 1]![1]) * f.ky);
  return len;
}

/** A road in local metres with cumulative distances, for walking along it. */
export interface PreparedRoad {
  road: Road;
  xs: Float64Array;
  ys: Float64Array;
  cum: Float64Array;
  length: number;
}

/** The road between distances a and b, moved sideways by `lane` metres (left positive), local metres. */
export function offsetSlice(pr: PreparedRoad, a: number, b: number, lane: number): [number, number][] {
  const { xs, ys, cum } = pr;
  const out: [number, number][] = [];
  const normal = (i: number): [number, number] => {
    const d = cum[i + 1]! - cum[i]! || 1;
    return [-(ys[i + 1]! - ys[i]!) / d, (xs[i + 1]! - xs[i]!) / d];
  };
  const push = (s: number, k: number) => {
    const f = (s - cum[k]!) / (cum[k + 1]! - cum[k]! || 1);
    const [nx, ny] = normal(k);
    out.push([xs[k]! + (xs[k + 1]! - xs[k]!) * f + nx * lane, ys[k]! + (ys[k + 1]! - ys[k]!) * f + ny * lane]);
  };
  let i = 0;
  while (i < cum.length - 2 && cum[i + 1]! < a) i++;
  push(a, i);
  for (let k = i + 1; k < cum.length - 1 && cum[k]! < b; k++) {
    if (cum[k]! - a < 2 || b - cum[k]! < 2) continue;
    const [n1x, n1y] = normal(k - 1);
    const [n2x, n2y] = normal(k);
    const m = Math.hypot(n1x + n2x, n1y + n2y) || 1;
    out.push([xs[k]! + ((n1x + n2x) / m) * lane, ys[k]! + ((n1y + n2y) / m) * lane]);
  }
  while (i < cum.length - 2 && cum[i + 1]! < b) i++;
  push(b, i);
  return out;
}

/** Projects a road into a local frame and measures it. */
export function prepareRoad(road: Road, frame: LocalFrame): PreparedRoad {
  const n = road.line.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const cum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = (road.line[i]![0] - frame.lon0) * frame.kx;
    ys[i] = (road.line[i]![1] - frame.lat0) * frame.ky;
    if (i > 0) cum[i] = cum[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
  }
  return { road, xs, ys, cum, length: cum[n - 1] ?? 0 };
}

// ---- names ----

// Two-syllable stems of (mostly real) Pudong street names, with their pinyin syllables.
const STEMS = (
  '张杨 zhang yang,世纪 shi ji,浦建 pu jian,锦绣 jin xiu,东方 dong fang,杨高 yang gao,龙阳 long yang,花木 hua mu,' +
  '芳甸 fang dian,民生 min sheng,源深 yuan shen,金桥 jin qiao,罗山 luo shan,博山 bo shan,崂山 lao shan,浦电 pu dian,' +
  '潍坊 wei fang,峨山 e shan,栖霞 qi xia,商城 shang cheng,银城 yin cheng,丰和 feng he,即墨 ji mo,乳山 ru shan,' +
  '福山 fu shan,沂南 yi nan,昌邑 chang yi,文登 wen deng,荣成 rong cheng,牡丹 mu dan,海阳 hai yang,羽山 yu shan,' +
  '桃林 tao lin,云山 yun shan,金杨 jin yang,灵山 ling shan,枣庄 zao zhuang,巨野 ju ye,长岛 chang dao,高青 gao qing,' +
  '高科 gao ke,科苑 ke yuan,碧波 bi bo,晨晖 chen hui,春晓 chun xiao,华夏 hua xia,申江 shen jiang,五洲 wu zhou,' +
  '航头 hang tou,沪南 hu nan,康桥 kang qiao,周邓 zhou deng,秀浦 xiu pu,御桥 yu qiao,北蔡 bei cai,环林 huan lin,' +
  '锦安 jin an,成山 cheng shan,上南 shang nan,林浦 lin pu,云台 yun tai,耀华 yao hua,齐河 qi he,洪山 hong shan,' +
  '德州 de zhou,杨思 yang si,三林 san lin,东明 dong ming,凌兆 ling zhao,高桥 gao qiao,港城 gang cheng,唐镇 tang zhen,' +
  '新陆 xin lu,申港 shen gang,古棕 gu zong,水芸 shui yun,环湖 huan hu,芦潮 lu chao,书院 shu yuan,万祥 wan xiang,' +
  '老港 lao gang,大团 da tuan,惠南 hui nan,拱极 gong ji,听潮 ting chao,观海 guan hai,宣桥 xuan qiao,新场 xin chang,' +
  '祝桥 zhu qiao,合庆 he qing,江镇 jiang zhen,施湾 shi wan,东靖 dong jing,港建 gang jian,金海 jin hai,龙东 long dong,' +
  '川沙 chuan sha,妙境 miao jing,横沔 heng mian,孙桥 sun qiao,唐陆 tang lu,创新 chuang xin,高东 gao dong,高宁 gao ning,' +
  '杨园 yang yuan,巨峰 ju feng,五莲 wu lian,芳华 fang hua,樱花 ying hua,兰花 lan hua,紫槐 zi huai,白杨 bai yang,' +
  '明月 ming yue,秋月 qiu yue,张衡 zhang heng,蔡伦 cai lun,李冰 li bing,碧云 bi yun,红枫 hong feng,黄杨 huang yang,' +
  '玉兰 yu lan,丁香 ding xiang,陆家 lu jia,东育 dong yu,浦明 pu ming,雪野 xue ye,历城 li cheng,临沂 lin yi,' +
  '蓝村 lan cun,峨眉 e mei,世博 shi bo,高行 gao hang,莱阳 lai yang,张江 zhang jiang,金科 jin ke,晨阳 chen yang,' +
  '秀沿 xiu yan,沪城 hu cheng,鹿园 lu yuan,川展 chuan zhan,华东 hua dong,申亚 shen ya,龙汇 long hui,白莲 bai lian,' +
  '梅花 mei hua,迎春 ying chun,桂林 gui lin,杨南 yang nan'
)
  .split(',')
  .map((s) => {
    const [zh, a, b] = s.split(' ') as [string, string, string];
    return { zh, syl: [a, b] as [string, string] };
  });

const SUFFIX_EN: Record<string, string> = { 路: 'Rd', 大道: 'Ave', 公路: 'Hwy', 街: 'St', 支路: 'Branch Rd' };
const DIRECTION_EN: Record<string, string> = { 东: 'E', 西: 'W', 南: 'S', 北: 'N', 中: 'M' };
const EN_OVERRIDE: Record<string, string> = { 世纪大道: 'Century Ave' };

function pinyin(a: string, b: string): string {
  return a[0]!.toUpperCase() + a.slice(1) + (/^[aeo]/.test(b) ? "'" : '') + b;
}

/** Hands out unique, plausible road names. */
class RoadNamer {
  private readonly used = new Set<string>();
  constructor(private readonly rnd: Random) {}

  name(suffix: string, direction: string): { zh: string; en: string } {
    for (let attempt = 0; attempt < 200; attempt++) {
      const a = STEMS[Math.floor(this.rnd() * STEMS.length)]!;
      // real stems first; later attempts mix syllables of two stems (张 + 深 → 张深)
      const b = attempt < 6 ? a : STEMS[Math.floor(this.rnd() * STEMS.length)]!;
      if (b.zh[1] === a.zh[0]) continue;
      const stemZh = a.zh[0]! + b.zh[1]!;
      const stemEn = pinyin(a.syl[0], b.syl[1]);
      // taken? a directional variant (杨高北路) of a plain 路, unless it would read 沪南南路
      for (const dir of suffix === '路' && attempt >= 3 && b.zh[1] !== direction ? ['', direction] : ['']) {
        const zh = stemZh + dir + suffix;
        const en = EN_OVERRIDE[zh] ?? `${stemEn} ${SUFFIX_EN[suffix]}${dir ? ` (${DIRECTION_EN[dir]})` : ''}`;
        if (this.used.has(zh) || this.used.has(en)) continue; // homophones (杨高/阳高) would read the same in English
        this.used.add(zh).add(en);
        return { zh, en };
      }
    }
    const n = this.used.size;
    const zh = `规划${n}路`;
    this.used.add(zh).add(`Planned Rd ${n}`);
    return { zh, en: `Planned Rd ${n}` };
  }
}

// ---- the network ----

const ARTERIAL_MINOR = 0.25; // urbanity above which every arterial (not only the majors) runs
const MAJOR_EVERY = 4; // far out, only every fourth arterial runs (~3.6 km apart)
const SECONDARY = 0.35;
const LOCAL = 0.6;
const STEP = 60; // metres between polyline vertices

type GridLine = { pos: number; kind: RoadKind; major: boolean };

/** Arterial positions with jittered spacing, a secondary in each gap, and local streets between. */
function gridLines(min: number, max: number, spacing: number, rnd: Random): { lines: GridLine[]; arterials: number[]; majors: number[]; level2: number[] } {
  const arterials: number[] = [];
  for (let p = min + rnd() * spacing; p < max; p += spacing * (0.85 + 0.3 * rnd())) arterials.push(p);
  const phase = Math.floor(rnd() * MAJOR_EVERY);
  const lines: GridLine[] = arterials.map((pos, i) => ({ pos, kind: 'arterial', major: i % MAJOR_EVERY === phase }));
  const level2 = [...arterials];
  for (let i = 0; i + 1 < arterials.length; i++) {
    const a = arterials[i]!;
    const gap = arterials[i + 1]! - a;
    const mid = a + gap * (0.42 + 0.16 * rnd());
    lines.push({ pos: mid, kind: 'secondary', major: false });
    level2.push(mid);
    for (const [lo, hi] of [[a, mid], [mid, a + gap]] as const) {
      const n = Math.max(0, Math.round((hi - lo) / (spacing * 0.21)) - 1);
      for (let k = 1; k <= n; k++) lines.push({ pos: lo + ((hi - lo) * (k + (rnd() - 0.5) * 0.25)) / (n + 1), kind: 'local', major: false });
    }
  }
  level2.sort((x, y) => x - y);
  return { lines, arterials, majors: arterials.filter((_, i) => i % MAJOR_EVERY === phase), level2 };
}

/** Generates the network (deterministic for the seed and options); roads in a stable order. */
export function generateStreetNetwork(area: MultiPolygon, opts: StreetNetworkOptions): Road[] {
  const key = opts.name ?? 'demo';
  const rnd = randomFor(opts.seed, `streets:${key}`);
  const spacing = opts.spacingMetres ?? 900;
  const [bx0, by0, bx1, by1] = bbox(area);
  const frame = localFrame((bx0 + bx1) / 2, (by0 + by1) / 2);
  const tester = new AreaTester(area, opts.exclude ?? WATER_POLYGONS);
  const centres = (opts.centres ?? demoCentres(opts.name, area)).map((c) => ({
    x: (c.at[0] - frame.lon0) * frame.kx,
    y: (c.at[1] - frame.lat0) * frame.ky,
    r2: (c.radiusKm * 1000) ** 2,
  }));
  const main = centres[0]!;

  // grid frame: rotated by up to ±14°, bent by a smooth field (its slope stays below 0.8, so it never folds)
  const theta = ((rnd() * 2 - 1) * 14 * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const waves = Array.from({ length: 5 }, (_, i) => {
    const lambda = i < 3 ? 3000 + rnd() * 6000 : 1200 + rnd() * 1000;
    const amp = lambda * (i < 3 ? 0.022 : 0.012); // slope 2πA/λ ≈ 0.14 or 0.075 per wave
    const dir = rnd() * Math.PI;
    return { kx: Math.cos(dir) / lambda, ky: Math.sin(dir) / lambda, amp, px: rnd() * 6.283, py: rnd() * 6.283 };
  });
  const noise = [rnd() * 6.283, rnd() * 6.283, rnd() * 6.283];
  const urbanity = (x: number, y: number): number => {
    let u = 0;
    for (const c of centres) {
      const d2 = ((x - c.x) ** 2 + (y - c.y) ** 2) / c.r2;
      const f = 1 / (1 + d2 * d2);
      if (f > u) u = f;
    }
    return u + 0.08 * Math.sin(x / 2300 + noise[0]!) * Math.sin(y / 3100 + noise[1]!) + 0.05 * Math.sin((x + y) / 1700 + noise[2]!);
  };
  /** Grid (u, v) → metres in the local frame, bent. */
  const toXY = (u: number, v: number): [number, number] => {
    const x = u * cos - v * sin;
    const y = u * sin + v * cos;
    let dx = 0;
    let dy = 0;
    for (const w of waves) {
      const t = 6.283185 * (x * w.kx + y * w.ky);
      dx += w.amp * Math.sin(t + w.px);
      dy += w.amp * Math.sin(t + w.py);
    }
    return [x + dx, y + dy];
  };

  // grid extent: the projected bounding box, rotated into (u, v), with a margin for the bending
  const corners = [[bx0, by0], [bx1, by0], [bx0, by1], [bx1, by1]].map(([lon, lat]) => {
    const x = (lon! - frame.lon0) * frame.kx;
    const y = (lat! - frame.lat0) * frame.ky;
    return [x * cos + y * sin, -x * sin + y * cos] as const;
  });
  const margin = 1500;
  const uMin = Math.min(...corners.map((c) => c[0])) - margin;
  const uMax = Math.max(...corners.map((c) => c[0])) + margin;
  const vMin = Math.min(...corners.map((c) => c[1])) - margin;
  const vMax = Math.max(...corners.map((c) => c[1])) + margin;
  const families = [gridLines(uMin, uMax, spacing, rnd), gridLines(vMin, vMax, spacing, rnd)];

  const namer = new RoadNamer(randomFor(opts.seed, `street-names:${key}`));
  const roads: Road[] = [];
  families.forEach((family, f) => {
    const other = families[1 - f]!;
    const [oMin, oMax] = f === 0 ? [vMin, vMax] : [uMin, uMax];
    const at = (pos: number, t: number): [number, number] => (f === 0 ? toXY(pos, t) : toXY(t, pos));
    [...family.lines].sort((a, b) => a.pos - b.pos).forEach((line, li) => {
      const lr = randomFor(opts.seed, `street:${key}:${f}:${li}`);
      // which stretches (between crossing lines) of this line exist
      const runs: [number, number][] = [];
      if (line.major) runs.push([oMin, oMax]);
      else {
        const cuts = line.kind === 'arterial' ? other.majors : line.kind === 'secondary' ? other.arterials : other.level2;
        const threshold = line.kind === 'arterial' ? ARTERIAL_MINOR : line.kind === 'secondary' ? SECONDARY : LOCAL;
        const drop = line.kind === 'arterial' ? 0.02 : line.kind === 'secondary' ? 0.06 : 0.12;
        for (let k = 0; k + 1 < cuts.length; k++) {
          const [x, y] = at(line.pos, (cuts[k]! + cuts[k + 1]!) / 2);
          if (urbanity(x, y) < threshold || lr() < drop) continue;
          const last = runs[runs.length - 1];
          if (last && last[1] === cuts[k]) last[1] = cuts[k + 1]!;
          else runs.push([cuts[k]!, cuts[k + 1]!]);
        }
      }
      let lineName: { zh: string; en: string } | null = null;
      runs.forEach(([t0, t1], ri) => {
        const n = Math.max(2, Math.ceil((t1 - t0) / STEP) + 1);
        const pts: [number, number][] = [];
        for (let k = 0; k < n; k++) {
          const [x, y] = at(line.pos, t0 + ((t1 - t0) * k) / (n - 1));
          pts.push([frame.lon0 + x / frame.kx, frame.lat0 + y / frame.ky]);
        }
        const parts = clip(pts, tester);
        if (parts.length === 0) return;
        // one name per arterial line, one per run of a smaller road
        if (!lineName || line.kind !== 'arterial') {
          const [mx, my] = at(line.pos, (t0 + t1) / 2);
          const u = urbanity(mx, my);
          const pick = lr();
          const suffix =
            line.kind === 'arterial' ? (u < 0.3 ? (pick < 0.6 ? '公路' : '路') : pick < 0.25 ? '大道' : '路')
            : line.kind === 'secondary' ? (pick < 0.1 ? '街' : '路')
            : pick < 0.15 ? '街' : pick < 0.25 ? '支路' : '路';
          const alongX = Math.abs(f === 0 ? -sin : cos) > Math.abs(f === 0 ? cos : sin); // runs east–west
          const direction = alongX ? (mx > main.x ? '东' : '西') : my > main.y ? '北' : '南';
          lineName = namer.name(suffix, direction);
        }
        parts.forEach((part, pi) => {
          roads.push({ id: `${key}-${f === 0 ? 'a' : 'b'}${li}-${ri}-${pi}`, kind: line.kind, nameZh: lineName!.zh, nameEn: lineName!.en, line: part });
        });
      });
    });
  });
  return roads;
}

/** Splits a polyline into the parts inside the area, ending each part at the boundary. */
function clip(pts: [number, number][], tester: AreaTester): [number, number][][] {
  const parts: [number, number][][] = [];
  let cur: [number, number][] | null = null;
  const inside = (p: [number, number]) => tester.contains(p[0], p[1]);
  const edge = (a: [number, number], b: [number, number]): [number, number] | null => {
    // a inside, b outside: bisect to the last rounded position that is still inside
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 14; k++) {
      const m = (lo + hi) / 2;
      if (inside([a[0] + (b[0] - a[0]) * m, a[1] + (b[1] - a[1]) * m])) lo = m;
      else hi = m;
    }
    const p: [number, number] = [round7(a[0] + (b[0] - a[0]) * lo), round7(a[1] + (b[1] - a[1]) * lo)];
    return lo > 0 && inside(p) ? p : null;
  };
  for (let i = 0; i < pts.length; i++) {
    const p: [number, number] = [round7(pts[i]![0]), round7(pts[i]![1])];
    const ok = inside(p);
    if (ok && !cur) {
      cur = [];
      const e = i > 0 ? edge(p, pts[i - 1]!) : null;
      if (e) cur.push(e);
    }
    const last = cur?.[cur.length - 1];
    if (ok && !(last && last[0] === p[0] && last[1] === p[1])) cur!.push(p);
    if (!ok && cur) {
      const last = cur[cur.length - 1]!;
      const e = edge(last, p);
      if (e && (e[0] !== last[0] || e[1] !== last[1])) cur.push(e);
      parts.push(cur);
      cur = null;
    }
  }
  if (cur) parts.push(cur);
  return parts.filter((part) => part.length >= 2 && lineLengthMetres(part) >= 40);
}
