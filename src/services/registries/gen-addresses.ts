// Standard addresses (标准地址) for the generator: homes in compounds along the streets' roads, shop
// fronts and office rooms for entities, and household registrations in other cities for people
// whose hukou is not in Shanghai. Points are interpolated along the road polylines and set back
// from the road, odd numbers on one side and even on the other, as Shanghai numbers its roads.

import type { Address } from './registry.types.ts';
import { chance, int, pick, weighted, type Random } from './gen-random.ts';

/** A street (街道/镇) of the input and its roads. */
export interface StreetInput {
  /** 9-digit division code. */
  code: string;
  name: string;
  districtCode: string;
  districtName: string;
  /** Roads in the street with a polyline each (WGS84 lon/lat). */
  roads: Array<{ nameZh: string; nameEn: string; line: [number, number][] }>;
}

/** The deepest jurisdiction code containing a point, or null. */
export type Locate = (lon: number, lat: number) => string | null;

/** A place outside Shanghai people come from: its county code for identity numbers and a street and roads for hukou addresses. */
export interface OriginArea {
  code: string;
  /** Province, city and county as an address starts: 江苏省南京市玄武区. */
  prefix: string;
  streetCode: string;
  streetName: string;
  roads: ReadonlyArray<readonly [string, string]>;
  centre: readonly [number, number];
  /** Relative share among people born outside Shanghai (Anhui, Jiangsu, Henan, Sichuan lead). */
  weight: number;
}

/** Real counties and streets (GB/T 2260 and statistical codes) with real roads in them. */
export const ORIGINS: readonly OriginArea[] = [
  { code: '340104', prefix: '安徽省合肥市蜀山区', streetCode: '340104001', streetName: '三里庵街道', roads: [['长江西路', 'Changjiang Rd (W)'], ['黄山路', 'Huangshan Rd']], centre: [117.24, 31.85], weight: 16 },
  { code: '320102', prefix: '江苏省南京市玄武区', streetCode: '320102003', streetName: '新街口街道', roads: [['中山路', 'Zhongshan Rd'], ['长江路', 'Changjiang Rd']], centre: [118.79, 32.04], weight: 8 },
  { code: '320508', prefix: '江苏省苏州市姑苏区', streetCode: '320508018', streetName: '平江街道', roads: [['人民路', 'Renmin Rd'], ['干将路', 'Ganjiang Rd']], centre: [120.63, 31.31], weight: 7 },
  { code: '410105', prefix: '河南省郑州市金水区', streetCode: '410105002', streetName: '花园路街道', roads: [['花园路', 'Huayuan Rd'], ['金水路', 'Jinshui Rd']], centre: [113.68, 34.77], weight: 10 },
  { code: '510107', prefix: '四川省成都市武侯区', streetCode: '510107001', streetName: '浆洗街街道', roads: [['武侯祠大街', 'Wuhouci St'], ['洗面桥街', 'Ximianqiao St']], centre: [104.05, 30.65], weight: 7 },
  { code: '330106', prefix: '浙江省杭州市西湖区', streetCode: '330106004', streetName: '西溪街道', roads: [['文三路', 'Wensan Rd'], ['天目山路', 'Tianmushan Rd']], centre: [120.14, 30.28], weight: 6 },
  { code: '420106', prefix: '湖北省武汉市武昌区', streetCode: '420106003', streetName: '徐家棚街道', roads: [['和平大道', 'Heping Ave'], ['中南路', 'Zhongnan Rd']], centre: [114.33, 30.58], weight: 5 },
  { code: '360102', prefix: '江西省南昌市东湖区', streetCode: '360102004', streetName: '百花洲街道', roads: [['八一大道', 'Bayi Ave'], ['阳明路', 'Yangming Rd']], centre: [115.9, 28.68], weight: 5 },
  { code: '370102', prefix: '山东省济南市历下区', streetCode: '370102001', streetName: '解放路街道', roads: [['泉城路', 'Quancheng Rd'], ['经十路', 'Jingshi Rd']], centre: [117.03, 36.67], weight: 4 },
  { code: '430102', prefix: '湖南省长沙市芙蓉区', streetCode: '430102001', streetName: '文艺路街道', roads: [['五一大道', 'Wuyi Ave'], ['芙蓉中路', 'Furong Rd (M)']], centre: [113.0, 28.2], weight: 4 },
];

