// Web-mercator (EPSG:3857) tile math for XYZ / "slippy map" tiles: tile (0, 0) is the north-west
// corner of the world, x grows east and y grows south. Longitudes and latitudes are WGS84 degrees.
// Latitudes beyond the mercator limit (±85.0511…°) are clamped to it.

/** Deepest zoom level accepted by {@link validTile} and the other functions here. */
export const MAX_ZOOM = 22;
/** Latitude at which the square web-mercator world ends: atan(sinh(π)) in degrees. */
export const MAX_LATITUDE = (Math.atan(Math.sinh(Math.PI)) * 180) / Math.PI;
/** WGS84 semi-major axis, the sphere radius web mercator uses. */
export const EARTH_RADIUS_M = 6378137;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/** Longitude → fraction of the world's width from the west edge (0 at -180°, 1 at +180°). */
export function mercatorX(lon: number): number {
  return (lon + 180) / 360;
}

/** Latitude → fraction of the world's height from the north edge (0 at the north limit, 1 at the south). */
export function mercatorY(lat: number): number {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const phi = (clamped * Math.PI) / 180;
  return (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
}

/** Tile-space x (may be fractional or outside [0, 2^z]) → longitude. */
function tileXToLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

/** Tile-space y (may be fractional or outside [0, 2^z]) → latitude. */
function tileYToLat(y: number, z: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;
}

function checkZoom(z: number): void {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw new RangeError(`zoom must be an integer in 0..${MAX_ZOOM}, got ${z}`);
}

function checkTile(z: number, x: number, y: number): void {
  if (!validTile(z, x, y)) throw new RangeError(`no tile ${z}/${x}/${y}`);
}

/** True for an existing tile: integers with 0 ≤ z ≤ 22 and 0 ≤ x, y < 2^z. */
export function validTile(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > MAX_ZOOM) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}

/**
 * The tile at zoom `z` containing a point. Points on the antimeridian, beyond ±180° or beyond the
 * mercator latitude limit fall into the nearest edge tile. Throws RangeError for an invalid zoom.
 */
export function lonLatToTile(lon: number, lat: number, z: number): TileCoord {
  checkZoom(z);
  const n = 2 ** z;
  const clampIndex = (v: number) => Math.max(0, Math.min(n - 1, Math.floor(v)));
  return { z, x: clampIndex(mercatorX(lon) * n), y: clampIndex(mercatorY(lat) * n) };
}

/** The tile's bounds as [west, south, east, north] in WGS84 degrees. Throws RangeError for a tile that does not exist. */
export function tileBBox(z: number, x: number, y: number): [number, number, number, number] {
  checkTile(z, x, y);
  return [tileXToLon(x, z), tileYToLat(y + 1, z), tileXToLon(x + 1, z), tileYToLat(y, z)];
}

/**
 * The tile's bounds grown on every side by `bufferFraction` of the tile's size (in mercator space, so
 * 64 / 4096 matches a 64-pixel buffer at extent 4096), as [west, south, east, north]. Longitudes are
 * clamped to ±180°; latitudes beyond the mercator limit are allowed (they stay within ±90°).
 */
export function tileBBoxBuffered(z: number, x: number, y: number, bufferFraction: number): [number, number, number, number] {
  checkTile(z, x, y);
  if (!(bufferFraction >= 0) || !Number.isFinite(bufferFraction)) throw new RangeError(`bufferFraction must be a finite number ≥ 0, got ${bufferFraction}`);
  const clampLon = (lon: number) => Math.max(-180, Math.min(180, lon));
  return [
    clampLon(tileXToLon(x - bufferFraction, z)),
    tileYToLat(y + 1 + bufferFraction, z),
    clampLon(tileXToLon(x + 1 + bufferFraction, z)),
    tileYToLat(y - bufferFraction, z),
  ];
}

/**
 * A WGS84 point → unrounded pixel coordinates in tile z/x/y with the given extent (y down). Points
 * outside the tile give coordinates outside [0, extent].
 */
export function projectFloat(lon: number, lat: number, z: number, x: number, y: number, extent = 4096): [number, number] {
  const n = 2 ** z;
  return [(mercatorX(lon) * n - x) * extent, (mercatorY(lat) * n - y) * extent];
}

/**
 * A WGS84 point → integer pixel coordinates in tile z/x/y with the given extent (origin at the tile's
 * north-west corner, y down). Points outside the tile give coordinates outside [0, extent].
 */
export function project(lon: number, lat: number, z: number, x: number, y: number, extent = 4096): [number, number] {
  const [px, py] = projectFloat(lon, lat, z, x, y, extent);
  return [Math.round(px) + 0, Math.round(py) + 0]; // `+ 0` turns -0 into 0
}

/**
 * Ground metres covered by one pixel at zoom `z` and latitude `lat`, for tiles rendered `tileSize`
 * pixels wide (256 by default; pass the tile extent, e.g. 4096, for the size of one tile-coordinate unit).
 */
export function metresPerPixel(z: number, lat: number, tileSize = 256): number {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  return (2 * Math.PI * EARTH_RADIUS_M * Math.cos((clamped * Math.PI) / 180)) / (tileSize * 2 ** z);
}
