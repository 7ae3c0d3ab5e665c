import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadShanghaiDistricts } from '../../jurisdictions/divisions.ts';
import { pointInMultiPolygon, pointInPolygon, type MultiPolygon } from '../../jurisdictions/geo/polygon.ts';
import { DEMO_CENTRES, generateStreetNetwork, lineLengthMetres, localFrame, type Road } from './street-network.ts';
import { WATER_POLYGONS } from './water.ts';

const pudong = loadShanghaiDistricts().find((d) => d.code === '310115')!.geometry;
const roads = generateStreetNetwork(pudong, { seed: 7, name: '310115' });

/** A 6 km square with a 4 km × 4.5 km bite out of its north side: a U. */
const [cx, cy] = [121.58, 31.14];
const dx = 3000 / localFrame(cx, cy).kx;
const dy = 3000 / localFrame(cx, cy).ky;
const uShape: MultiPolygon = [[[
  [cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx, cy + dy], [cx + dx / 3, cy + dy], [cx + dx / 3, cy - dy / 2],
  [cx - dx / 3, cy - dy / 2], [cx - dx / 3, cy + dy], [cx - dx, cy + dy], [cx - dx, cy - dy],
]]];

const lineOf = (r: Road) => r.id.split('-').slice(0, 2).join('-'); // network-line
const runOf = (r: Road) => r.id.split('-').slice(0, 3).join('-'); // network-line-run

test('the same seed gives the same network, another seed another one', () => {
  assert.deepEqual(generateStreetNetwork(pudong, { seed: 7, name: '310115' }), roads);
  const other = generateStreetNetwork(pudong, { seed: 8, name: '310115' });
  assert.notDeepEqual(other.slice(0, 20), roads.slice(0, 20));
});

test('every road vertex is inside Pudong and out of the river, to 7 decimals', () => {
  assert.ok(roads.length > 300, `${roads.length} roads`);
  for (const r of roads) {
    assert.ok(r.line.length >= 2, r.id);
    assert.ok(lineLengthMetres(r.line) >= 40, `${r.id} is a stub`);
    for (const [lon, lat] of r.line) {
      assert.ok(pointInMultiPolygon(lon, lat, pudong), `${r.id}: ${lon},${lat} outside Pudong`);
      assert.ok(!WATER_POLYGONS.some((p) => pointInPolygon(lon, lat, p)), `${r.id}: ${lon},${lat} in the river`);
      assert.equal(Math.round(lon * 1e7) / 1e7, lon);
      assert.equal(Math.round(lat * 1e7) / 1e7, lat);
    }
  }
  assert.equal(new Set(roads.map((r) => r.id)).size, roads.length, 'ids are unique');
});

test('a city of three ranks: dense near the centres, only arterials far out', () => {
  const km = { arterial: 0, secondary: 0, local: 0 };
  for (const r of roads) km[r.kind] += lineLengthMetres(r.line) / 1000;
  const total = km.arterial + km.secondary + km.local;
  assert.ok(total > 2500 && total < 5000, `${total} km of road`);
  assert.ok(km.local > 800 && km.secondary > 400 && km.arterial > 1000, JSON.stringify(km));
  const frame = localFrame(121.5, 31.235);
  const distKm = (c: { at: [number, number] }, p: [number, number]) => Math.hypot((p[0] - c.at[0]) * frame.kx, (p[1] - c.at[1]) * frame.ky) / 1000;
  for (const r of roads.filter((x) => x.kind !== 'arterial')) {
    const mid = r.line[Math.floor(r.line.length / 2)]!;
    const near = DEMO_CENTRES['310115']!.some((c) => distKm(c, mid) <= 1.25 * c.radiusKm + 1.5);
    assert.ok(near, `${r.kind} ${r.id} (${r.nameZh}) at ${mid} is far from every centre`);
  }
  // within 3 km of Lujiazui the blocks are small: local streets outnumber arterials
  const lujiazui = DEMO_CENTRES['310115']![0]!;
  const count = (kind: Road['kind']) => roads.filter((r) => r.kind === kind && r.line.some((p) => distKm(lujiazui, p) < 3)).length;
  assert.ok(count('local') > 2 * count('arterial'), `${count('local')} local vs ${count('arterial')} arterial near Lujiazui`);
});

test('roads have Shanghai-style names in Chinese and English, one per street', () => {
  for (const r of roads) {
    assert.match(r.nameZh, /^[\u4e00-\u9fff]{2,3}(路|大道|公路|街|支路)$/, r.nameZh);
    assert.match(r.nameEn, /^([A-Z][a-z]+'?[a-z]* (Rd|Ave|Hwy|St|Branch Rd)( \([ESWNM]\))?|Century Ave)$/, `${r.nameZh} ${r.nameEn}`);
  }
  const lines = new Map<string, Set<string>>();
  for (const r of roads) lines.set(r.nameZh, (lines.get(r.nameZh) ?? new Set()).add(r.kind === 'arterial' ? lineOf(r) : runOf(r)));
  for (const [name, owners] of lines) assert.equal(owners.size, 1, `${name} names ${[...owners].join(', ')}`);
  const en = new Map(roads.map((r) => [r.nameZh, r.nameEn]));
  assert.equal(new Set(en.values()).size, en.size, 'English names are as unique as the Chinese ones');
});

test('lines are clipped to a concave area and split where they leave it', () => {
  const net = generateStreetNetwork(uShape, { seed: 3, name: 'u', centres: [{ at: [cx, cy], radiusKm: 5 }], exclude: [] });
  assert.ok(net.length > 20);
  for (const r of net) for (const [lon, lat] of r.line) assert.ok(pointInMultiPolygon(lon, lat, uShape), `${r.id}: ${lon},${lat}`);
  const parts = new Map<string, number>();
  for (const r of net) parts.set(runOf(r), (parts.get(runOf(r)) ?? 0) + 1);
  const split = [...parts.values()].filter((n) => n >= 2).length;
  assert.ok(split >= 3, `${split} lines cross the notch and come out in two parts`);
  // the notch is empty
  for (const r of net) for (const [lon, lat] of r.line) assert.ok(!(Math.abs(lon - cx) < dx / 3 - 1e-6 && lat > cy - dy / 2 + 1e-6));
});

test('spacing and centres shape the grid', () => {
  const length = (net: Road[]) => net.reduce((s, r) => s + lineLengthMetres(r.line), 0);
  const dense = generateStreetNetwork(uShape, { seed: 3, centres: [{ at: [cx, cy], radiusKm: 5 }], exclude: [] });
  const wide = generateStreetNetwork(uShape, { seed: 3, spacingMetres: 1800, centres: [{ at: [cx, cy], radiusKm: 5 }], exclude: [] });
  assert.ok(length(wide) < 0.7 * length(dense), `${length(wide)} m at 1.8 km spacing vs ${length(dense)} m`);
  const rural = generateStreetNetwork(uShape, { seed: 3, centres: [{ at: [122.5, 30.5], radiusKm: 1 }], exclude: [] });
  assert.ok(rural.length > 0 && rural.every((r) => r.kind === 'arterial'), 'far from any centre only arterials run');
  assert.ok(length(rural) < 0.3 * length(dense));
});
