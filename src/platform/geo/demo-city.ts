import type { MultiPolygon } from '../../jurisdictions/geo/polygon.ts';
import { generateStreetNetwork, type Road } from './street-network.ts';

/**
 * The one seed of the demo city's generated geography. The map's base layer and the components
 * placed along streets both derive from it, so the roads drawn are the roads the components line.
 */
export const DEMO_CITY_SEED = 20_231_231;

/** The demo street network of one district (deterministic for the district's code and outline). */
export function demoRoads(code: string, area: MultiPolygon): Road[] {
  return generateStreetNetwork(area, { seed: DEMO_CITY_SEED, name: code });
}
