import { invalid } from '../../platform/errors.ts';
import { FEATURE_LAYERS, ROAD_MIN_ZOOM, WATER_KINDS, type BasemapFeatureInput, type FeatureLayer, type NewFeature } from './map.schema.ts';

type Position = number[];

/** Checks one position and widens the box with it. */
function position(p: unknown, field: string, box: number[]): Position {
  if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw invalid(field, 'must be [longitude, latitude]');
  const [lon, lat] = p as [number, number];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) throw invalid(field, 'must lie within -180..180 longitude and -90..90 latitude');
  box[0] = Math.min(box[0], lon);
  box[1] = Math.min(box[1], lat);
  box[2] = Math.max(box[2], lon);
  box[3] = Math.max(box[3], lat);
  return [lon, lat];
}

function line(coords: unknown, field: string, box: number[]): Position[] {
  if (!Array.isArray(coords) || coords.length < 2) throw invalid(field, 'must be a line of at least two positions');
  return coords.map((p, i) => position(p, `${field}[${i}]`, box));
}

/** A ring, closed if it was given open (PostGIS insists on closed rings). */
function ring(coords: unknown, field: string, box: number[]): Position[] {
  const r = line(coords, field, box);
  const [first, last] = [r[0]!, r[r.length - 1]!];
  if (first[0] !== last[0] || first[1] !== last[1]) r.push([first[0], first[1]]);
  if (r.length < 4) throw invalid(field, 'must be a ring of at least three distinct positions');
  return r;
}

const polygon = (coords: unknown, field: string, box: number[]): Position[][] => {
  if (!Array.isArray(coords) || coords.length === 0) throw invalid(field, 'must be a list of rings');
  return coords.map((r, i) => ring(r, `${field}[${i}]`, box));
};

const list = <T>(coords: unknown, field: string, each: (c: unknown, f: string) => T): T[] => {
  if (!Array.isArray(coords) || coords.length === 0) throw invalid(field, 'must be a non-empty list');
  return coords.map((c, i) => each(c, `${field}[${i}]`));
};

/**
 * Checks base-map features and turns them into rows: roads are lines of a known kind, water is
 * polygons; positions are WGS84; min zoom defaults by kind. Names the first offending field.
 */
export function toFeatureRows(features: readonly BasemapFeatureInput[]): NewFeature[] {
  return features.map((f, i) => {
    const field = `features[${i}]`;
    if (!(FEATURE_LAYERS as readonly string[]).includes(f.layer)) throw invalid(`${field}.layer`, `must be one of ${FEATURE_LAYERS.join(', ')}`);
    const layer: FeatureLayer = f.layer;
    const kinds: readonly string[] = layer === 'road' ? Object.keys(ROAD_MIN_ZOOM) : WATER_KINDS;
    if (!kinds.includes(f.kind)) throw invalid(`${field}.kind`, `must be one of ${kinds.join(', ')} for ${layer}`);
    const g = f.geometry as { type?: unknown; coordinates?: unknown } | undefined;
    const gf = `${field}.geometry`;
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    let geometry: { type: string; coordinates: unknown };
    if (layer === 'road' && g?.type === 'LineString') geometry = { type: g.type, coordinates: line(g.coordinates, `${gf}.coordinates`, box) };
    else if (layer === 'road' && g?.type === 'MultiLineString') geometry = { type: g.type, coordinates: list(g.coordinates, `${gf}.coordinates`, (c, cf) => line(c, cf, box)) };
    else if (layer === 'water' && g?.type === 'Polygon') geometry = { type: g.type, coordinates: polygon(g.coordinates, `${gf}.coordinates`, box) };
    else if (layer === 'water' && g?.type === 'MultiPolygon') geometry = { type: g.type, coordinates: list(g.coordinates, `${gf}.coordinates`, (c, cf) => polygon(c, cf, box)) };
    else throw invalid(`${gf}.type`, layer === 'road' ? 'must be LineString or MultiLineString for a road' : 'must be Polygon or MultiPolygon for water');
    const minZoom = f.minZoom ?? (layer === 'road' ? ROAD_MIN_ZOOM[f.kind as keyof typeof ROAD_MIN_ZOOM] : 0);
    if (!Number.isInteger(minZoom) || minZoom < 0 || minZoom > 22) throw invalid(`${field}.minZoom`, 'must be an integer from 0 to 22');
    const text = (v: string | null | undefined, max: number, name: string) => {
      if (v === undefined || v === null || v === '') return null;
      if (typeof v !== 'string' || v.length > max) throw invalid(`${field}.${name}`, `must be text of at most ${max} characters`);
      return v;
    };
    return {
      layer,
      kind: f.kind,
      name_zh: text(f.nameZh, 100, 'nameZh'),
      name_en: text(f.nameEn, 200, 'nameEn'),
      min_zoom: minZoom,
      geometry: JSON.stringify(geometry),
      min_lon: box[0]!,
      min_lat: box[1]!,
      max_lon: box[2]!,
      max_lat: box[3]!,
    };
  });
}
