import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { divisionsDataPath, loadShanghaiDistricts, loadShanghaiDivisions, SHANGHAI_CODE, type DivisionRow } from './divisions.ts';
import { generateSyntheticGeometry, type SyntheticProgress } from './geo/synthetic.ts';
import { bbox, centroid, multiPolygonArea, squareDegreesToKm2, type MultiPolygon } from './geo/polygon.ts';
import type { NodeWithGeometry } from './jurisdiction.schema.ts';

/** The seed the demo city's synthetic shapes are generated from: same seed, same city. */
export const DEFAULT_GEOMETRY_SEED = 20231031;

/**
 * The whole Shanghai tree with geometry: real codes and names, real district outlines, synthetic
 * shapes below (streets, committees, grid cells), and the city as the union of its districts.
 */
export function buildShanghaiTree(opts: { seed?: number; gridsPerCommittee?: number; onProgress?: (p: SyntheticProgress) => void } = {}): NodeWithGeometry[] {
  const divisions = loadShanghaiDivisions();
  const districts = new Map(loadShanghaiDistricts().map((d) => [d.code, d.geometry] as const));
  const synthetic = generateSyntheticGeometry({
    divisions,
    districts,
    seed: opts.seed ?? DEFAULT_GEOMETRY_SEED,
    gridsPerCommittee: opts.gridsPerCommittee,
    onProgress: opts.onProgress,
  });
  const shapes = new Map<string, { geometry: MultiPolygon; synthetic: boolean }>();
  for (const f of synthetic.features) shapes.set(f.code, { geometry: f.geometry, synthetic: f.synthetic });
  for (const [code, geometry] of districts) if (!shapes.has(code)) shapes.set(code, { geometry, synthetic: false });
  // The city's outline is the set of its districts' outlines (real data, so not synthetic).
  const cityGeometry: MultiPolygon = [...districts.values()].flat();
  shapes.set(SHANGHAI_CODE, { geometry: cityGeometry, synthetic: false });

  const rows: DivisionRow[] = [...divisions, ...synthetic.grids];
  const out: NodeWithGeometry[] = [];
  for (const row of rows) {
    const shape = shapes.get(row.code);
    if (!shape) throw new Error(`no geometry generated for ${row.code} ${row.name}`);
    const c = centroid(shape.geometry);
    out.push({
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
    });
  }
  return out;
}

/**
 * buildShanghaiTree, remembered on disk: generation takes seconds, and tests and re-seeds ask for
 * the same tree again and again. The cache key covers the seed, the data files and the generator's
 * source, so any change to them makes a new tree.
 */
export function buildShanghaiTreeCached(opts: Parameters<typeof buildShanghaiTree>[0] = {}, cacheDir = path.join(os.tmpdir(), 'yiwang-cache')): NodeWithGeometry[] {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ seed: opts.seed ?? DEFAULT_GEOMETRY_SEED, grids: opts.gridsPerCommittee ?? null }));
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
