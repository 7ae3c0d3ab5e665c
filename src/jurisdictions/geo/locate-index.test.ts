import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildShanghaiAreas, type ShanghaiAreas } from '../build-tree.ts';
import { LocateIndex, leavesOf } from './locate-index.ts';
import { bbox, pointInMultiPolygon, type Ring } from './polygon.ts';
import { mulberry32 } from './random.ts';

const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

test('a node without children is its own leaf; parents are never leaves', () => {
  const areas = [
    { code: 'A', parent: null, geometry: [[square(0, 0, 2)]] },
    { code: 'A1', parent: 'A', geometry: [[square(0, 0, 1)]] },
    { code: 'A2', parent: 'A', geometry: [[square(1, 0, 1)]] },
    { code: 'B', parent: null, geometry: [[square(5, 5, 1)]] },
  ];
  assert.deepEqual(leavesOf(areas).map((a) => a.code), ['A1', 'A2', 'B']);
  const index = LocateIndex.fromTree(areas);
  assert.equal(index.locate(0.5, 0.5), 'A1');
  assert.equal(index.locate(5.5, 5.5), 'B');
  assert.equal(index.locate(0.5, 1.5), null); // inside A but in none of its children
  assert.equal(new LocateIndex([]).locate(0, 0), null);
});

test('holes and multipart leaves are honoured', () => {
  const index = new LocateIndex([
    { code: 'ring', geometry: [[square(0, 0, 10), square(4, 4, 2)]] },
    { code: 'islands', geometry: [[square(20, 0, 1)], [square(30, 0, 1)]] },
  ]);
  assert.equal(index.locate(5, 5), null);
  assert.equal(index.locate(1, 1), 'ring');
  assert.equal(index.locate(30.5, 0.5), 'islands');
  assert.equal(index.locate(25, 0.5), null);
});

let city: ShanghaiAreas;
let index: LocateIndex;
before(() => {
  city = buildShanghaiAreas({ seed: 5 });
  index = LocateIndex.fromTree(city.features);
});

test('the index agrees with brute force over every leaf on random points', () => {
  const leaves = leavesOf(city.features);
  assert.equal(index.size, leaves.length);
  // Still every leaf, only with a box test first so the check takes seconds, not minutes.
  const boxes = leaves.map((l) => bbox(l.geometry));
  const random = mulberry32(99);
  let hits = 0;
  for (let k = 0; k < 3000; k++) {
    const x = 120.85 + random() * 1.2;
    const y = 30.67 + random() * 1.2;
    const brute =
      leaves.find((l, i) => {
        const [minX, minY, maxX, maxY] = boxes[i]!;
        return x >= minX && x <= maxX && y >= minY && y <= maxY && pointInMultiPolygon(x, y, l.geometry);
      })?.code ?? null;
    assert.equal(index.locate(x, y), brute, `${x},${y}`);
    if (brute) hits++;
  }
  assert.ok(hits > 1000, `only ${hits} points fell inside Shanghai`);
});

test('leaves do not overlap, so locating a run of nearby points (which tries the last hit first) answers as brute force', () => {
  const leaves = leavesOf(city.features);
  const boxes = leaves.map((l) => bbox(l.geometry));
  let inside = 0;
  // Rows swept west to east in small steps, as a sorted import or a street of sensors arrives.
  for (let row = 0; row < 30; row++) {
    const y = 30.7 + row * 0.038;
    for (let col = 0; col < 200; col++) {
      const x = 120.9 + col * 0.005;
      const containing = leaves.filter((l, i) => {
        const [minX, minY, maxX, maxY] = boxes[i]!;
        return x >= minX && x <= maxX && y >= minY && y <= maxY && pointInMultiPolygon(x, y, l.geometry);
      });
      assert.ok(containing.length <= 1, `${x},${y} lies in ${containing.map((l) => l.code).join(' and ')}`);
      assert.equal(index.locate(x, y), containing[0]?.code ?? null, `${x},${y}`);
      if (containing.length) inside++;
    }
  }
  assert.ok(inside > 2000, `only ${inside} points fell inside Shanghai`);
});

test('known places resolve to their district, the sea to nothing', () => {
  const places: [string, number, number, string | null][] = [
    // WGS84. The brief's Bund point (121.490, 31.240) lies within the ~100 m quantisation of the
    // mid-river boundary in the ECharts outline; the Peace Hotel on the Bund is 300 m inland.
    ['Peace Hotel on the Bund', 121.4864, 31.2406, '310101'],
    ["People's Square", 121.4737, 31.2304, '310101'],
    ['Lujiazui', 121.506, 31.245, '310115'],
    ['Xujiahui', 121.4365, 31.195, '310104'],
    ["Jing'an Temple", 121.4453, 31.2231, '310106'],
    ['Chongming Island interior', 121.55, 31.6, '310151'],
    ['East China Sea', 122.3, 31.0, null],
  ];
  for (const [label, lon, lat, district] of places) {
    const code = index.locate(lon, lat);
    if (district === null) assert.equal(code, null, label);
    else {
      assert.ok(code !== null && code.startsWith(district), `${label}: got ${code}`);
      assert.equal(code.length, 15, `${label}: deepest level is a grid cell`);
    }
  }
});
