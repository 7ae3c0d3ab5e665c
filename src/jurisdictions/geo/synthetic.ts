// Synthetic shapes for the levels no open data outlines: streets inside the real district
// outlines, committees inside streets, and grid cells (单元网格, GB/T 30428.1) inside committees.
// The codes and names are real (except grid cells, which have no published register); the shapes
// are plausible but invented, and every generated polygon says so with synthetic: true.
import { childrenByParent, type DivisionLevel, type DivisionRow } from '../divisions.ts';
import { centroid, multiPolygonArea, rewind, type MultiPolygon } from './polygon.ts';
import { randomFor } from './random.ts';
import { partitionArea } from './voronoi-partition.ts';

/** One area of the tree with its shape. */
export interface AreaFeature {
  code: string;
  parent: string | null;
  level: DivisionLevel;
  geometry: MultiPolygon;
  /** True for every generated shape; false only for outlines taken from real data. */
  synthetic: boolean;
}

/** Progress of a long generation, reported per stage. */
export interface SyntheticProgress {
  stage: 'streets' | 'committees' | 'grids';
  done: number;
  total: number;
}

/** Inputs of generateSyntheticGeometry. */
export interface SyntheticInput {
  /** Division rows (district, street and committee levels are used). */
  divisions: readonly DivisionRow[];
  /** Real district outlines by district code. */
  districts: ReadonlyMap<string, MultiPolygon>;
  seed: number;
  /** Average grid cells per committee; larger committees get more. Default 4. */
  gridsPerCommittee?: number;
  onProgress?: (p: SyntheticProgress) => void;
}

/** Generated shapes and the grid-cell rows that did not exist before. */
export interface SyntheticTree {
  features: AreaFeature[];
  grids: DivisionRow[];
}

const CHINESE_DIGITS = '〇一二三四五六七八九';

/** People's Square (人民广场), WGS84: the centre the urban ranking measures from. */
const CITY_CENTRE: readonly [number, number] = [121.4713, 31.2326];

function distanceToCentre([lon, lat]: [number, number]): number {
  const dx = (lon - CITY_CENTRE[0]) * Math.cos((CITY_CENTRE[1] * Math.PI) / 180);
  const dy = lat - CITY_CENTRE[1];
  return dx * dx + dy * dy;
}

/** 0 = most urban. Subdistricts and residents' committees first; farms and forest stations last. */
function urbanRank(row: DivisionRow): number {
  if (/农场|林场/.test(row.name)) return 4;
  switch (row.kind) {
    case 'subdistrict':
    case 'residential':
      return row.special ? 1 : 0;
    case 'special':
      return 2;
    case 'town':
      return 2;
    default:
      return 3; // township, village
  }
}

function chineseNumber(n: number): string {
  if (n < 10) return CHINESE_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const units = n % 10;
  return `${tens === 1 ? '' : CHINESE_DIGITS[tens]}十${units === 0 ? '' : CHINESE_DIGITS[units]}`;
}

/**
 * Grid cells per committee: proportional to the square root of its area (big rural villages get
 * more cells, but not proportionally more), at least 2, scaled so the mean is about `average`.
 */
export function gridCounts(areas: readonly number[], average: number): number[] {
  const roots = areas.map(Math.sqrt);
  const meanRoot = roots.reduce((s, r) => s + r, 0) / Math.max(1, roots.length);
  return roots.map((r) => Math.max(2, Math.min(40, Math.round((average * r) / meanRoot))));
}

/** Builds the street, committee and grid-cell shapes of the whole tree, deterministically from the seed. */
export function generateSyntheticGeometry(input: SyntheticInput): SyntheticTree {
  const { divisions, districts, seed, onProgress } = input;
  const average = input.gridsPerCommittee ?? 4;
  const children = childrenByParent(divisions);
  const features: AreaFeature[] = [];
  const shapeOf = new Map<string, MultiPolygon>();

  // Pieces come out in random site order. Streets and committees are matched to them by how urban
  // they are: the pieces nearest the city centre go to 街道 subdistricts and 居委会 residents'
  // committees, the far ones to towns, villages, farms and forest stations, so a farm does not
  // land on the Bund. Within a rank the order stays random; nothing claims more than plausibility.
  const split = (parent: DivisionRow | { code: string }, level: DivisionLevel, kids: readonly DivisionRow[]) => {
    const area = shapeOf.get(parent.code)!;
    let pieces = partitionArea(area, kids.length, randomFor(seed, parent.code));
    if (level !== 'grid') {
      pieces = pieces
        .map((piece) => ({ piece, d: distanceToCentre(centroid(piece)) }))
        .sort((a, b) => a.d - b.d)
        .map((x) => x.piece);
      kids = kids
        .map((kid, i) => ({ kid, i, rank: urbanRank(kid) }))
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .map((x) => x.kid);
    }
    kids.forEach((kid, i) => {
      const geometry = rewind(pieces[i]!);
      shapeOf.set(kid.code, geometry);
      features.push({ code: kid.code, parent: parent.code, level, geometry, synthetic: true });
    });
  };

  const districtRows = divisions.filter((r) => r.level === 'district');
  for (const d of districtRows) {
    const geometry = districts.get(d.code);
    if (!geometry) throw new Error(`no outline for district ${d.code}`);
    shapeOf.set(d.code, geometry);
    features.push({ code: d.code, parent: d.parent, level: 'district', geometry, synthetic: false });
  }

  districtRows.forEach((d, i) => {
    split(d, 'street', children.get(d.code) ?? []);
    onProgress?.({ stage: 'streets', done: i + 1, total: districtRows.length });
  });

  const streets = divisions.filter((r) => r.level === 'street');
  streets.forEach((s, i) => {
    split(s, 'committee', children.get(s.code) ?? []);
    if ((i + 1) % 20 === 0 || i + 1 === streets.length) onProgress?.({ stage: 'committees', done: i + 1, total: streets.length });
  });

  const committees = divisions.filter((r) => r.level === 'committee');
  const counts = gridCounts(committees.map((c) => multiPolygonArea(shapeOf.get(c.code)!)), average);
  const grids: DivisionRow[] = [];
  committees.forEach((c, i) => {
    const n = counts[i]!;
    const rows: DivisionRow[] = [];
    for (let k = 1; k <= n; k++) {
      rows.push({
        // Grid code = committee code + 3-digit serial, as city grid registers number them.
        code: `${c.code}${String(k).padStart(3, '0')}`,
        name: `${c.name}第${chineseNumber(k)}网格`,
        nameEn: `${c.nameEn} Grid ${k}`,
        parent: c.code,
        level: 'grid',
        kind: 'grid',
        special: false,
      });
    }
    grids.push(...rows);
    split(c, 'grid', rows);
    if ((i + 1) % 500 === 0 || i + 1 === committees.length) onProgress?.({ stage: 'grids', done: i + 1, total: committees.length });
  });
  return { features, grids };
}
