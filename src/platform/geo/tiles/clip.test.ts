import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipToTile } from './clip.ts';
import { ringArea2, type TileGeometry } from './mvt.ts';
import { tileBBox } from './tile-math.ts';

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
