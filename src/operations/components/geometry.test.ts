import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { distanceMetres } from '../../jurisdictions/geo/gcj02.ts';
import { centroid, pointInPolygon, ringArea } from '../../jurisdictions/geo/polygon.ts';
import {
  distanceToGeometryMetres,
  geometryBBox,
  geometryKind,
  metresToDegrees,
  representativePoint,
  SHANGHAI_EXTENT,
  validateGeometry,
  type Geometry,
  type Position,
} from './geometry.ts';

const X = 121.47;
const Y = 31.23;
/** Counter-clockwise closed square with its south-west corner at (x, y). */
const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
const square = (x: number, y: number, s: number): Position[] =>
  [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]].map(([a, b]) => [r7(a!), r7(b!)] as Position);
const cw = (ring: Position[]): Position[] => [...ring].reverse();

function ok(input: unknown): Geometry {
  const r = validateGeometry(input);
  assert.ok(r.ok, `expected valid, got ${JSON.stringify(r)}`);
  return r.geometry;
}
function bad(input: unknown, field: string, reason: RegExp): void {
  const r = validateGeometry(input);
  assert.equal(r.ok, false, `expected invalid: ${JSON.stringify(input)}`);
  if (r.ok) return;
  assert.equal(r.field, field);
  assert.match(r.reason, reason);
}

test('SHANGHAI_EXTENT contains every district outline and Sheshan Island', () => {
  const file = JSON.parse(readFileSync(new URL('../../../data/divisions/shanghai-districts.geojson', import.meta.url), 'utf8'));
  const [minX, minY, maxX, maxY] = SHANGHAI_EXTENT;
  for (const f of file.features) {
    const b = geometryBBox(f.geometry as Geometry);
    assert.ok(b[0] >= minX && b[1] >= minY && b[2] <= maxX && b[3] <= maxY, `${f.properties.name} ${b}`);
  }
  ok({ type: 'Point', coordinates: [122.2433, 31.4217] });
});

test('a point is rounded to 7 decimals and a third value is dropped', () => {
  assert.deepEqual(ok({ type: 'Point', coordinates: [121.123456789, 31.987654321 - 0.1, 12] }), {
    type: 'Point',
    coordinates: [121.1234568, 31.8876543],
  });
});

test('structural errors name the field', () => {
  bad(null, 'geometry', /GeoJSON geometry object/);
  bad([X, Y], 'geometry', /GeoJSON geometry object/);
  bad({ type: 'GeometryCollection', geometries: [] }, 'geometry.type', /unsupported type "GeometryCollection"/);
  bad({ type: 'Point' }, 'geometry.coordinates', /must be an array/);
  bad({ type: 'Point', coordinates: [X] }, 'geometry.coordinates', /2 or 3 numbers/);
  bad({ type: 'Point', coordinates: [X, Y, 1, 2] }, 'geometry.coordinates', /2 or 3 numbers/);
  bad({ type: 'Point', coordinates: [X, Number.NaN] }, 'geometry.coordinates[1]', /latitude must be a finite number/);
  bad({ type: 'LineString', coordinates: [[X, Y], [X, '31.3']] }, 'geometry.coordinates[1][1]', /latitude must be a finite number/);
  bad({ type: 'MultiLineString', coordinates: [] }, 'geometry.coordinates', /at least 1 lines/);
});

test('swapped latitude and longitude get their own reason', () => {
  bad({ type: 'Point', coordinates: [31.23, 121.47] }, 'geometry.coordinates', /latitude and longitude appear swapped; GeoJSON order is \[lon, lat\]/);
  bad(
    { type: 'LineString', coordinates: [[X, Y], [31.24, 121.48]] },
    'geometry.coordinates[1]',
    /latitude and longitude appear swapped/,
  );
});

