import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTileFeature, classifyRings } from '@mapbox/vector-tile';
import { encodeTile, ringArea2, type TileFeature } from './mvt.ts';
import { tileBBox } from './tile-math.ts';
import { decode, feature, pointAt, rawLayers, xy } from './testing.ts';

test('geometry commands match the examples of the specification', () => {
  const buf = encodeTile([
    {
      name: 'spec',
      features: [
        { geometry: { type: 'Point', points: [[25, 17]] }, properties: {} },
        {
          geometry: {
            type: 'Point',
            points: [
              [5, 7],
              [3, 2],
            ],
          },
          properties: {},
        },
        {
          geometry: {
            type: 'LineString',
            lines: [
              [
                [2, 2],
                [2, 10],
                [10, 10],
              ],
            ],
          },
          properties: {},
        },
        {
          geometry: {
            type: 'LineString',
            lines: [
              [
                [2, 2],
                [2, 10],
                [10, 10],
              ],
              [
                [1, 1],
                [3, 5],
              ],
            ],
          },
          properties: {},
        },
        {
          geometry: {
            type: 'Polygon',
            rings: [
              [
                [3, 6],
                [8, 12],
                [20, 34],
                [3, 6],
              ],
            ],
          },
          properties: {},
        },
        {
          geometry: {
            type: 'Polygon',
            rings: [
              [
                [0, 0],
                [10, 0],
                [10, 10],
                [0, 10],
                [0, 0],
              ],
              [
                [11, 11],
                [20, 11],
                [20, 20],
                [11, 20],
                [11, 11],
              ],
              [
                [13, 13],
                [13, 17],
                [17, 17],
                [17, 13],
                [13, 13],
              ],
            ],
          },
          properties: {},
        },
      ],
    },
  ]);
  const [layer] = rawLayers(buf);
  const geometry = layer.features.map((f) => [f.type, f.geometry]);
  assert.deepEqual(geometry, [
    [1, [9, 50, 34]],
    [1, [17, 10, 14, 3, 9]],
    [2, [9, 4, 4, 18, 0, 16, 16, 0]],
    [2, [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8]],
    [3, [9, 6, 12, 18, 10, 12, 24, 44, 15]],
    [3, [9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15, 9, 22, 2, 26, 18, 0, 0, 18, 17, 0, 15, 9, 4, 13, 26, 0, 8, 8, 0, 0, 7, 15]],
  ]);
});

test('point, line and polygon geometry round-trips through loadGeometry (rounded to pixels)', () => {
  const line: [number, number][] = [
    [0, 0],
    [100.4, 200.6],
    [100.2, 200.7], // rounds onto the previous point: dropped
    [-30, 4100],
    [4096, 4096],
  ];
  const tile = decode(
    encodeTile([
      {
        name: 'g',
        features: [
          {
            geometry: {
              type: 'Point',
              points: [
                [1, 2],
                [4095, 4095],
                [-10, 5000],
              ],
            },
            properties: {},
          },
          { geometry: { type: 'LineString', lines: [line, [[7, 7], [7.2, 7.3]], [[9, 9], [19, 29]]] }, properties: {} },
          {
            geometry: {
              type: 'Polygon',
              rings: [
                [
                  [0, 0],
                  [4096, 0],
                  [4096, 4096],
                  [0, 4096],
                ],
              ],
            },
            properties: {},
          },
        ],
      },
    ]),
  );
  const [p, l, g] = [0, 1, 2].map((i) => feature(tile, 'g', i));
  assert.deepEqual(
    [p.type, l.type, g.type].map((t) => VectorTileFeature.types[t]),
    ['Point', 'LineString', 'Polygon'],
  );
  assert.deepEqual(xy(p.loadGeometry()), [[[1, 2]], [[4095, 4095]], [[-10, 5000]]]);
  assert.deepEqual(xy(l.loadGeometry()), [
    [
      [0, 0],
      [100, 201],
      [-30, 4100],
      [4096, 4096],
    ],
    [
      [9, 9],
      [19, 29],
    ],
  ]); // the second line collapsed to one pixel and is gone
  assert.deepEqual(xy(g.loadGeometry()), [
    [
      [0, 0],
      [4096, 0],
      [4096, 4096],
      [0, 4096],
      [0, 0],
    ],
  ]);
});

