import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTile, VectorTileFeature, classifyRings } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { ByteWriter, clipToTile, encodeTile, ringArea2, type TileFeature, type TileGeometry } from './mvt.ts';
import { lonLatToTile, project, tileBBox } from './tile-math.ts';

// --- decoding helpers ---------------------------------------------------------------------------

const decode = (buf: Uint8Array) => new VectorTile(new PbfReader(buf));

/** Feature `i` of layer `name`, failing the test when either is missing. */
function feature(tile: VectorTile, name: string, i = 0): VectorTileFeature {
  const layer = tile.layers[name];
  assert.ok(layer, `layer ${name}`);
  assert.ok(i < layer.length, `feature ${i} of ${name}`);
  return layer.feature(i);
}

const xy = (rings: { x: number; y: number }[][]) => rings.map((r) => r.map((p) => [p.x, p.y]));

/** Reads the protobuf independently of @mapbox/vector-tile, keeping wire details it hides. */
interface RawValue {
  field: number;
  value: unknown;
}
interface RawFeature {
  id?: number;
  tags: number[];
  type: number;
  geometry: number[];
}
interface RawLayer {
  name: string;
  keys: string[];
  values: RawValue[];
  features: RawFeature[];
  extent?: number;
  version?: number;
}
function rawLayers(buf: Uint8Array): RawLayer[] {
  const readValue = (tag: number, v: RawValue, p: PbfReader) => {
    v.field = tag;
    v.value = tag === 1 ? p.readString() : tag === 3 ? p.readDouble() : tag === 5 ? p.readVarint() : tag === 6 ? p.readSVarint() : tag === 7 ? p.readBoolean() : undefined;
  };
  const readFeature = (tag: number, f: RawFeature, p: PbfReader) => {
    if (tag === 1) f.id = p.readVarint();
    else if (tag === 2) p.readPackedVarint(f.tags);
    else if (tag === 3) f.type = p.readVarint();
    else if (tag === 4) p.readPackedVarint(f.geometry);
  };
  const readLayer = (tag: number, l: RawLayer, p: PbfReader) => {
    if (tag === 1) l.name = p.readString();
    else if (tag === 2) l.features.push(p.readMessage(readFeature, { tags: [], type: 0, geometry: [] }));
    else if (tag === 3) l.keys.push(p.readString());
    else if (tag === 4) l.values.push(p.readMessage(readValue, { field: 0, value: undefined }));
    else if (tag === 5) l.extent = p.readVarint();
    else if (tag === 15) l.version = p.readVarint();
  };
  return new PbfReader(buf).readFields(
    (tag, layers: RawLayer[], p) => {
      if (tag === 3) layers.push(p.readMessage(readLayer, { name: '', keys: [], values: [], features: [] }));
    },
    [],
  );
}

const pointAt = (x: number, y: number, properties: TileFeature['properties'] = {}, id?: number): TileFeature => ({
  id,
  geometry: { type: 'Point', points: [[x, y]] },
  properties,
});

// --- encoding -----------------------------------------------------------------------------------

test('layers, feature counts, ids, extent and version survive a decode', () => {
  const buf = encodeTile([
    { name: 'components', features: [pointAt(1, 2, {}, 7), pointAt(3, 4, {}, 0), pointAt(5, 6), pointAt(7, 8, {}, 2 ** 53 - 1)] },
    { name: '井盖', extent: 512, features: [pointAt(10, 10, {}, 1)] },
  ]);
  assert.ok(buf instanceof Uint8Array);
  const tile = decode(buf);
  assert.deepEqual(Object.keys(tile.layers).sort(), ['components', '井盖']);
  const a = tile.layers.components;
  assert.equal(a.length, 4);
  assert.equal(a.extent, 4096);
  assert.equal(a.version, 2);
  assert.deepEqual([0, 1, 2, 3].map((i) => a.feature(i).id), [7, 0, undefined, 2 ** 53 - 1]);
  assert.equal(tile.layers['井盖'].extent, 512);
  assert.equal(tile.layers['井盖'].feature(0).id, 1);
  const raw = rawLayers(buf);
  assert.deepEqual(
    raw.map((l) => [l.name, l.version, l.extent, l.features.length]),
    [
      ['components', 2, 4096, 4],
      ['井盖', 2, 512, 1],
    ],
  );
});