test('positions outside Shanghai are rejected with the extent in the reason', () => {
  const [a, b, c, d] = SHANGHAI_EXTENT;
  const extent = `outside Shanghai's extent ${a}–${c} E, ${b}–${d} N`;
  const r = validateGeometry({ type: 'Point', coordinates: [116.397, 39.909] }); // Beijing
  assert.equal(r.ok, false);
  if (!r.ok) assert.ok(r.reason.includes(extent), r.reason);
  bad({ type: 'Polygon', coordinates: [[[X, Y], [X + 0.01, Y], [122.5, Y], [X, Y]]] }, 'geometry.coordinates[0][2]', /outside Shanghai's extent/);
  ok({ type: 'Point', coordinates: [a, b] });
  bad({ type: 'Point', coordinates: [a - 1e-6, b] }, 'geometry.coordinates', /outside/);
});

test('a line needs two distinct positions; repeated positions are dropped', () => {
  bad({ type: 'LineString', coordinates: [[X, Y]] }, 'geometry.coordinates', /at least 2 distinct positions/);
  bad({ type: 'LineString', coordinates: [[X, Y], [X, Y]] }, 'geometry.coordinates', /at least 2 distinct positions/);
  bad({ type: 'MultiLineString', coordinates: [[[X, Y], [X, Y + 0.01]], [[X, Y]]] }, 'geometry.coordinates[1]', /at least 2/);
  assert.deepEqual(ok({ type: 'LineString', coordinates: [[X, Y], [X, Y], [X, 31.24]] }).coordinates, [[X, Y], [X, 31.24]]);
});

test('rings must be closed and have at least 4 positions and 3 corners', () => {
  const open = square(X, Y, 0.01).slice(0, 4);
  bad({ type: 'Polygon', coordinates: [open] }, 'geometry.coordinates[0][3]', /not closed/);
  bad({ type: 'Polygon', coordinates: [[[X, Y], [X + 0.01, Y], [X, Y]]] }, 'geometry.coordinates[0]', /at least 4 positions/);
  bad({ type: 'Polygon', coordinates: [[[X, Y], [X + 0.01, Y], [X + 0.01, Y], [X, Y]]] }, 'geometry.coordinates[0]', /3 distinct corners/);
  bad({ type: 'Polygon', coordinates: [] }, 'geometry.coordinates', /at least 1 rings/);
});

test('a bowtie ring and a ring folding back on itself are rejected', () => {
  const bowtie: Position[] = [[X, Y], [X + 0.01, Y + 0.01], [X + 0.01, Y], [X, Y + 0.01], [X, Y]];
  bad({ type: 'Polygon', coordinates: [bowtie] }, 'geometry.coordinates[0][2]', /intersects itself: the edge from position 0 meets the edge from position 2/);
  const spike: Position[] = [[X, Y], [X + 0.02, Y], [X + 0.01, Y], [X + 0.01, Y + 0.01], [X, Y]];
  bad({ type: 'Polygon', coordinates: [spike] }, 'geometry.coordinates[0][1]', /doubles back on itself at position 1/);
  const collinear: Position[] = [[X, Y], [X + 0.01, Y], [X + 0.02, Y], [X, Y]];
  assert.equal(validateGeometry({ type: 'Polygon', coordinates: [collinear] }).ok, false);
  // a figure eight touching itself at one vertex
  const eight: Position[] = [[X, Y], [X + 0.01, Y], [X + 0.01, Y + 0.01], [X + 0.02, Y + 0.01], [X + 0.02, Y + 0.02], [X + 0.01, Y + 0.02], [X + 0.01, Y + 0.01], [X, Y + 0.01], [X, Y]];
  bad({ type: 'Polygon', coordinates: [eight] }, 'geometry.coordinates[0][5]', /intersects itself/);
});

test('holes must lie inside the shell without touching it or each other', () => {
  const shell = square(X, Y, 0.1);
  ok({ type: 'Polygon', coordinates: [shell, cw(square(X + 0.02, Y + 0.02, 0.01)), cw(square(X + 0.05, Y + 0.05, 0.01))] });
  bad({ type: 'Polygon', coordinates: [shell, cw(square(X + 0.2, Y + 0.02, 0.01))] }, 'geometry.coordinates[1]', /hole lies outside the outer ring/);
  bad({ type: 'Polygon', coordinates: [shell, cw(square(X + 0.09, Y + 0.02, 0.05))] }, 'geometry.coordinates[1][1]', /rings 0 and 1 touch or cross/);
  bad({ type: 'Polygon', coordinates: [shell, square(X + 0.02, Y + 0.02, 0.05), square(X + 0.03, Y + 0.03, 0.01)] }, 'geometry.coordinates[2]', /inside another hole \(ring 1\)/);
  bad({ type: 'MultiPolygon', coordinates: [[shell], [shell, square(X + 0.2, Y, 0.01)]] }, 'geometry.coordinates[1][1]', /outside the outer ring/);
});

test("a MultiPolygon's parts may not overlap, touch or nest, except an island in another part's hole", () => {
  const mp = (...parts: Position[][][]) => ({ type: 'MultiPolygon', coordinates: parts });
  const big = square(X, Y, 0.1);
  bad(mp([big], [square(X + 0.05, Y + 0.05, 0.1)]), 'geometry.coordinates[1]', /polygon 1 touches or crosses polygon 0/);
  bad(mp([big], [square(X + 0.1, Y, 0.1)]), 'geometry.coordinates[1]', /touches or crosses/); // a shared edge
  bad(mp([square(X + 0.5, Y, 0.01)], [big], [square(X + 0.02, Y + 0.02, 0.01)]), 'geometry.coordinates[2]', /polygon 2 lies inside polygon 1/);
  bad(mp([square(X + 0.02, Y + 0.02, 0.01)], [big]), 'geometry.coordinates[1]', /polygon 1 covers polygon 0/);
  // An island in a lake: the second part lies in the first part's hole.
  ok(mp([big, cw(square(X + 0.02, Y + 0.02, 0.05))], [square(X + 0.03, Y + 0.03, 0.01)]));
  bad(mp([big, cw(square(X + 0.02, Y + 0.02, 0.05))], [square(X + 0.03, Y + 0.03, 0.04)]), 'geometry.coordinates[1]', /touches or crosses/);
  ok(mp([big], [square(X + 0.2, Y, 0.1)]));
  // A stored MultiPolygon from before this check is not refused when a change keeps it.
  assert.equal(validateGeometry(mp([big], [square(X + 0.05, Y + 0.05, 0.1)]), 'geometry', { stored: true }).ok, true);
});

test('rings are rewound to RFC 7946: shell counter-clockwise, holes clockwise', () => {
  const shell = square(X, Y, 0.1);
  const hole = square(X + 0.02, Y + 0.02, 0.01);
  const g = ok({ type: 'Polygon', coordinates: [cw(shell), hole] });
  assert.equal(g.type, 'Polygon');
  if (g.type !== 'Polygon') return;
  assert.ok(ringArea(g.coordinates[0]!) > 0);
  assert.ok(ringArea(g.coordinates[1]!) < 0);
  assert.deepEqual(g.coordinates, [shell, cw(hole)]);
  assert.deepEqual(ok({ type: 'Polygon', coordinates: [shell, cw(hole)] }).coordinates, [shell, cw(hole)]);
  const m = ok({ type: 'MultiPolygon', coordinates: [[cw(shell)], [square(X + 0.2, Y, 0.01)]] });
  assert.deepEqual(m.coordinates, [[shell], [square(X + 0.2, Y, 0.01)]]);
});

/** A closed star-shaped ring of n vertices (radius alternating between r and r/2), counter-clockwise. */
function star(n: number, r = 0.05): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const rr = i % 2 ? r / 2 : r;
    ring.push([+(X + rr * Math.cos(a)).toFixed(7), +(Y + rr * Math.sin(a)).toFixed(7)]);
  }
  return [...ring, ring[0]!];
}