test('polygon winding: exteriors come out clockwise (positive area, y down), holes counter-clockwise, whatever the input winding', () => {
  const square = (x0: number, y0: number, size: number): [number, number][] => [
    [x0, y0],
    [x0 + size, y0],
    [x0 + size, y0 + size],
    [x0, y0 + size],
    [x0, y0],
  ];
  const cw = square; // clockwise on screen with y down: positive area
  const ccw = (x0: number, y0: number, size: number) => square(x0, y0, size).reverse();
  assert.ok(ringArea2(cw(0, 0, 1)) > 0 && ringArea2(ccw(0, 0, 1)) < 0);

  // Spec winding, reversed winding (as GeoJSON's right-hand rule gives after the y flip): same result.
  for (const [label, outer, hole] of [
    ['spec winding', cw, ccw],
    ['reversed winding', ccw, cw],
  ] as const) {
    const rings = [outer(0, 0, 1000), hole(100, 100, 200), hole(500, 500, 200), outer(2000, 2000, 500), hole(2100, 2100, 100)];
    const tile = decode(encodeTile([{ name: 'p', features: [{ id: 1, geometry: { type: 'Polygon', rings }, properties: {} }] }]));
    const f = feature(tile, 'p');
    assert.equal(f.type, 3, label);
    const decoded = f.loadGeometry();
    assert.deepEqual(
      decoded.map((r) => Math.sign(ringArea2(r.map((p) => [p.x, p.y])))),
      [1, -1, -1, 1, -1],
      label,
    );
    const polygons = classifyRings(decoded);
    assert.deepEqual(
      polygons.map((p) => p.length),
      [3, 2],
      label,
    );
    const [z, x, y] = [10, 857, 418];
    const geo = f.toGeoJSON(x, y, z);
    assert.equal(geo.geometry.type, 'MultiPolygon', label);
    assert.ok(geo.geometry.type === 'MultiPolygon');
    assert.deepEqual(
      geo.geometry.coordinates.map((p) => p.length),
      [3, 2],
    );
    // The first polygon's exterior covers the top-left quarter of the first 1000 pixels.
    const [west, , east, north] = tileBBox(z, x, y);
    const ring = geo.geometry.coordinates[0][0];
    assert.ok(Math.abs(Math.min(...ring.map((c) => c[0])) - west) < 1e-9);
    assert.ok(Math.abs(Math.max(...ring.map((c) => c[1])) - north) < 1e-9);
    assert.ok(Math.abs(Math.max(...ring.map((c) => c[0])) - (west + ((east - west) * 1000) / 4096)) < 1e-9);
  }
});

test('rings that lose their area to rounding are dropped, with the holes of a dropped exterior', () => {
  const sliver: [number, number][] = [
    [10, 10],
    [10.2, 10.1],
    [10.4, 10.3],
  ];
  const buf = encodeTile([
    {
      name: 'p',
      features: [
        {
          geometry: {
            type: 'Polygon',
            rings: [
              [
                [0, 0],
                [0.3, 0],
                [0.3, 0.3],
                [0, 0.3],
              ], // exterior, collapses
              [
                [0.1, 0.1],
                [0.1, 0.2],
                [0.2, 0.2],
              ], // its hole
              [
                [100, 100],
                [200, 100],
                [200, 200],
                [100, 200],
              ], // exterior that survives
              sliver.slice().reverse(), // a hole that collapses
            ],
          },
          properties: {},
        },
        { geometry: { type: 'Polygon', rings: [sliver] }, properties: { gone: true } },
        { geometry: { type: 'LineString', lines: [[[5, 5]], [[6, 6], [6.1, 6.1]]] }, properties: { gone: true } },
        { geometry: { type: 'Point', points: [] }, properties: { gone: true } },
      ],
    },
    { name: 'empty', features: [{ geometry: { type: 'Polygon', rings: [sliver] }, properties: {} }] },
  ]);
  const tile = decode(buf);
  assert.deepEqual(Object.keys(tile.layers), ['p'], 'a layer left without features is left out');
  assert.equal(tile.layers.p.length, 1);
  assert.deepEqual(xy(tile.layers.p.feature(0).loadGeometry()), [
    [
      [100, 100],
      [200, 100],
      [200, 200],
      [100, 200],
      [100, 100],
    ],
  ]);
  assert.deepEqual(rawLayers(buf)[0].keys, [], 'dropped features leave no keys behind');
  assert.equal(encodeTile([]).length, 0);
});

test('bad input is refused', () => {
  assert.throws(() => encodeTile([{ name: 'a', features: [] }, { name: 'a', features: [] }]), /two layers named/);
  assert.throws(() => encodeTile([{ name: 'a', features: [pointAt(1, 1, {}, -1)] }]), RangeError);
  assert.throws(() => encodeTile([{ name: 'a', features: [pointAt(1, 1, {}, 1.5)] }]), RangeError);
  assert.throws(() => encodeTile([{ name: 'a', extent: 0, features: [pointAt(1, 1)] }]), RangeError);
});

test('large features: message lengths needing several varint bytes', () => {
  const n = 20000;
  const line: [number, number][] = Array.from({ length: n }, (_, i) => [i % 4096, Math.floor(i / 4096) * 100 + (i % 7)]);
  const features: TileFeature[] = Array.from({ length: 60 }, (_, i) => ({
    id: i,
    geometry: { type: 'LineString', lines: [line] },
    properties: { i, label: `第${i}段`.repeat(i) },
  }));
  const buf = encodeTile([{ name: 'big', features }]);
  assert.ok(buf.length > 2 ** 21, `${buf.length} bytes`);
  const layer = decode(buf).layers.big;
  assert.equal(layer.length, 60);
  const f = layer.feature(59);
  assert.equal(f.id, 59);
  assert.equal(f.properties.label, '第59段'.repeat(59));
  assert.deepEqual(xy(f.loadGeometry()), [line]);
});
