import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toFeatureRows } from './features.ts';
import type { BasemapFeatureInput } from './map.schema.ts';

const road = (over: Partial<BasemapFeatureInput> = {}): BasemapFeatureInput => ({ layer: 'road', kind: 'secondary', nameZh: '世纪大道', nameEn: 'Century Avenue', geometry: { type: 'LineString', coordinates: [[121.5, 31.23], [121.52, 31.22]] }, ...over });

test('rows carry their box, a min zoom by kind, and closed rings', () => {
  const [r, w] = toFeatureRows([road(), { layer: 'water', kind: 'river', geometry: { type: 'Polygon', coordinates: [[[121.4, 31.2], [121.41, 31.2], [121.41, 31.21]]] } }]);
  assert.deepEqual([r!.min_lon, r!.min_lat, r!.max_lon, r!.max_lat], [121.5, 31.22, 121.52, 31.23]);
  assert.equal(r!.min_zoom, 12);
  assert.equal(w!.min_zoom, 0);
  assert.deepEqual(JSON.parse(w!.geometry).coordinates[0], [[121.4, 31.2], [121.41, 31.2], [121.41, 31.21], [121.4, 31.2]], 'the ring is closed');
  assert.equal(toFeatureRows([road({ kind: 'arterial' })])[0]!.min_zoom, 9);
  assert.equal(toFeatureRows([road({ kind: 'local', minZoom: 16 })])[0]!.min_zoom, 16);
});

test('bad features are refused naming the field', () => {
  const field = (f: BasemapFeatureInput) => {
    try {
      toFeatureRows([road(), f]);
    } catch (e) {
      return (e as { field?: string }).field;
    }
    return null;
  };
  assert.equal(field(road({ layer: 'rail' as never })), 'features[1].layer');
  assert.equal(field(road({ kind: 'motorway' })), 'features[1].kind');
  assert.equal(field(road({ geometry: { type: 'Polygon', coordinates: [] } })), 'features[1].geometry.type');
  assert.equal(field(road({ geometry: { type: 'LineString', coordinates: [[121.5, 31.2]] } })), 'features[1].geometry.coordinates');
  assert.equal(field(road({ geometry: { type: 'LineString', coordinates: [[121.5, 31.2], [231.5, 31.2]] } })), 'features[1].geometry.coordinates[1]');
  assert.equal(field(road({ minZoom: 30 })), 'features[1].minZoom');
  assert.equal(field(road({ nameZh: 'x'.repeat(101) })), 'features[1].nameZh');
});