// Compound names: a stem and a kind of estate. 新村 are the 1950s-90s workers' estates, often named
// after their road (潍坊新村, 崂山新村); 花园, 苑 and 公寓 the commercial estates since.
const COMPOUND_STEMS = '阳光 锦绣 明珠 东方 春申 华庭 绿地 世纪 滨江 翠湖 紫薇 丽都 御景 名都 海上 梅园 静安 兰亭 香榭 金色 碧云 中远 古北 浦江 万源 康城 馨园 怡景'.split(' ');
const ESTATE_SUFFIXES = ['花园', '苑', '公寓', '小区', '家园', '雅苑', '名邸', '新苑'];
const METRES_PER_DEGREE_LAT = 110_574;
const NUMBER_SPACING_M = 8; // one odd/even pair of house numbers every 8 m of road
const COMPOUND_SPACING_M = 160;
const MAX_ATTEMPTS = 5000; // a street this full has roads far too short for the numbers asked

interface Compound {
  name: string;
  lane: number;
  lon: number;
  lat: number;
  /** The lane's mouth on the road, a fallback point surely in the street. */
  onRoad: [number, number];
  buildings: number;
  floors: number;
  units: number;
  roomsPerFloor: number;
  /** Flats handed out, as building·unit·room numbers (cheaper to hash than strings). */
  flats: Set<number>;
}

interface PreparedRoad {
  nameZh: string;
  nameEn: string;
  line: [number, number][];
  cum: number[];
  length: number;
  kx: number;
  compounds: Compound[];
}

/** A street ready to place addresses in. */
export interface PreparedStreet {
  input: StreetInput;
  roads: PreparedRoad[];
  length: number;
  compoundNames: Set<string>;
}

function prepareRoad(r: StreetInput['roads'][number]): PreparedRoad {
  const lat0 = r.line[0]?.[1] ?? 31.2;
  const kx = METRES_PER_DEGREE_LAT * 1.0038 * Math.cos((lat0 * Math.PI) / 180);
  const cum = [0];
  for (let i = 1; i < r.line.length; i++) {
    const [x0, y0] = r.line[i - 1]!;
    const [x1, y1] = r.line[i]!;
    cum.push(cum[i - 1]! + Math.hypot((x1 - x0) * kx, (y1 - y0) * METRES_PER_DEGREE_LAT));
  }
  return { ...r, cum, length: cum[cum.length - 1]!, kx, compounds: [] };
}

/** The point `d` metres along a road, set back `offset` metres to its left (negative: right). */
function pointAlong(road: PreparedRoad, d: number, offset: number): [number, number] {
  const { line, cum } = road;
  if (line.length === 1 || road.length === 0) return [line[0]![0], line[0]![1]];
  let i = 1;
  while (i < cum.length - 1 && cum[i]! < d) i++;
  const [x0, y0] = line[i - 1]!;
  const [x1, y1] = line[i]!;
  const seg = cum[i]! - cum[i - 1]! || 1;
  const t = Math.min(1, Math.max(0, (d - cum[i - 1]!) / seg));
  // Unit normal in metres, turned back into degrees.
  const dx = ((x1 - x0) * road.kx) / seg;
  const dy = ((y1 - y0) * METRES_PER_DEGREE_LAT) / seg;
  return [x0 + (x1 - x0) * t - (dy * offset) / road.kx, y0 + (y1 - y0) * t + (dx * offset) / METRES_PER_DEGREE_LAT];
}

/** The house number at `d` metres: odd on the left side, even on the right. */
function houseNumber(d: number, left: boolean): number {
  return 2 * Math.floor(d / NUMBER_SPACING_M) + (left ? 1 : 2);
}

/** A road name without its kind and direction, for 新村 named after it (张杨北路 → 张杨). */
function roadStem(road: string): string {
  return road.replace(/(支路|大道|公路|路|街)$/, '').replace(/[东西南北中]$/, '') || road;
}

/** Hands out unique addresses and keeps them in generation order. */
export class AddressBook {
  readonly addresses: Address[] = [];
  readonly streets: PreparedStreet[];
  private readonly taken = new Set<string>();
  private readonly streetSampler: (rnd: Random) => PreparedStreet;

  constructor(streets: readonly StreetInput[], private readonly locate: Locate | undefined) {
    this.streets = streets.map((input) => {
      const roads = input.roads.filter((r) => r.line.length > 0).map(prepareRoad);
      return { input, roads, length: roads.reduce((s, r) => s + r.length, 0), compoundNames: new Set<string>() };
    });
    const usable = this.streets.filter((s) => s.roads.length > 0);
    if (usable.length === 0) throw new RangeError('the registries need at least one street with a road');
    this.streetSampler = weighted(usable.map((s) => [s, Math.max(s.length, 1)] as const));
  }

