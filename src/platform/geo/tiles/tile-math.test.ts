import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lonLatToTile, MAX_LATITUDE, metresPerPixel, project, tileBBox, tileBBoxBuffered, validTile } from './tile-math.ts';

const close = (actual: number, expected: number, eps: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= eps, `${what} ${actual} ≠ ${expected} ± ${eps}`);

test('Shanghai (121.5 E, 31.23 N) lies in tile 10/857/418', () => {
  // x = floor(301.5 / 360 · 1024) = floor(857.6) = 857. y: the mercator fraction is 0.40860 → 418.41;
  // tile row 417 spans 31.35–31.65° N and row 418 spans 31.05–31.35° N, so 31.23° N is in row 418.
  assert.deepEqual(lonLatToTile(121.5, 31.23, 10), { z: 10, x: 857, y: 418 });
  const [west, south, east, north] = tileBBox(10, 857, 418);
  assert.ok(west <= 121.5 && 121.5 < east && south < 31.23 && 31.23 <= north);
  close(west, 121.2890625, 1e-9, 'west');
  close(east, 121.640625, 1e-9, 'east');
  close(north, 31.353636941500994, 1e-9, 'north');
  close(south, 31.05293398570515, 1e-9, 'south');
  assert.deepEqual(lonLatToTile(121.5, 31.23, 0), { z: 0, x: 0, y: 0 });
  assert.deepEqual(lonLatToTile(121.5, 31.23, 1), { z: 1, x: 1, y: 0 });
});

test('bboxes round-trip: points inside a bbox map back to its tile, neighbours share edges', () => {
  for (const [z, x, y] of [
    [10, 857, 418],
    [3, 0, 0],
    [3, 7, 7],
    [15, 27438, 13387],
    [22, 3511234, 1712345],
  ]) {
    const [west, south, east, north] = tileBBox(z, x, y);
    assert.ok(west < east && south < north);
    const eps = (east - west) * 1e-6;
    for (const [lon, lat] of [
      [(west + east) / 2, (south + north) / 2],
      [west + eps, north - eps],
      [east - eps, south + eps],
    ]) {
      assert.deepEqual(lonLatToTile(lon, lat, z), { z, x, y }, `${lon},${lat} at z${z}`);
    }
    if (x + 1 < 2 ** z) assert.equal(tileBBox(z, x + 1, y)[0], east);
    if (y + 1 < 2 ** z) assert.equal(tileBBox(z, x, y + 1)[3], south);
    // The bbox corners project onto the tile's corners.
    assert.deepEqual(project(west, north, z, x, y), [0, 0]);
    assert.deepEqual(project(east, south, z, x, y), [4096, 4096]);
    assert.deepEqual(project(east, south, z, x, y, 512), [512, 512]);
  }
  const world = tileBBox(0, 0, 0);
  assert.deepEqual([world[0], world[2]], [-180, 180]);
  close(world[3], MAX_LATITUDE, 1e-12);
  close(world[1], -MAX_LATITUDE, 1e-12);
  close(MAX_LATITUDE, 85.0511287798066, 1e-12);
});

test('lonLatToTile clamps points at and beyond the edges of the world, and rejects bad zooms', () => {
  assert.deepEqual(lonLatToTile(180, 90, 4), { z: 4, x: 15, y: 0 });
  assert.deepEqual(lonLatToTile(-180, -90, 4), { z: 4, x: 0, y: 15 });
  assert.deepEqual(lonLatToTile(-200, 0, 4), { z: 4, x: 0, y: 8 });
  assert.deepEqual(lonLatToTile(0, 0, 1), { z: 1, x: 1, y: 1 });
  assert.throws(() => lonLatToTile(0, 0, 23), RangeError);
  assert.throws(() => lonLatToTile(0, 0, 1.5), RangeError);
  assert.throws(() => lonLatToTile(0, 0, -1), RangeError);
});

