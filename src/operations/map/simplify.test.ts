import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simplifyLine, simplifyRing, type Pt } from './simplify.ts';

test('a line keeps its ends and the points that stray more than the tolerance', () => {
  const line: Pt[] = [[0, 0], [10, 0.4], [20, -0.3], [30, 0], [30, 10], [30.2, 20], [30, 30]];
  assert.deepEqual(simplifyLine(line, 1), [[0, 0], [30, 0], [30, 30]]);
  assert.deepEqual(simplifyLine(line, 0.35), [[0, 0], [10, 0.4], [20, -0.3], [30, 0], [30, 30]], 'the bumps of 0.4 and 0.3 stay; the 0.2 one goes');
  assert.equal(simplifyLine(line, 0.05).length, line.length, 'a small tolerance keeps everything');
  assert.deepEqual(simplifyLine([[0, 0], [5, 5]], 10), [[0, 0], [5, 5]]);
});

test('a wiggly ring of a thousand points shrinks to its corners; a ring smaller than the tolerance collapses', () => {
  const ring: Pt[] = [];
  for (let i = 0; i < 250; i++) ring.push([i * 4, Math.sin(i) * 0.5]);
  for (let i = 0; i < 250; i++) ring.push([1000 + Math.sin(i) * 0.5, i * 4]);
  for (let i = 0; i < 250; i++) ring.push([1000 - i * 4, 1000 + Math.sin(i) * 0.5]);
  for (let i = 0; i < 250; i++) ring.push([Math.sin(i) * 0.5, 1000 - i * 4]);
  const out = simplifyRing([...ring, ring[0]!], 1);
  assert.ok(out.length >= 4 && out.length <= 8, `corners only: ${out.length}`);
  assert.notDeepEqual(out[out.length - 1], out[0], 'returned open');
  assert.ok(simplifyRing([[0, 0], [0.5, 0], [0.5, 0.5], [0, 0.5], [0, 0]], 1).length < 3, 'a sub-pixel square has no area left');
});