  /** The address with an id this book handed out, found by the number in it. */
  byId(id: string): Address | undefined {
    const a = this.addresses[Number(id.slice(1)) - 1];
    return a?.id === id ? a : undefined;
  }

  /** A street drawn in proportion to its road length: more road, more doors. */
  pickStreet(rnd: Random): PreparedStreet {
    return this.streetSampler(rnd);
  }

  /** The input street a code lies in (or the first street in it, for a district code), else one in the same district, else null. */
  streetFor(code: string): PreparedStreet | null {
    const usable = this.streets.filter((s) => s.roads.length > 0);
    return (
      usable.find((s) => code.startsWith(s.input.code)) ??
      usable.find((s) => s.input.code.startsWith(code)) ??
      usable.find((s) => s.input.districtCode === code.slice(0, 6)) ??
      null
    );
  }

  /** A flat in a residential compound on one of the street's roads. */
  home(rnd: Random, street: PreparedStreet): Address {
    for (let attempt = 0; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new RangeError(`no room for more homes in ${street.input.name}: its roads are too short`);
      const road = this.pickRoad(rnd, street);
      // Flats keep being taken: past a few collisions the road gets a new compound even if crowded.
      const c = this.compound(rnd, street, road, attempt > 8);
      if (!c) continue;
      const building = int(rnd, 1, c.buildings);
      const unit = c.units > 0 ? int(rnd, 1, c.units) : 0;
      const room = int(rnd, 1, c.floors) * 100 + int(rnd, 1, c.roomsPerFloor);
      const flat = (building * 10 + unit) * 10_000 + room;
      if (c.flats.has(flat)) continue;
      c.flats.add(flat);
      // Buildings spread over the compound, up to ~80 m from its gate.
      const spread: [number, number] = [c.lon + ((rnd() - 0.5) * 160) / road.kx, c.lat + ((rnd() - 0.5) * 160) / METRES_PER_DEGREE_LAT];
      const tail = unit ? `${building}号楼${unit}单元${room}室` : `${building}号${room}室`;
      return this.add(street, road, String(c.lane), c.name, String(building), unit ? String(unit) : null, String(room), `${c.lane}弄${tail}`, [spread, [c.lon, c.lat], c.onRoad]);
    }
  }

  /** A shop front (`office` false) or an office room on one of the street's roads. */
  premises(rnd: Random, street: PreparedStreet, office: boolean): Address {
    for (let attempt = 0; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new RangeError(`no room for more premises in ${street.input.name}: its roads are too short`);
      const road = this.pickRoad(rnd, street);
      const d = rnd() * road.length;
      const left = chance(rnd, 0.5);
      const number = houseNumber(d, left);
      // Where the street fronts are all let, shops move into ground-floor units of a building (…号105室).
      const room = office ? int(rnd, 2, 28) * 100 + int(rnd, 1, 12) : attempt > 4 ? 100 + int(rnd, 1, 99) : null;
      // Keyed by road, not street: a road crossing two streets has one 88号.
      const key = `${road.nameZh}|${number}|${room ?? ''}`;
      if (this.taken.has(key)) continue;
      this.taken.add(key);
      const side = left ? 1 : -1;
      const points = [pointAlong(road, d, side * (office ? 25 : 8)), pointAlong(road, d, side * 2)];
      return this.add(street, road, String(number), null, null, null, room ? String(room) : null, `${number}号${room ? `${room}室` : ''}`, points);
    }
  }

  /** A household registration in another city (the hukou of a residence-permit holder). */
  elsewhere(rnd: Random, origin: OriginArea): Address {
    for (;;) {
      const [road, roadEn] = pick(rnd, origin.roads);
      const number = int(rnd, 1, 400);
      const building = int(rnd, 1, 30);
      const unit = int(rnd, 1, 4);
      const room = int(rnd, 1, 7) * 100 + int(rnd, 1, 4);
      const key = `${origin.streetCode}|${road}|${number}|${building}|${unit}|${room}`;
      if (this.taken.has(key)) continue;
      this.taken.add(key);
      const address: Address = {
        id: this.nextId(),
        districtCode: origin.code,
        streetCode: origin.streetCode,
        jurisdictionCode: origin.streetCode,
        road,
        roadEn,
        number: String(number),
        compound: null,
        building: String(building),
        unit: String(unit),
        room: String(room),
        full: `${origin.prefix}${origin.streetName}${road}${number}号${building}栋${unit}单元${room}室`,
        lon: round6(origin.centre[0] + (rnd() - 0.5) * 0.04),
        lat: round6(origin.centre[1] + (rnd() - 0.5) * 0.04),
      };
      this.addresses.push(address);
      return address;
    }
  }