test('properties: strings (Chinese too), integers, negative integers, floats, booleans; null and undefined left out', () => {
  const props = {
    name: '人民广场',
    category: 'manhole 井盖',
    empty: '',
    count: 42,
    zero: 0,
    big: 2 ** 53 - 1,
    negative: -17,
    veryNegative: -(2 ** 40),
    ratio: 0.125,
    pi: Math.PI,
    negativeFloat: -2.5,
    huge: 1e300,
    yes: true,
    no: false,
    missing: null,
    absent: undefined,
  };
  const tile = decode(encodeTile([{ name: 'l', features: [pointAt(1, 1, props, 1)] }]));
  const f = feature(tile, 'l');
  const { missing, absent, ...expected } = props;
  void missing;
  void absent;
  assert.deepEqual({ ...f.properties }, expected);
  assert.ok(!('missing' in f.properties) && !('absent' in f.properties));
});

test('values are typed per the spec: string, uint for non-negative ints, sint for negative ints, double, bool', () => {
  const buf = encodeTile([{ name: 'l', features: [pointAt(1, 1, { s: '上海', u: 5, n: -5, d: 1.5, b: true, f: false }, 1)] }]);
  const [layer] = rawLayers(buf);
  assert.deepEqual(layer.keys, ['s', 'u', 'n', 'd', 'b', 'f']);
  assert.deepEqual(layer.values, [
    { field: 1, value: '上海' },
    { field: 5, value: 5 },
    { field: 6, value: -5 },
    { field: 3, value: 1.5 },
    { field: 7, value: true },
    { field: 7, value: false },
  ]);
  assert.deepEqual(layer.features[0].tags, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
});

test('keys and values are deduplicated per layer, not across layers', () => {
  const features = [
    pointAt(1, 1, { kind: '井盖', level: 1, ok: true }, 1),
    pointAt(2, 2, { kind: '井盖', level: 2, ok: true }, 2),
    pointAt(3, 3, { kind: '路灯', level: 1, other: '井盖', ok: null }, 3),
    pointAt(4, 4, { n: 1, s: '1' }, 4), // the number 1 and the string "1" are different values
  ];
  const buf = encodeTile([
    { name: 'a', features },
    { name: 'b', features: [pointAt(5, 5, { level: 1 })] },
  ]);
  const [a, b] = rawLayers(buf);
  assert.deepEqual(a.keys, ['kind', 'level', 'ok', 'other', 'n', 's']);
  assert.deepEqual(
    a.values.map((v) => v.value),
    ['井盖', 1, true, 2, '路灯', '1'],
  );
  assert.deepEqual(a.features[2].tags, [0, 4, 1, 1, 3, 0]);
  assert.deepEqual(a.features[3].tags, [4, 1, 5, 5]);
  assert.deepEqual(b.keys, ['level']);
  assert.deepEqual(b.values, [{ field: 5, value: 1 }]);
  const tile = decode(buf);
  assert.deepEqual({ ...feature(tile, 'a', 2).properties }, { kind: '路灯', level: 1, other: '井盖' });
  assert.deepEqual({ ...feature(tile, 'a', 3).properties }, { n: 1, s: '1' });
});

test('integers beyond 2^52 are zigzag-encoded exactly', () => {
  const v = -(2 ** 53 - 1);
  const buf = encodeTile([{ name: 'l', features: [pointAt(1, 1, { v })] }]);
  // zigzag(v) = 2^54 - 3, which a double cannot hold; look for its exact varint bytes.
  let z = 2n ** 54n - 3n;
  const expected: number[] = [6 << 3]; // Value.sint_value tag
  while (z > 0x7fn) {
    expected.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  expected.push(Number(z));
  const hex = Buffer.from(buf).toString('hex');
  assert.ok(hex.includes(Buffer.from(expected).toString('hex')), 'sint64 bytes');
});

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

test('ByteWriter: varints of every size and the in-place length prefix', () => {
  for (const v of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
    const w = new ByteWriter(1);
    w.varint(v);
    assert.equal(new PbfReader(w.finish()).readVarint(), v, `${v}`);
  }
  for (const size of [0, 127, 128, 16383, 16384, 70000]) {
    const w = new ByteWriter(1);
    w.message(1, () => w.bytes(new Uint8Array(size).fill(7)));
    const r = new PbfReader(w.finish());
    assert.equal(r.readVarint(), (1 << 3) | 2);
    assert.equal(r.readVarint(), size);
    assert.equal(r.length - r.pos, size);
  }
  assert.throws(() => new ByteWriter().varint(-1), RangeError);
});

// --- clipping -----------------------------------------------------------------------------------

test('clipToTile: a line crossing the tile is cut at the buffer, one leaving and re-entering is split', () => {
  const across = clipToTile({
    type: 'LineString',
    lines: [
      [
        [-1000, 2048],
        [5000, 2048],
      ],
    ],
  });
  assert.deepEqual(across, {
    type: 'LineString',
    lines: [
      [
        [-64, 2048],
        [4160, 2048],
      ],
    ],
  });
  const inOutIn = clipToTile(
    {
      type: 'LineString',
      lines: [
        [
          [100, 100],
          [100, -1000],
          [300, -1000],
          [300, 100],
          [400, 200],
        ],
      ],
    },
    4096,
    0,
  );
  assert.deepEqual(inOutIn, {
    type: 'LineString',
    lines: [
      [
        [100, 100],
        [100, 0],
      ],
      [
        [300, 0],
        [300, 100],
        [400, 200],
      ],
    ],
  });
  const diagonal = clipToTile({ type: 'LineString', lines: [[[-200, -200], [200, 200]]] }, 4096, 10);
  assert.deepEqual(diagonal, { type: 'LineString', lines: [[[-10, -10], [200, 200]]] });
  assert.equal(clipToTile({ type: 'LineString', lines: [[[-500, -500], [-500, 5000]]] }), null);
  assert.deepEqual(clipToTile({ type: 'Point', points: [[-64, 0], [-65, 0], [100, 4160]] }), { type: 'Point', points: [[-64, 0], [100, 4160]] });
});

test('clipToTile: a polygon covering the tile becomes the buffered tile square, winding kept', () => {
  const huge: TileGeometry = {
    type: 'Polygon',
    rings: [
      [
        [-10000, -10000],
        [-10000, 10000],
        [10000, 10000],
        [10000, -10000],
        [-10000, -10000],
      ],
    ],
  };
  const clipped = clipToTile(huge);
  assert.ok(clipped?.type === 'Polygon');
  assert.equal(clipped.rings.length, 1);
  const ring = clipped.rings[0];
  assert.ok(ringArea2(ring) < 0, 'counter-clockwise input stays counter-clockwise');
  assert.equal(ringArea2(ring), -2 * 4224 * 4224);
  for (const [px, py] of ring) assert.ok((px === -64 || px === 4160) && (py === -64 || py === 4160));
  // A ring outside the tile disappears; a hole fully outside goes while its exterior stays.
  const withHole: TileGeometry = {
    type: 'Polygon',
    rings: [huge.rings[0], [[5000, 5000], [6000, 5000], [6000, 6000], [5000, 6000]]],
  };
  assert.equal((clipToTile(withHole) as { rings: unknown[] }).rings.length, 1);
  assert.equal(clipToTile({ type: 'Polygon', rings: [[[5000, 5000], [6000, 5000], [6000, 6000]]] }), null);
  // A concave ring cut by the tile edge keeps both lobes joined along the edge.
  const u = clipToTile(
    { type: 'Polygon', rings: [[[10, -100], [30, -100], [30, 50], [40, 50], [40, -100], [60, -100], [60, 80], [10, 80]]] },
    4096,
    0,
  );
  assert.ok(u?.type === 'Polygon');
  assert.equal(Math.abs(ringArea2(u.rings[0])) / 2, 50 * 80 - 10 * 50);
});

// --- GeoJSON → tile -----------------------------------------------------------------------------

const [Z, X, Y] = [10, 857, 418]; // the tile holding central Shanghai
const [W, S, E, N] = tileBBox(Z, X, Y);