test('large rings (grid-bucketed test) are checked as strictly as small ones', () => {
  for (const n of [200, 5000]) {
    const ring = star(n);
    ok({ type: 'Polygon', coordinates: [ring] });
    for (const k of [10, n / 4 + 1, n / 2 - 3, n - 9]) {
      const crossed = ring.map((p) => [...p] as Position);
      [crossed[k], crossed[k + 2]] = [crossed[k + 2]!, crossed[k]!]; // edges around k … k+2 now cross
      const r = validateGeometry({ type: 'Polygon', coordinates: [crossed] });
      assert.equal(r.ok, false, `n=${n} k=${k}`);
      if (!r.ok) assert.match(r.reason, /intersects itself/);
    }
    const shell = square(X - 0.1, Y - 0.1, 0.2);
    const holed = validateGeometry({ type: 'Polygon', coordinates: [shell, star(n, 0.12)] });
    assert.equal(holed.ok, false, `hole n=${n}`);
    if (!holed.ok) assert.match(holed.reason, /rings 0 and 1 touch or cross/);
    ok({ type: 'Polygon', coordinates: [shell, cw(star(n, 0.09))] });
  }
});

/** A straight south edge and a zigzag north side of n teeth, 1e-5° apart; `valley` sets one valley's latitude. */
function sawtooth(n: number, valley?: { i: number; y: number }): Position[] {
  const ring: Position[] = [[X, Y], [r7(X + n * 1e-5), Y]];
  for (let i = n; i >= 0; i--) ring.push([r7(X + i * 1e-5), valley?.i === i ? valley.y : r7(Y + (i % 2 ? 0.0005 : 0.001))]);
  return [...ring, [X, Y]];
}

