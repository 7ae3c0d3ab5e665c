import { invalid } from '../errors.ts';

// Query-string values of place queries (components, cases), read with errors that name the parameter.

/** [minLon, minLat, maxLon, maxLat], WGS84. */
export type Box = [number, number, number, number];

/** A comma-separated query value as a list (undefined when absent or empty). */
export const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/** Parses `minLon,minLat,maxLon,maxLat`. */
export function parseBox(s: string, field = 'bbox'): Box {
  const n = s.split(',').map((x) => Number(x.trim()));
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) throw invalid(field, 'must be four numbers: minLon,minLat,maxLon,maxLat');
  const [a, b, c, d] = n as Box;
  // Shanghai's latitudes are near 31 and longitudes near 121: a box given lat,lon first trips here.
  const swapped = (b < -90 || d > 90) && Math.abs(a) <= 90 && Math.abs(c) <= 90 && Math.abs(b) <= 180 && Math.abs(d) <= 180;
  if (swapped) throw invalid(field, 'looks like lat,lon: give longitude first (minLon,minLat,maxLon,maxLat)');
  if (a < -180 || c > 180 || b < -90 || d > 90) throw invalid(field, 'must lie within -180..180 longitude and -90..90 latitude');
  if (a > c || b > d) throw invalid(field, 'must have min before max (minLon,minLat,maxLon,maxLat)');
  return [a, b, c, d];
}

/** Parses `lon,lat`, naming swapped coordinates. */
export function parsePoint(s: string, field = 'near'): [number, number] {
  const n = s.split(',').map((x) => Number(x.trim()));
  if (n.length !== 2 || n.some((x) => !Number.isFinite(x))) throw invalid(field, 'must be two numbers: lon,lat');
  const [lon, lat] = n as [number, number];
  if (Math.abs(lat) > 90) throw invalid(field, lon <= 90 && Math.abs(lat) <= 180 ? 'looks like lat,lon: give longitude first (lon,lat)' : 'latitude must be between -90 and 90');
  if (Math.abs(lon) > 180) throw invalid(field, 'longitude must be between -180 and 180');
  return [lon, lat];
}
