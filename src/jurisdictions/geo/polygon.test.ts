import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packParts, pointInPart } from './flat-rings.ts';
import {
  bbox,
  centroid,
  multiPolygonArea,
  pointInMultiPolygon,
  pointInPolygon,
  ringArea,
  rewind,
  type MultiPolygon,
  type Polygon,
  type Ring,
} from './polygon.ts';

const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];
const donut: Polygon = [square(0, 0, 10), square(4, 4, 2)];

test('a point in a hole is outside, around the hole inside', () => {
  assert.equal(pointInPolygon(5, 5, donut), false);
  assert.equal(pointInPolygon(2, 2, donut), true);
  assert.equal(pointInPolygon(11, 5, donut), false);
});

test('any part of a multipolygon counts, gaps between parts do not', () => {
  const mp: MultiPolygon = [[square(0, 0, 1)], [square(5, 5, 1)]];
  assert.equal(pointInMultiPolygon(5.5, 5.5, mp), true);
  assert.equal(pointInMultiPolygon(0.5, 0.5, mp), true);
  assert.equal(pointInMultiPolygon(3, 3, mp), false);
});

test('a point on an edge shared by two tiles belongs to exactly one of them', () => {
  const left: Polygon = [square(0, 0, 1)];
  const right: Polygon = [square(1, 0, 1)];
  const below: Polygon = [square(0, -1, 1)];
  for (const [x, y] of [[1, 0.5], [0.5, 0], [1, 0], [1, 1]] as const) {
    const owners = [left, right, below].filter((p) => pointInPolygon(x, y, p)).length;
    assert.ok(owners <= 1, `${x},${y} claimed by ${owners}`);
  }
  assert.equal([left, right].filter((p) => pointInPolygon(1, 0.5, p)).length, 1);
});

test('rays through vertices and along horizontal edges do not miscount', () => {
  const diamond: Polygon = [[[0, 1], [1, 0], [2, 1], [1, 2], [0, 1]]];
  assert.equal(pointInPolygon(1, 1, diamond), true); // ray passes through vertex (2,1)
  assert.equal(pointInPolygon(-1, 1, diamond), false); // ray passes through two vertices
  const stair: Polygon = [[[0, 0], [3, 0], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]]];
  assert.equal(pointInPolygon(1, 1, stair), true); // ray runs along the edge y = 1
  assert.equal(pointInPolygon(2.5, 1.5, stair), false);
});

test('degenerate rings contain nothing', () => {
  assert.equal(pointInPolygon(0, 0, [[]]), false);
  assert.equal(pointInPolygon(0.5, 0, [[[0, 0], [1, 0], [0, 0]]]), false);
});

test('packed parts agree with the plain test, holes included', () => {
  const mp: MultiPolygon = [donut, [square(20, 20, 3)]];
  const flat = packParts([mp]);
  for (let x = -1; x <= 24; x += 0.37) {
    for (let y = -1; y <= 24; y += 0.41) {
      let packed = false;
      for (let p = 0; p < flat.partCount; p++) packed ||= pointInPart(flat, p, x, y);
      assert.equal(packed, pointInMultiPolygon(x, y, mp), `${x},${y}`);
    }
  }
});

test('bbox, area and centroid of a square with a hole', () => {
  assert.deepEqual(bbox([donut]), [0, 0, 10, 10]);
  assert.equal(multiPolygonArea([donut]), 96);
  assert.deepEqual(centroid([donut]), [5, 5]);
  assert.deepEqual(centroid([[square(0, 0, 2)], [square(10, 0, 2)]]), [6, 1]);
});

test('rewind makes outer rings counter-clockwise and holes clockwise', () => {
  const clockwise: Polygon = [[...square(0, 0, 10)].reverse(), [...square(4, 4, 2)]];
  const [fixed] = rewind([clockwise]);
  assert.ok(ringArea(fixed![0]!) > 0);
  assert.ok(ringArea(fixed![1]!) < 0);
});
