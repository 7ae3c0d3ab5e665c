import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { divisionsDataPath, loadShanghaiDistricts, loadShanghaiDivisions, SHANGHAI_CODE, type DivisionRow } from './divisions.ts';
import { generateSyntheticGeometry, type AreaFeature, type SyntheticProgress } from './geo/synthetic.ts';
import { bbox, centroid, multiPolygonArea, squareDegreesToKm2, type MultiPolygon } from './geo/polygon.ts';
import type { NodeWithGeometry } from './jurisdiction.schema.ts';

/** The seed the demo city's synthetic shapes are generated from: same seed, same city. */
export const DEFAULT_GEOMETRY_SEED = 20231031;

/** Rows (including generated grid cells) and shapes of the tree below the city. */
export interface ShanghaiAreas {
  rows: DivisionRow[];
  features: AreaFeature[];
}

export interface TreeOptions {
  seed?: number;
  gridsPerCommittee?: number;
  /** Only these districts (and the city row): the generator tests and the benchmark use a few. */
  districtCodes?: readonly string[];
  onProgress?: (p: SyntheticProgress) => void;
}

/** Loads the committed data and generates the synthetic levels (a few seconds for the whole city). */
export function buildShanghaiAreas(opts: TreeOptions = {}): ShanghaiAreas {
  const only = opts.districtCodes;
  const inScope = (code: string) => !only || code === SHANGHAI_CODE || only.some((d) => code.startsWith(d));
  const divisions = loadShanghaiDivisions().filter((r) => inScope(r.code));
  const districts = new Map(
    loadShanghaiDistricts()
      .filter((d) => inScope(d.code))
      .map((d) => [d.code, d.geometry] as const),
  );
  const tree = generateSyntheticGeometry({
    divisions,
    districts,
    seed: opts.seed ?? DEFAULT_GEOMETRY_SEED,
    gridsPerCommittee: opts.gridsPerCommittee,
    onProgress: opts.onProgress,
  });
  return { rows: [...divisions, ...tree.grids], features: tree.features };
}

/**
 * The whole Shanghai tree with geometry, ready to store: real codes and names, real district
 * outlines, synthetic shapes below (streets, committees, grid cells), the city as the set of its
 * districts' outlines, and each node's centroid, bounding box and area.
 */
export function buildShanghaiTree(opts: TreeOptions = {}): NodeWithGeometry[] {
  const { rows, features } = buildShanghaiAreas(opts);
  const shapes = new Map(features.map((f) => [f.code, f] as const));
  const city: MultiPolygon = features.filter((f) => f.level === 'district').flatMap((f) => f.geometry);
  return rows.map((row) => {
    const shape = row.code === SHANGHAI_CODE ? { geometry: city, synthetic: false } : shapes.get(row.code);
    if (!shape) throw new Error(`no geometry generated for ${row.code} ${row.name}`);
    const c = centroid(shape.geometry);
    return {
      code: row.code,
      name: row.name,
      nameEn: row.nameEn,
      level: row.level,
      kind: row.kind,
      parentCode: row.parent,
      special: row.special,
      synthetic: shape.synthetic,
      centroid: c,
      bbox: bbox(shape.geometry),
      areaKm2: Math.round(squareDegreesToKm2(multiPolygonArea(shape.geometry), c[1]) * 1000) / 1000,
      geometry: shape.geometry,
    };
  });
}

/**
 * buildShanghaiTree, remembered on disk: generation takes seconds, and tests and re-seeds ask for
 * the same tree again and again. The cache key covers the seed, the data files and the generator's
 * source, so any change to them makes a new tree.
 */
export function buildShanghaiTreeCached(opts: TreeOptions = {}, cacheDir = path.join(os.tmpdir(), 'yiwang-cache')): NodeWithGeometry[] {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ seed: opts.seed ?? DEFAULT_GEOMETRY_SEED, grids: opts.gridsPerCommittee ?? null, only: opts.districtCodes ?? null }));
  for (const f of ['shanghai-divisions.json', 'shanghai-districts.geojson']) hash.update(fs.readFileSync(divisionsDataPath(f)));
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, path.join(here, 'geo')]) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) hash.update(fs.readFileSync(path.join(dir, f)));
  }
  const file = path.join(cacheDir, `shanghai-tree-${hash.digest('hex').slice(0, 16)}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as NodeWithGeometry[];
  } catch {
    // not cached yet (or unreadable): build it
  }
  const tree = buildShanghaiTree(opts);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(tree));
    fs.renameSync(tmp, file); // atomic: a parallel test process never reads half a file
  } catch {
    // a read-only temp dir only costs the next run some seconds
  }
  return tree;
}