test('a vertex exactly on another edge is a self-touch; 1 cm away it is valid', () => {
  for (const n of [100, 3000]) {
    ok({ type: 'Polygon', coordinates: [sawtooth(n)] });
    ok({ type: 'Polygon', coordinates: [sawtooth(n, { i: n / 2 + 1, y: r7(Y + 1e-7) })] });
    const touch = validateGeometry({ type: 'Polygon', coordinates: [sawtooth(n, { i: n / 2 + 1, y: Y })] });
    assert.equal(touch.ok, false, `n=${n}`);
    if (!touch.ok) assert.match(touch.reason, /the edge from position 0 meets the edge from position/);
  }
});

test('steep edges crossing a long edge of a dense ring far from their ends are found', () => {
  for (const n of [100, 3000]) {
    const x = X + n * 0.5e-5;
    // a hole hanging from inside the teeth down to `apex`, across the ring's straight south edge
    const hole = (apex: number): Position[] => [[r7(x), r7(Y + 0.0004)], [r7(x + 0.0002), r7(Y + 0.0004)], [r7(x + 0.0001), r7(Y + apex)], [r7(x), r7(Y + 0.0004)]];
    ok({ type: 'Polygon', coordinates: [sawtooth(n), hole(0.0001)] });
    const r = validateGeometry({ type: 'Polygon', coordinates: [sawtooth(n), hole(-0.0004)] });
    assert.equal(r.ok, false, `n=${n}`);
    if (!r.ok) assert.match(r.reason, /rings 0 and 1 touch or cross \(edges from positions 0 and [12]\)/);
  }
});

test('geometryBBox and geometryKind', () => {
  const line: Geometry = { type: 'LineString', coordinates: [[121.5, 31.3], [121.4, 31.2], [121.6, 31.25]] };
  assert.deepEqual(geometryBBox(line), [121.4, 31.2, 121.6, 31.3]);
  assert.deepEqual(geometryBBox({ type: 'Point', coordinates: [X, Y] }), [X, Y, X, Y]);
  assert.deepEqual(geometryBBox({ type: 'MultiPolygon', coordinates: [[square(X, Y, 0.1)], [square(121.7, 31.0, 0.1)]] }), [X, 31.0, 121.8, 31.33]);
  assert.equal(geometryKind({ type: 'Point', coordinates: [X, Y] }), 'point');
  assert.equal(geometryKind(line), 'line');
  assert.equal(geometryKind({ type: 'MultiLineString', coordinates: [line.coordinates] }), 'line');
  assert.equal(geometryKind({ type: 'Polygon', coordinates: [square(X, Y, 1)] }), 'polygon');
  assert.equal(geometryKind({ type: 'MultiPolygon', coordinates: [[square(X, Y, 1)]] }), 'polygon');
});

test('the representative point of a line is halfway along its length', () => {
  assert.deepEqual(representativePoint({ type: 'Point', coordinates: [X, Y] }), [X, Y]);
  const straight = representativePoint({ type: 'LineString', coordinates: [[121.4, 31.2], [121.42, 31.2], [121.5, 31.2]] });
  assert.ok(Math.abs(straight[0] - 121.45) < 1e-5 && Math.abs(straight[1] - 31.2) < 1e-9, `${straight}`);
  // north 0.01° (~1.1 km) then east 0.1° (~9.5 km): the middle lies on the second leg
  const bent: Position[] = [[121.4, 31.2], [121.4, 31.21], [121.5, 31.21]];
  const [lon, lat] = representativePoint({ type: 'LineString', coordinates: bent });
  assert.equal(lat, 31.21);
  const before = distanceMetres(121.4, 31.2, 121.4, 31.21) + distanceMetres(121.4, 31.21, lon, lat);
  const after = distanceMetres(lon, lat, 121.5, 31.21);
  assert.ok(Math.abs(before - after) < 1, `${before} vs ${after}`);
  const multi = representativePoint({ type: 'MultiLineString', coordinates: [[[121.4, 31.2], [121.41, 31.2]], [[121.5, 31.2], [121.53, 31.2]]] });
  assert.ok(Math.abs(multi[0] - 121.51) < 1e-5 && multi[1] === 31.2, `${multi}`);
});

