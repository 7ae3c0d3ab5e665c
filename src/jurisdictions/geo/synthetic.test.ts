import { test } from 'node:test';
import assert from 'node:assert/strict';
import polygonClipping from 'polygon-clipping';
import { buildShanghaiAreas } from '../build-tree.ts';
import { centroid, multiPolygonArea, pointInMultiPolygon, type MultiPolygon } from './polygon.ts';
import { mulberry32 } from './random.ts';
import { gridCounts } from './synthetic.ts';
import { partitionArea, samplePoints } from './voronoi-partition.ts';
import { packParts } from './flat-rings.ts';
import { bbox } from './polygon.ts';

const hexagon: MultiPolygon = [[Array.from({ length: 7 }, (_, i) => {
  const a = ((i % 6) * Math.PI) / 3;
  return [Math.cos(a), Math.sin(a)] as [number, number];
})]];

function assertTiles(parent: MultiPolygon, children: MultiPolygon[], label: string): void {
  const parentArea = multiPolygonArea(parent);
  const sum = children.reduce((s, c) => s + multiPolygonArea(c), 0);
  assert.ok(Math.abs(sum / parentArea - 1) < 1e-8, `${label}: children cover ${sum / parentArea} of parent`);
  // Every sampled point of the parent is in exactly one child: no gaps, no overlaps.
  const points = samplePoints(packParts([parent]), bbox(parent), 300, mulberry32(7));
  for (let k = 0; k < points.length; k += 2) {
    const owners = children.filter((c) => pointInMultiPolygon(points[k]!, points[k + 1]!, c)).length;
    assert.equal(owners, 1, `${label}: point ${points[k]},${points[k + 1]} in ${owners} children`);
  }
}

test('pieces of a convex area tile it and each has its centroid inside', () => {
  const pieces = partitionArea(hexagon, 12, mulberry32(1));
  assert.equal(pieces.length, 12);
  assertTiles(hexagon, pieces, 'hexagon');
  for (const p of pieces) {
    const [x, y] = centroid(p);
    assert.ok(pointInMultiPolygon(x, y, hexagon));
  }
});

test('the same seed gives the same pieces, another seed different ones', () => {
  const a = partitionArea(hexagon, 5, mulberry32(3));
  assert.deepEqual(partitionArea(hexagon, 5, mulberry32(3)), a);
  assert.notDeepEqual(partitionArea(hexagon, 5, mulberry32(4)), a);
});

test('grid counts average about the target, at least two each, more for bigger areas', () => {
  const counts = gridCounts([0.1, 0.2, 1, 4, 9, 0.5, 0.3], 4);
  assert.ok(counts.every((c) => c >= 2));
  assert.ok(counts[4]! > counts[0]!);
  const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
  assert.ok(mean >= 3.5 && mean <= 5, `mean ${mean}`);
});

test('streets, committees and grids tile their parents in Huangpu and in island Chongming', () => {
  const tree = buildShanghaiAreas({ seed: 11, districtCodes: ['310101', '310151'] });
  const byCode = new Map(tree.features.map((f) => [f.code, f]));
  const children = new Map<string, MultiPolygon[]>();
  for (const f of tree.features) {
    if (f.parent && byCode.has(f.parent)) children.set(f.parent, [...(children.get(f.parent) ?? []), f.geometry]);
  }
  let centroidsOutside = 0;
  let total = 0;
  for (const [code, kids] of children) {
    const parent = byCode.get(code)!.geometry;
    assertTiles(parent, kids, code);
    for (const kid of kids) {
      total++;
      // Containment is exact: what is left of a child outside its parent has no area.
      if (code.length === 6) assert.ok(multiPolygonArea(polygonClipping.difference(kid, parent)) < 1e-12);
      const [x, y] = centroid(kid);
      if (!pointInMultiPolygon(x, y, parent)) centroidsOutside++;
    }
  }
  // A piece clipped by a bay of a concave parent can be crescent-shaped; that must stay rare.
  assert.ok(centroidsOutside / total < 0.01, `${centroidsOutside} of ${total} centroids outside their parent`);
  assert.ok(tree.features.every((f) => f.synthetic === (f.level !== 'district')));
});

test('grid cells get 15-digit codes under their committee and numbered names', () => {
  const tree = buildShanghaiAreas({ seed: 11, districtCodes: ['310101'] });
  const grids = tree.rows.filter((r) => r.level === 'grid');
  const committees = tree.rows.filter((r) => r.level === 'committee');
  assert.ok(grids.length >= committees.length * 2);
  for (const g of grids) {
    assert.match(g.code, /^\d{15}$/);
    assert.equal(g.code.slice(0, 12), g.parent);
  }
  const first = grids.find((g) => g.code.endsWith('003'))!;
  const committee = committees.find((c) => c.code === first.parent)!;
  assert.equal(first.name, `${committee.name}第三网格`);
  assert.equal(first.nameEn, `${committee.nameEn} Grid 3`);
});
