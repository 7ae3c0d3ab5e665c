import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadShanghaiDistricts } from '../../jurisdictions/divisions.ts';
import { bbox, pointInMultiPolygon, pointInPolygon, ringArea } from '../../jurisdictions/geo/polygon.ts';
import { mulberry32 } from '../../jurisdictions/geo/random.ts';
import { AreaTester, HUANGPU_CENTRELINE, HUANGPU_RIVER, SUZHOU_CREEK, SUZHOU_CREEK_CENTRELINE, WATER, WATER_POLYGONS, simpleLine } from './water.ts';

test('river polygons are closed, simple rings with enough vertices', () => {
  for (const w of WATER) {
    assert.equal(w.kind, 'river');
    assert.equal(w.polygon.length, 1, `${w.nameEn}: one outer ring`);
    const ring = w.polygon[0]!;
    assert.ok(ring.length >= 10, `${w.nameEn}: ${ring.length} vertices`);
    assert.deepEqual(ring[0], ring[ring.length - 1], `${w.nameEn}: ring is closed`);
    assert.ok(simpleLine(ring, true), `${w.nameEn}: ring does not cross itself`);
    assert.ok(Math.abs(ringArea(ring)) > 0);
    for (const [lon, lat] of ring) {
      assert.ok(lon > 121.2 && lon < 121.6 && lat > 30.9 && lat < 31.42, `${w.nameEn}: ${lon},${lat} is in Shanghai`);
      assert.equal(Math.round(lon * 1e7) / 1e7, lon);
    }
  }
});

test('each river follows its traced centreline and the creek runs into the Huangpu', () => {
  for (const [w, line] of [[HUANGPU_RIVER, HUANGPU_CENTRELINE], [SUZHOU_CREEK, SUZHOU_CREEK_CENTRELINE]] as const) {
    // (the two end vertices sit on the flat end caps)
    for (const [lon, lat] of line.slice(1, -1)) assert.ok(pointInPolygon(lon, lat, w.polygon), `${w.nameEn}: centreline vertex ${lon},${lat} is in the river`);
  }
  const [lon, lat] = SUZHOU_CREEK_CENTRELINE[0]!;
  assert.ok(pointInPolygon(lon, lat, HUANGPU_RIVER.polygon), 'the creek mouth is in the Huangpu');
  const width = (w: typeof HUANGPU_RIVER) => {
    const [x0, , x1] = bbox([w.polygon]);
    return x1 - x0;
  };
  assert.ok(width(HUANGPU_RIVER) > width(SUZHOU_CREEK), 'the Huangpu spans more than the creek');
});

// Test positions in WGS84. The Oriental Pearl Tower is at 31°14′30″N 121°29′42″E (121.4951, 31.2417);
// 121.4998, 31.2397, the figure map sites often quote, is its GCJ-02 (offset) position, also on
// land in Lujiazui. Mid-river off the Bund (between the Bund wall at ~121.488 and the Lujiazui bank
// at ~121.493) is about 121.4905.
test('the Huangpu polygon holds the river off the Bund and not the land either side', () => {
  const river = HUANGPU_RIVER.polygon;
  assert.ok(pointInPolygon(121.4905, 31.2395, river), 'mid-river between the Bund and Lujiazui');
  assert.ok(pointInPolygon(121.4935, 31.246, river), 'mid-river at the mouth of Suzhou Creek');
  assert.ok(!pointInPolygon(121.4951, 31.2417, river), 'Oriental Pearl Tower (WGS84) is on land');
  assert.ok(!pointInPolygon(121.4998, 31.2397, river), 'Oriental Pearl Tower (GCJ-02 figure) is on land too');
  assert.ok(!pointInPolygon(121.475, 31.232, river), "People's Square is on land");
  assert.ok(!pointInPolygon(121.4856, 31.2403, river), 'Peace Hotel on the Bund is on land');
  assert.ok(!pointInPolygon(121.475, 31.232, SUZHOU_CREEK.polygon), "People's Square is not in the creek");
});

test('AreaTester answers exactly like pointInMultiPolygon, minus the water', () => {
  const pudong = loadShanghaiDistricts().find((d) => d.code === '310115')!.geometry;
  const tester = new AreaTester(pudong);
  const land = new AreaTester(pudong, WATER_POLYGONS);
  const [x0, y0, x1, y1] = bbox(pudong);
  const rnd = mulberry32(42);
  let inside = 0;
  let wet = 0;
  for (let k = 0; k < 20000; k++) {
    const x = x0 + (x1 - x0) * rnd();
    const y = y0 + (y1 - y0) * rnd();
    const expected = pointInMultiPolygon(x, y, pudong);
    assert.equal(tester.contains(x, y), expected, `${x},${y}`);
    const inWater = WATER_POLYGONS.some((p) => pointInPolygon(x, y, p));
    assert.equal(land.contains(x, y), expected && !inWater, `${x},${y} (land)`);
    if (expected) inside++;
    if (expected && inWater) wet++;
  }
  assert.ok(inside > 5000, `${inside} sampled points inside`);
  // near the river, where boundary cells are thick: sample densely along Pudong's west bank
  for (let k = 0; k < 20000; k++) {
    const x = 121.48 + 0.1 * rnd();
    const y = 31.15 + 0.25 * rnd();
    const expected = pointInMultiPolygon(x, y, pudong) && !WATER_POLYGONS.some((p) => pointInPolygon(x, y, p));
    assert.equal(land.contains(x, y), expected, `${x},${y} (west bank)`);
    if (pointInMultiPolygon(x, y, pudong) && !expected) wet++;
  }
  assert.ok(wet > 0, 'some of Pudong is river');
});
