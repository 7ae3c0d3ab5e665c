import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { encodeTile } from '../../platform/geo/tiles/mvt.ts';
import { lonLatToTile, mercatorX, mercatorY } from '../../platform/geo/tiles/tile-math.ts';
import { aggregateDigits, aggregatesLayer, detailLayers, type ComponentRowLike, type CountsSnapshot } from './component-tiles.ts';
import { checkTile, parseClasses, parseTile } from './tile-params.ts';

const at: [number, number] = [121.5, 31.24];
const row = (i: number, over: Partial<ComponentRowLike> = {}): ComponentRowLike => ({
  code: String(3101150101000000 + i),
  type_code: '0101',
  geometry_kind: 'point',
  geometry: JSON.stringify({ type: 'Point', coordinates: [at[0] + i * 1e-6, at[1]] }),
  lon: at[0] + i * 1e-6,
  lat: at[1],
  status: 'intact',
  name: null,
  ...over,
});

test('a detail tile with more components than the limit is cut and says so in its meta layer', () => {
  const t = lonLatToTile(at[0], at[1], 16);
  const rows = Array.from({ length: 6 }, (_, i) => row(i));
  const layers = detailLayers(rows, () => 'component', 16, t.x, t.y, 5);
  const tile = new VectorTile(new PbfReader(encodeTile(layers)));
  assert.equal(tile.layers.components!.length, 5);
  assert.equal(tile.layers.meta!.feature(0).properties.truncated, true);
  assert.equal(tile.layers.meta!.feature(0).properties.limit, 5);
  const whole = new VectorTile(new PbfReader(encodeTile(detailLayers(rows.slice(0, 5), () => 'component', 16, t.x, t.y, 5))));
  assert.equal(whole.layers.meta, undefined, 'no meta layer when nothing was cut');
});

test('an area object gives a point in components and its polygon in areas, with the same properties', () => {
  const [lon, lat] = at;
  const polygon = { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]] };
  const t = lonLatToTile(lon + 0.0005, lat + 0.0005, 16);
  const layers = detailLayers([row(1, { type_code: '0590', geometry_kind: 'polygon', geometry: JSON.stringify(polygon), lon: lon + 0.0005, lat: lat + 0.0005, status: 'damaged', name: '小区' })], () => 'area', 16, t.x, t.y);
  const tile = new VectorTile(new PbfReader(encodeTile(layers)));
  const point = tile.layers.components!.feature(0);
  const area = tile.layers.areas!.feature(0);
  assert.equal(point.type, 1);
  assert.equal(area.type, 3);
  assert.deepEqual({ ...area.properties }, { ...point.properties });
  assert.deepEqual({ ...point.properties }, { code: '3101150101000001', type: '0590', class: '05', kind: 'area', status: 'damaged', name: '小区' });
});

test('aggregates: level by zoom, and only places whose centre is in the tile', () => {
  assert.deepEqual([9, 10, 11, 12, 13, 14].map(aggregateDigits), [9, 9, 12, 12, 15, 15]);
  const place = (code: string, lon: number, lat: number) => ({ code, name: code, nameEn: code, mx: mercatorX(lon), my: mercatorY(lat), counts: { intact: 2, damaged: 1, missing: 0, occupied: 0, removed: 0 }, total: 3 });
  const snapshot: CountsSnapshot = { key: 'k', scope: '31', places: [place('310115005', 121.5, 31.24), place('310101013', 121.49, 31.24), place('310120001', 121.5, 30.9)] };
  const t = lonLatToTile(121.5, 31.24, 12);
  const tile = new VectorTile(new PbfReader(encodeTile([aggregatesLayer(snapshot, 12, t.x, t.y)])));
  const found = Array.from({ length: tile.layers.aggregates!.length }, (_, i) => tile.layers.aggregates!.feature(i).properties.code);
  assert.ok(found.includes('310115005') && !found.includes('310120001'), `${found}`);
  assert.equal(tile.layers.aggregates!.feature(0).properties.total, 3);
  assert.equal(tile.layers.aggregates!.feature(0).properties.damaged, 1);
});

test('tile addresses and classes are parsed strictly, naming the part at fault', () => {
  assert.deepEqual(parseTile({ z: '3', x: '7', y: '0' }), { z: 3, x: 7, y: 0 });
  const field = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { field?: string }).field;
    }
    return null;
  };
  assert.equal(field(() => parseTile({ z: '23', x: '0', y: '0' })), 'z');
  assert.equal(field(() => parseTile({ z: '3', x: '8', y: '0' })), 'x');
  assert.equal(field(() => parseTile({ z: '3', x: '0', y: '8' })), 'y');
  assert.equal(field(() => parseTile({ z: '3', x: '0x1', y: '0' })), 'x');
  assert.equal(field(() => checkTile(2, 1.5, 0)), 'x');
  assert.deepEqual(parseClasses(' 01, 02 ,'), ['01', '02']);
  assert.equal(parseClasses(''), undefined);
});