test('tileBBoxBuffered grows the tile by a fraction of its size in mercator space', () => {
  const [z, x, y] = [10, 857, 418];
  assert.deepEqual(tileBBoxBuffered(z, x, y, 0), tileBBox(z, x, y));
  const f = 64 / 4096;
  const [west, south, east, north] = tileBBoxBuffered(z, x, y, f);
  const inner = tileBBox(z, x, y);
  assert.ok(west < inner[0] && south < inner[1] && east > inner[2] && north > inner[3]);
  close(inner[0] - west, (inner[2] - inner[0]) * f, 1e-9, 'west buffer');
  assert.deepEqual(project(west, north, z, x, y), [-64, -64]);
  assert.deepEqual(project(east, south, z, x, y), [4160, 4160]);
  // Longitudes are clamped at the antimeridian; latitudes may pass the mercator limit but stay < 90.
  const world = tileBBoxBuffered(0, 0, 0, 0.25);
  assert.deepEqual([world[0], world[2]], [-180, 180]);
  assert.ok(world[3] > MAX_LATITUDE && world[3] < 90 && world[1] < -MAX_LATITUDE && world[1] > -90);
  assert.throws(() => tileBBoxBuffered(z, x, y, -0.1), RangeError);
  assert.throws(() => tileBBoxBuffered(z, 1024, y, 0.1), RangeError);
});

test('project gives integer pixels, y down, outside [0, extent] for points off the tile', () => {
  const [west, south, east, north] = tileBBox(10, 857, 418);
  const [cx, cy] = project((west + east) / 2, (south + north) / 2, 10, 857, 418);
  assert.equal(cx, 2048);
  assert.ok(Number.isInteger(cy) && cy > 2040 && cy < 2056, `${cy}`); // mercator: the mid-latitude is not mid-tile
  const [px, py] = project(121.5, 31.23, 10, 857, 418);
  assert.ok(Number.isInteger(px) && Number.isInteger(py));
  assert.ok(px > 0 && px < 4096 && py > 0 && py < 4096);
  const [nx, ny] = project(121.5, 31.5, 10, 857, 418); // further north: smaller y, in the tile above
  assert.equal(nx, px);
  assert.ok(ny < 0);
  assert.ok(!Object.is(project(west - 1e-12, north + 1e-12, 10, 857, 418)[0], -0), 'no negative zero');
  // Latitudes beyond the mercator limit are clamped rather than giving Infinity.
  assert.deepEqual(project(0, 90, 0, 0, 0), [2048, 0]);
  assert.deepEqual(project(0, -90, 0, 0, 0), [2048, 4096]);
});

test('validTile', () => {
  assert.ok(validTile(0, 0, 0));
  assert.ok(validTile(10, 1023, 1023));
  assert.ok(validTile(22, 2 ** 22 - 1, 0));
  assert.ok(!validTile(10, 1024, 0));
  assert.ok(!validTile(10, 0, 1024));
  assert.ok(!validTile(10, -1, 0));
  assert.ok(!validTile(23, 0, 0));
  assert.ok(!validTile(-1, 0, 0));
  assert.ok(!validTile(1.5, 0, 0));
  assert.ok(!validTile(2, 0.5, 0));
  assert.ok(!validTile(Number.NaN, 0, 0));
  assert.ok(!validTile(1, 0, Infinity));
});

test('metresPerPixel: 156 543 m at z0 on the equator for 256-px tiles, halving per zoom, scaled by cos(lat)', () => {
  close(metresPerPixel(0, 0), 156543.03392804097, 1e-6);
  close(metresPerPixel(1, 0), 156543.03392804097 / 2, 1e-6);
  close(metresPerPixel(10, 60), 156543.03392804097 / 1024 / 2, 1e-6);
  close(metresPerPixel(10, 31.23), 152.87405657 * Math.cos((31.23 * Math.PI) / 180), 1e-6);
  close(metresPerPixel(10, 0, 4096), 156543.03392804097 / 1024 / 16, 1e-9);
});