test('the representative point of a convex polygon is its centroid', () => {
  assert.deepEqual(representativePoint({ type: 'Polygon', coordinates: [square(121.4, 31.2, 0.1)] }), [121.45, 31.25]);
});

test('the representative point of a U-shaped polygon lies inside it', () => {
  // U opening north: two 0.02-wide arms joined by a 0.02-high base; the centroid falls in the gap
  const u: Position[] = [[X, Y], [X + 0.1, Y], [X + 0.1, Y + 0.1], [X + 0.08, Y + 0.1], [X + 0.08, Y + 0.02], [X + 0.02, Y + 0.02], [X + 0.02, Y + 0.1], [X, Y + 0.1], [X, Y]];
  const [cx, cy] = centroid([[u]]);
  assert.equal(pointInPolygon(cx, cy, [u]), false, 'the fixture must have its centroid outside');
  const g = ok({ type: 'Polygon', coordinates: [u] });
  const [px, py] = representativePoint(g);
  assert.ok(pointInPolygon(px, py, [u]), `${px},${py}`);
  assert.equal(distanceToGeometryMetres(px, py, g), 0);
  const mp = representativePoint({ type: 'MultiPolygon', coordinates: [[square(121.2, 31.0, 0.01)], [u]] });
  assert.ok(pointInPolygon(mp[0], mp[1], [u]), `largest part: ${mp}`);
});

test('distance to a segment matches the hand-computed value', () => {
  const line: Geometry = { type: 'LineString', coordinates: [[121.47, 31.23], [121.48, 31.23]] };
  // 0.001° of latitude north of the segment's middle: R·Δφ = 6371008.8 × 0.001 × π/180 = 111.195 m
  assert.ok(Math.abs(distanceToGeometryMetres(121.475, 31.231, line) - 111.195) < 0.5);
  // 0.01° east of its end, along the parallel: R·cos(31.23°)·Δλ = 950.82 m
  assert.ok(Math.abs(distanceToGeometryMetres(121.49, 31.23, line) - 950.82) < 0.5);
  // a north–south segment 0.01° east of the query point: perpendicular foot in its middle
  const ns: Geometry = { type: 'LineString', coordinates: [[121.48, 31.22], [121.48, 31.24]] };
  assert.ok(Math.abs(distanceToGeometryMetres(121.47, 31.23, ns) - 950.82) < 0.5);
  const multi: Geometry = { type: 'MultiLineString', coordinates: [ns.coordinates, line.coordinates] };
  assert.ok(Math.abs(distanceToGeometryMetres(121.475, 31.231, multi) - 111.195) < 0.5);
});

test('distance to points and polygons', () => {
  assert.equal(distanceToGeometryMetres(X, Y, { type: 'Point', coordinates: [X, Y + 0.001] }), distanceMetres(X, Y, X, Y + 0.001));
  const donut: Geometry = { type: 'Polygon', coordinates: [square(X, Y, 0.1), cw(square(X + 0.04, Y + 0.04, 0.02))] };
  assert.equal(distanceToGeometryMetres(X + 0.01, Y + 0.01, donut), 0);
  // in the hole, 0.005° south of the hole's north edge
  assert.ok(Math.abs(distanceToGeometryMetres(X + 0.05, Y + 0.055, donut) - 111195.08 * 0.005) < 0.5);
  // 0.001° south of the shell
  assert.ok(Math.abs(distanceToGeometryMetres(X + 0.05, Y - 0.001, donut) - 111.195) < 0.5);
  const mp: Geometry = { type: 'MultiPolygon', coordinates: [[square(121.2, 31.0, 0.01)], donut.coordinates] };
  assert.equal(distanceToGeometryMetres(X + 0.01, Y + 0.01, mp), 0);
});

test('metresToDegrees gives boxes of the requested size', () => {
  const { dLon, dLat } = metresToDegrees(Y, 1000);
  assert.ok(Math.abs(dLat - 1000 / 111195.08) < 1e-9);
  assert.ok(Math.abs(distanceMetres(X, Y, X + dLon, Y) - 1000) < 0.5);
  assert.ok(Math.abs(distanceMetres(X, Y, X, Y + dLat) - 1000) < 0.01);
  assert.ok(dLon > dLat);
});
