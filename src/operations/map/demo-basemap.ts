import { loadShanghaiDistricts } from '../../jurisdictions/divisions.ts';
import { demoRoads } from '../../platform/geo/demo-city.ts';
import { WATER } from '../../platform/geo/water.ts';
import type { Progress } from '../../platform/module.ts';
import type { BasemapFeatureInput } from './map.schema.ts';
import type { MapService } from './map.service.ts';

/**
 * The demo city's base map: the generated streets of every district (the same roads the demo
 * components line) and the hand-traced Huangpu and Suzhou Creek. No tile server is reachable, so
 * this is what the command map draws under the boundaries.
 */
export async function seedDemoBasemap(map: MapService, progress: Progress): Promise<Record<string, number>> {
  const features: BasemapFeatureInput[] = [];
  for (const d of loadShanghaiDistricts()) {
    for (const r of demoRoads(d.code, d.geometry)) {
      features.push({ layer: 'road', kind: r.kind, nameZh: r.nameZh, nameEn: r.nameEn, geometry: { type: 'LineString', coordinates: r.line } });
    }
  }
  for (const w of WATER) features.push({ layer: 'water', kind: w.kind, nameZh: w.nameZh, nameEn: w.nameEn, geometry: { type: 'Polygon', coordinates: w.polygon } });
  // The generation is deterministic: the same counts mean the same base map, so a restart of the
  // demo city does not rewrite it (and drop every cached tile) for nothing.
  const wanted = { road: features.length - WATER.length, water: WATER.length };
  const stored = await map.featureCounts();
  if (stored.road === wanted.road && stored.water === wanted.water) {
    progress('base map (already seeded)', features.length, features.length);
    return stored;
  }
  return map.replaceBasemap(features, progress);
}
