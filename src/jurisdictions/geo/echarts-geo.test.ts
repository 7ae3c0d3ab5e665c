import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeEchartsMap, decodeRing, type EchartsMapFile } from './echarts-geo.ts';
import { pointInMultiPolygon } from './polygon.ts';

function encodeRing(ring: [number, number][]): { text: string; offset: [number, number] } {
  const q = ring.map(([x, y]) => [Math.round(x * 1024), Math.round(y * 1024)] as const);
  let text = '';
  let [px, py] = q[0]!;
  const zigzag = (v: number) => String.fromCharCode(((v << 1) ^ (v >> 31)) + 64);
  for (const [x, y] of q) {
    text += zigzag(x - px) + zigzag(y - py);
    [px, py] = [x, y];
  }
  return { text, offset: [q[0]![0], q[0]![1]] };
}

test('decodes a zigzag delta ring back to 1/1024-degree positions', () => {
  const ring: [number, number][] = [[121.5, 31.25], [121.5 + 5 / 1024, 31.25], [121.5, 31.25 - 3 / 1024], [121.5, 31.25]];
  const { text, offset } = encodeRing(ring);
  assert.deepEqual(decodeRing(text, offset), ring);
});

test('every decoded Shanghai district contains the label centre the file gives for it', () => {
  const require = createRequire(import.meta.url);
  const file = JSON.parse(readFileSync(require.resolve('echarts/map/json/province/shanghai.json'), 'utf8')) as EchartsMapFile;
  const features = decodeEchartsMap(file);
  assert.equal(features.length, 16);
  let checked = 0;
  for (const f of features) {
    if (!f.centre) continue;
    assert.ok(pointInMultiPolygon(f.centre[0], f.centre[1], f.geometry), `${f.name} centre outside outline`);
    checked++;
  }
  assert.ok(checked >= 15);
});