  private pickRoad(rnd: Random, street: PreparedStreet): PreparedRoad {
    let x = rnd() * street.length;
    for (const r of street.roads) if ((x -= r.length) < 0) return r;
    return pick(rnd, street.roads);
  }

  /** A compound on the road: a new one while the road has room for more, else an existing one. */
  private compound(rnd: Random, street: PreparedStreet, road: PreparedRoad, crowded: boolean): Compound | null {
    const room = Math.max(1, Math.floor(road.length / COMPOUND_SPACING_M));
    if (!crowded && (road.compounds.length >= room || (road.compounds.length > 0 && chance(rnd, 0.85)))) return pick(rnd, road.compounds);
    let d = 0;
    let left = false;
    let lane = 0;
    for (let attempt = 0; ; attempt++) {
      d = rnd() * road.length;
      left = chance(rnd, 0.5);
      lane = houseNumber(d, left);
      if (!this.taken.has(`${road.nameZh}|${lane}弄`)) break;
      if (attempt > 20) return road.compounds.length ? pick(rnd, road.compounds) : null; // every lane number is taken
    }
    this.taken.add(`${road.nameZh}|${lane}弄`);
    const old = chance(rnd, 0.4);
    const name = this.compoundName(rnd, street, road, old);
    const [lon, lat] = pointAlong(road, d, (left ? 1 : -1) * 60);
    const onRoad = pointAlong(road, d, (left ? 1 : -1) * 2);
    // Workers' estates are six-storey walk-ups without 单元; newer estates are towers with them.
    const c: Compound = old
      ? { name, lane, lon, lat, onRoad, buildings: int(rnd, 8, 60), floors: 6, units: 0, roomsPerFloor: int(rnd, 2, 4), flats: new Set<number>() }
      : { name, lane, lon, lat, onRoad, buildings: int(rnd, 4, 30), floors: int(rnd, 11, 33), units: chance(rnd, 0.6) ? int(rnd, 1, 3) : 0, roomsPerFloor: int(rnd, 2, 4), flats: new Set<number>() };
    road.compounds.push(c);
    return c;
  }

  /** A compound name not yet used in the street: 潍坊新村, then 潍坊一村…九村; 阳光花园, then 阳光花园二期…. */
  private compoundName(rnd: Random, street: PreparedStreet, road: PreparedRoad, old: boolean): string {
    const stem = roadStem(road.nameZh);
    const candidates = old ? [`${stem}新村`, ...[...'一二三四五六七八九'].map((n) => `${stem}${n}村`)] : [];
    for (let i = 0; i < 12; i++) candidates.push(`${pick(rnd, COMPOUND_STEMS)}${pick(rnd, ESTATE_SUFFIXES)}`);
    let name = candidates.find((c) => !street.compoundNames.has(c));
    for (let phase = 2; name === undefined; phase++) {
      const c = `${candidates[candidates.length - 1]}${phase <= 9 ? '一二三四五六七八九'[phase - 1] : phase}期`;
      if (!street.compoundNames.has(c)) name = c;
    }
    street.compoundNames.add(name);
    return name;
  }

  private add(
    street: PreparedStreet, road: PreparedRoad, number: string, compound: string | null, building: string | null,
    unit: string | null, room: string | null, tail: string, points: Array<[number, number]>,
  ): Address {
    const s = street.input;
    // Roads run along street boundaries, so a point set back from one may land in the neighbouring
    // street: take the first candidate point that lies in this street; if none does (or nothing can
    // locate), the last, nearest the road, with the street as its jurisdiction.
    let [x, y] = [round6(points[points.length - 1]![0]), round6(points[points.length - 1]![1])];
    let jurisdictionCode = s.code;
    if (this.locate) {
      for (const [lon, lat] of points) {
        const found = this.locate(round6(lon), round6(lat));
        if (found && found.startsWith(s.code)) {
          [x, y, jurisdictionCode] = [round6(lon), round6(lat), found];
          break;
        }
      }
    }
    const address: Address = {
      id: this.nextId(),
      districtCode: s.districtCode,
      streetCode: s.code,
      jurisdictionCode,
      road: road.nameZh,
      roadEn: road.nameEn,
      number,
      compound,
      building,
      unit,
      room,
      full: `上海市${s.districtName}${s.name}${road.nameZh}${tail}`,
      lon: x,
      lat: y,
    };
    this.addresses.push(address);
    return address;
  }

  private nextId(): string {
    return `A${String(this.addresses.length + 1).padStart(10, '0')}`;
  }
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
