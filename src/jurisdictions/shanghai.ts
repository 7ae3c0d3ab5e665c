// The whole Shanghai tree as the seeder and benchmarks use it: real codes and district outlines
// from data/divisions, synthetic shapes below district level, grid cells added.
import { loadShanghaiDistricts, loadShanghaiDivisions, type DivisionRow } from './divisions.ts';
import { generateSyntheticGeometry, type AreaFeature, type SyntheticProgress } from './geo/synthetic.ts';

/** Rows (including generated grid cells) and shapes of the full tree. */
export interface ShanghaiTree {
  rows: DivisionRow[];
  features: AreaFeature[];
}

/** Default seed of the demo city's generated shapes. */
export const DEFAULT_GEOMETRY_SEED = 20230630;

/** Loads the committed data and generates the synthetic levels (a few seconds for the whole city). */
export function buildShanghaiTree(
  options: { seed?: number; districtCodes?: readonly string[]; onProgress?: (p: SyntheticProgress) => void } = {},
): ShanghaiTree {
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
