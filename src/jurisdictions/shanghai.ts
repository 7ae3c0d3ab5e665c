// The Shanghai tree as flat rows plus shapes, optionally limited to some districts: what the
// generator tests and the locate benchmark need. The module's own seeding goes through
// build-tree.ts, which adds the city outline and per-node figures; both use the same seed.
import { DEFAULT_GEOMETRY_SEED } from './build-tree.ts';
import { loadShanghaiDistricts, loadShanghaiDivisions, type DivisionRow } from './divisions.ts';
import { generateSyntheticGeometry, type AreaFeature, type SyntheticProgress } from './geo/synthetic.ts';

export { DEFAULT_GEOMETRY_SEED };

/** Rows (including generated grid cells) and shapes of the tree below the city. */
export interface ShanghaiAreas {
  rows: DivisionRow[];
  features: AreaFeature[];
}

/** Loads the committed data and generates the synthetic levels (a few seconds for the whole city). */
export function buildShanghaiAreas(
  options: { seed?: number; districtCodes?: readonly string[]; onProgress?: (p: SyntheticProgress) => void } = {},
): ShanghaiAreas {
  const only = options.districtCodes;
  const inScope = (code: string) => !only || code === '310000' || only.some((d) => code.startsWith(d));
  const divisions = loadShanghaiDivisions().filter((r) => inScope(r.code));
  const districts = new Map(
    loadShanghaiDistricts()
      .filter((d) => inScope(d.code))
      .map((d) => [d.code, d.geometry]),
  );
  const tree = generateSyntheticGeometry({
    divisions,
    districts,
    seed: options.seed ?? DEFAULT_GEOMETRY_SEED,
    onProgress: options.onProgress,
  });
  return { rows: [...divisions, ...tree.grids], features: tree.features };
}
