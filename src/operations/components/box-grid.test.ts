import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxGrid } from './box-grid.ts';

test('the edges between cells are the numbers the cells are bounded by', () => {
  const g = boxGrid([121.4, 31.1, 121.6, 31.3], 2000);
  assert.equal(g.lonEdges.length, g.n - 1);
  for (let col = 1; col < g.n; col++) {
    assert.equal(g.lonEdges[col - 1], g.cell(col).minLon);
    assert.equal(g.lonEdges[col - 1], g.cell(col - 1).maxLon);
    assert.equal(g.latEdges[col - 1], g.cell(col * g.n).minLat);
  }
  assert.deepEqual(boxGrid([121.5, 31.2, 121.501, 31.201], 1000).lonEdges, [], 'one cell: no edges');
});

