import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateGeometry, type Geometry } from './geometry.ts';
import { parseWkt, toWkt } from './wkt.ts';

const shell: [number, number][] = [[121.4, 31.2], [121.5, 31.2], [121.5, 31.3], [121.4, 31.3], [121.4, 31.2]];
const hole: [number, number][] = [[121.42, 31.22], [121.42, 31.24], [121.44, 31.24], [121.44, 31.22], [121.42, 31.22]];
const samples: Geometry[] = [
  { type: 'Point', coordinates: [121.4737021, 31.2303904] },
  { type: 'LineString', coordinates: [[121.4, 31.2], [121.45, 31.25], [121.5, 31.2]] },
  { type: 'Polygon', coordinates: [shell, hole] },
  { type: 'MultiLineString', coordinates: [[[121.4, 31.2], [121.41, 31.2]], [[121.5, 31.2], [121.5, 31.21]]] },
  { type: 'MultiPolygon', coordinates: [[shell, hole], [[[121.6, 31.0], [121.7, 31.0], [121.7, 31.1], [121.6, 31.0]]]] },
];

test('toWkt writes each type in standard form', () => {
  assert.equal(toWkt(samples[0]!), 'POINT (121.4737021 31.2303904)');
  assert.equal(toWkt(samples[1]!), 'LINESTRING (121.4 31.2, 121.45 31.25, 121.5 31.2)');
  assert.equal(toWkt(samples[3]!), 'MULTILINESTRING ((121.4 31.2, 121.41 31.2), (121.5 31.2, 121.5 31.21))');
  assert.equal(
    toWkt(samples[4]!),
    'MULTIPOLYGON (((121.4 31.2, 121.5 31.2, 121.5 31.3, 121.4 31.3, 121.4 31.2), (121.42 31.22, 121.42 31.24, 121.44 31.24, 121.44 31.22, 121.42 31.22)), ((121.6 31, 121.7 31, 121.7 31.1, 121.6 31)))',
  );
});

test('every type survives a WKT round trip', () => {
  for (const g of samples) assert.deepEqual(parseWkt(toWkt(g)), g);
});

test('SRID=4326 prefix, any case, extra whitespace and a Z dimension are accepted', () => {
  const point = { type: 'Point', coordinates: [121.47, 31.23] };
  assert.deepEqual(parseWkt('SRID=4326;POINT(121.47 31.23)'), point);
  assert.deepEqual(parseWkt('  srid=4326 ; point z ( 121.47   31.23  4.5 ) '), point);
  assert.deepEqual(parseWkt('Point(121.47 31.23 4.5)'), point);
  assert.deepEqual(parseWkt('linestring Z (121.4 31.2 0,121.5 31.3 1e1)'), { type: 'LineString', coordinates: [[121.4, 31.2], [121.5, 31.3]] });
  assert.deepEqual(parseWkt('POINT(+1.21e2 -.5)'), { type: 'Point', coordinates: [121, -0.5] });
});

test('parsed WKT goes through the same validation as GeoJSON', () => {
  const r = validateGeometry(parseWkt('POLYGON((121.4 31.2, 121.4 31.3, 121.5 31.3, 121.5 31.2, 121.4 31.2))'));
  assert.ok(r.ok);
  assert.deepEqual(r.geometry, { type: 'Polygon', coordinates: [shell] }); // rewound counter-clockwise
  const swapped = validateGeometry(parseWkt('POINT(31.23 121.47)'));
  assert.ok(!swapped.ok && /appear swapped/.test(swapped.reason));
});

test('bad WKT throws an error saying what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /empty input/],
    ['   ', /empty input/],
    ['POINT EMPTY', /POINT EMPTY is not accepted/],
    ['polygon z empty', /POLYGON EMPTY is not accepted/],
    ['MULTIPOINT((121 31))', /unsupported geometry type MULTIPOINT/],
    ['GEOMETRYCOLLECTION(POINT(121 31))', /unsupported geometry type GEOMETRYCOLLECTION/],
    ['POINT M (121 31 5)', /measured coordinates \(M\)/],
    ['SRID=3857;POINT(13520000 3660000)', /only SRID 4326 .* got SRID=3857/],
    ['(121 31)', /expected a geometry type but found '\(' at position 1/],
    ['POINT(121)', /2 or 3 numbers .* got 1/],
    ['POINT(121 31 1 2)', /2 or 3 numbers .* got 4/],
    ['LINESTRING(121 31, 122 31', /expected '\)' but found end of input/],
    ['LINESTRING 121 31, 122 31)', /expected '\(' but found '121' at position 12/],
    ['POLYGON((121 31, 122 31, 122 32, 121 31)', /expected '\)' but found end of input/],
    ['POINT(121 31) POINT(1 2)', /unexpected 'POINT' at position 15 after the geometry/],
    ['POINT(121; 31)', /unexpected character ';' at position 10/],
    ['SRID=4326;POINT(121; 31)', /unexpected character ';' at position 20/],
    ['POINT(121 x)', /2 or 3 numbers .* got 1 before 'x' at position 11/],
    ['POINT Q (121 31)', /unexpected 'Q' at position 7 after POINT/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseWkt(text), (e: unknown) => e instanceof Error && message.test(e.message) && e.message.startsWith('WKT: '), text);
  }
});
