import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../../platform/errors.ts';
import type { TypeRegistry } from '../types.ts';
import { coerceCell, parseStatus, recordGeometry, recordToInput } from './row.ts';
import type { RawRecord } from './readers.ts';

const SCHEMA = {
  type: 'object',
  properties: {
    material: { type: 'string' },
    diameter_mm: { type: 'integer' },
    depth_m: { type: 'number' },
    anti_fall_net: { type: 'boolean' },
    routes: { type: 'array', items: { type: 'string' } },
    levels: { type: 'array', items: { type: 'integer' } },
    note: { type: ['string', 'null'] },
  },
};
const types = { get: (code: string) => (code === '0101' ? { view: { attributes: SCHEMA } } : null) } as unknown as TypeRegistry;

const record = (properties: Record<string, unknown>, geometry: unknown = { lon: '121.5', lat: '31.23' }, id?: string): Extract<RawRecord, { ok: true }> => ({ line: 2, ordinal: 0, ok: true, properties, geometry, ...(id ? { id } : {}) });

function throwsField(fn: () => unknown, field: string, reason: RegExp) {
  assert.throws(fn, (err: AppError) => {
    assert.equal(err.field, field);
    assert.match(err.message, reason);
    return true;
  });
}

test('statuses in English or Chinese', () => {
  assert.equal(parseStatus('完好'), 'intact');
  assert.equal(parseStatus('破损'), 'damaged');
  assert.equal(parseStatus('丢失'), 'missing');
  assert.equal(parseStatus('占用'), 'occupied');
  assert.equal(parseStatus('废弃'), 'removed');
  assert.equal(parseStatus(' Damaged '), 'damaged');
  assert.equal(parseStatus('broken'), null);
});

test('CSV cells become numbers, booleans and lists only where the schema says so', () => {
  assert.equal(coerceCell('700', SCHEMA.properties.diameter_mm), 700);
  assert.equal(coerceCell('7.5', SCHEMA.properties.diameter_mm), 7.5, 'left for the schema to call "must be integer"');
  assert.equal(coerceCell('1.25', SCHEMA.properties.depth_m), 1.25);
  assert.equal(coerceCell('0x10', SCHEMA.properties.depth_m), '0x10');
  assert.equal(coerceCell('是', SCHEMA.properties.anti_fall_net), true);
  assert.equal(coerceCell('FALSE', SCHEMA.properties.anti_fall_net), false);
  assert.equal(coerceCell('maybe', SCHEMA.properties.anti_fall_net), 'maybe');
  assert.deepEqual(coerceCell('81路|82路', SCHEMA.properties.routes), ['81路', '82路']);
  assert.deepEqual(coerceCell('[1, 2]', SCHEMA.properties.levels), [1, 2]);
  assert.deepEqual(coerceCell('1|2', SCHEMA.properties.levels), [1, 2]);
  assert.equal(coerceCell('007', SCHEMA.properties.material), '007', 'text stays text');
  assert.equal(coerceCell('12', SCHEMA.properties.note), '12', 'string allowed: no guessing');
  assert.equal(coerceCell('12', undefined), '12', 'not in the schema: left for additionalProperties to name');
});

test('a CSV row maps onto the component; everything else is an attribute', () => {
  const input = recordToInput(
    record({ code: ' 3101150101000001 ', type_code: '0101', status: '破损', name: '井盖', address: '世纪大道 1 号', ownerDept: 'sw.310115', maintainer_dept: 'lhsr.310115', material: '铸铁', diameter_mm: '700', anti_fall_net: 'yes', jurisdictionCode: '310115005' }),
    'csv',
    types,
  );
  assert.deepEqual(input, {
    code: '3101150101000001',
    type: '0101',
    geometry: { type: 'Point', coordinates: [121.5, 31.23] },
    status: 'damaged',
    name: '井盖',
    address: '世纪大道 1 号',
    ownerDept: 'sw.310115',
    maintainerDept: 'lhsr.310115',
    attributes: { material: '铸铁', diameter_mm: 700, anti_fall_net: true },
    photos: null,
  });
});

test('the type may come from the code; the code is required', () => {
  assert.equal(recordToInput(record({ code: '3101150101000001' }), 'csv', types).type, '0101');
  throwsField(() => recordToInput(record({ type: '0101' }), 'csv', types), 'code', /^code is required for imports: re-runs are matched by code$/);
  throwsField(() => recordToInput(record({ code: 'A-1' }), 'csv', types), 'type', /is required/);
  throwsField(() => recordToInput(record({ code: '3101150101000001', status: 'broken' }), 'csv', types), 'status', /"broken" is not a status; use intact \(完好\)/);
});

test('CSV geometry: lon/lat numbers or WKT, each problem named', () => {
  assert.deepEqual(recordGeometry({ wkt: 'POINT (121.5 31.2)' }, 'csv'), { type: 'Point', coordinates: [121.5, 31.2] });
  throwsField(() => recordGeometry({ lon: '121,5', lat: '31.2' }, 'csv'), 'lon', /must be a number .* found "121,5"/);
  throwsField(() => recordGeometry({ lon: '121.5', lat: '' }, 'csv'), 'lat', /must be a number/);
  throwsField(() => recordGeometry({ wkt: 'CIRCLE(1 2)' }, 'csv'), 'wkt', /CIRCLE/);
  const swapped = { lon: '31.2', lat: '121.5' };
  assert.deepEqual(recordGeometry(swapped, 'csv'), { type: 'Point', coordinates: [31.2, 121.5] }, 'left for validateGeometry to call swapped, as the API does');
  const geojson = { type: 'Point', coordinates: [121.5, 31.2] };
  assert.equal(recordGeometry(geojson, 'geojson'), geojson);
});

test('GeoJSON: values keep their types, the Feature id may be the code, nested attributes and photos are read, nulls dropped', () => {
  const input = recordToInput(
    record({ diameter_mm: '700', attributes: { material: '铸铁' }, photos: [{ url: '/files/a.jpg' }], note: null, __proto__x: 1 }, { type: 'Point', coordinates: [121.5, 31.2] }, '3101150101000002'),
    'ndjson',
    types,
  );
  assert.equal(input.code, '3101150101000002');
  assert.deepEqual(input.attributes, { diameter_mm: '700', __proto__x: 1, material: '铸铁' });
  assert.deepEqual(input.photos, [{ url: '/files/a.jpg' }]);
  const csvId = () => recordToInput(record({ type: '0101' }, undefined, '3101150101000002'), 'csv', types);
  throwsField(csvId, 'code', /required/);
  const proto = recordToInput(record(JSON.parse('{"code":"3101150101000001","__proto__":{"polluted":true}}')), 'csv', types);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(proto.attributes!), ['__proto__']);
});
