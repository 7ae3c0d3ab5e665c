import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadShanghaiDistricts } from '../../../jurisdictions/divisions.ts';
import { pointInMultiPolygon, pointInPolygon, ringArea, type MultiPolygon } from '../../../jurisdictions/geo/polygon.ts';
import { estimateCount, generateDemoComponents, scaleForCount, type DemoComponent, type DemoInput, type DemoType } from './generate.ts';
import { generateStreetNetwork, localFrame } from '../../../platform/geo/street-network.ts';
import { simpleLine, WATER_POLYGONS } from '../../../platform/geo/water.ts';

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties, required, additionalProperties: false });
const STATUS = { type: 'string', enum: ['完好', '破损', '丢失', '占用', '其他'] };
const YEAR = { type: 'integer', minimum: 1840, maximum: 2100 };
const ORG = { type: 'string', maxLength: 100 };
const types: DemoType[] = [
  { code: '0118', nameZh: '路灯', geometry: 'point', kind: 'component', demoDensity: 30, attributes: obj({ lamp_type: { type: 'string', enum: ['LED', '高压钠灯', '其他'] }, power_w: { type: 'integer', minimum: 10, maximum: 1000 }, pole_height_m: { type: 'number', minimum: 0, maximum: 30 }, smart_control: { type: 'boolean' }, circuit_id: { type: 'string', maxLength: 12 }, status: STATUS }, ['lamp_type', 'circuit_id']) },
  { code: '0101', nameZh: '上水井盖', geometry: 'point', kind: 'component', demoDensity: 12, attributes: obj({ material: { type: 'string', enum: ['铸铁', '复合材料'] }, diameter_mm: { type: 'integer', minimum: 300, maximum: 1500 }, last_inspected: { type: 'string', format: 'date' }, owner_unit: ORG, status: STATUS }, ['material']) },
  { code: '0402', nameZh: '行道树', geometry: 'point', kind: 'component', demoDensity: 40, attributes: obj({ species: { type: 'string', minLength: 1, maxLength: 30 }, dbh_cm: { type: 'number', minimum: 1, maximum: 200, exclusiveMaximum: 150 }, notes: { type: 'array', items: { type: 'string', enum: ['古树后备', '病虫害', '倾斜'] }, uniqueItems: true, maxItems: 2 } }, ['species']) },
  { code: '0305', nameZh: '垃圾箱', geometry: 'point', kind: 'component', demoDensity: 6, attributes: obj({ capacity_l: { type: 'integer', minimum: 10, maximum: 1100, multipleOf: 5 }, collection_times: { type: 'array', items: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }, minItems: 1, maxItems: 3 }, name: { type: 'string', minLength: 4, maxLength: 12 } }, ['collection_times']) },
  { code: '0190', nameZh: '给水管线', geometry: 'line', kind: 'line', demoDensity: 6, attributes: obj({ diameter_mm: { type: 'integer', minimum: 20, maximum: 6000 }, length_m: { type: 'number', minimum: 0, maximum: 100000 }, laid_year: YEAR, pipe_status: { type: 'string', enum: ['在用', '停用', '废弃', '在建'] }, owner: ORG }, ['pipe_status']) },
  { code: '0191', nameZh: '排水管线', geometry: 'line', kind: 'line', demoDensity: 10, attributes: obj({ depth_m: { type: 'number', minimum: 0, maximum: 60 } }) },
  { code: '0590', nameZh: '住宅小区', geometry: 'polygon', kind: 'area', demoDensity: 1.5, attributes: obj({ name: { type: 'string', minLength: 1, maxLength: 60 }, address: { type: 'string', maxLength: 100 }, households: { type: 'integer', minimum: 1, maximum: 50000 }, area_m2: { type: 'number', minimum: 0, maximum: 1e7 }, built_year: YEAR, property_company: ORG }, ['name']) },
  { code: '0591', nameZh: '优秀历史建筑', geometry: 'polygon', kind: 'area', demoDensity: 1, attributes: obj({ name: { type: 'string', minLength: 1, maxLength: 60 }, built_year: { type: 'integer', minimum: 1800, maximum: 2000 }, style: { type: 'string', maxLength: 40 } }, ['name']) },
  { code: '0405', nameZh: '绿地', geometry: 'polygon', kind: 'area', demoDensity: 1, attributes: obj({ name: { type: 'string', maxLength: 40 }, area_m2: { type: 'number', minimum: 0, maximum: 1e7 } }) },
  { code: '0602', nameZh: '工地', geometry: 'polygon', kind: 'area', demoDensity: 0.5, attributes: obj({ project_name: { type: 'string', minLength: 1, maxLength: 100 }, start_date: { type: 'string', format: 'date' }, planned_end_date: { type: 'string', format: 'date' }, builder: ORG }, ['project_name']) },
];

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv;
}

/** 4 km × 3.9 km of Pudong just east of Lujiazui: dense city, no river. */
const square: MultiPolygon = [[[[121.52, 31.2], [121.56, 31.2], [121.56, 31.235], [121.52, 31.235], [121.52, 31.2]]]];
const squareRoads = generateStreetNetwork(square, { seed: 5, name: '310115' });
const input: DemoInput = { districtCode: '310115', area: square, roads: squareRoads, types, seed: 11, scale: 0.5 };
const items = [...generateDemoComponents(input)];

const vertices = (c: DemoComponent): [number, number][] =>
  c.geometry.type === 'Point' ? [c.geometry.coordinates] : c.geometry.type === 'LineString' ? c.geometry.coordinates : c.geometry.coordinates.flat();

test('the same seed gives the same components', () => {
  assert.ok(items.length > 3000, `${items.length} items`);
  assert.deepEqual([...generateDemoComponents(input)], items);
  const other = generateDemoComponents({ ...input, seed: 12 }).next().value;
  assert.notDeepEqual(other, items[0]);
});

test('every geometry is inside the area, on land, simple and rounded to 7 decimals', () => {
  const kinds = new Set<string>();
  for (const c of items) {
    kinds.add(c.geometry.type);
    for (const [lon, lat] of vertices(c)) {
      assert.ok(pointInMultiPolygon(lon, lat, square), `${c.typeCode} ${lon},${lat}`);
      assert.ok(!WATER_POLYGONS.some((p) => pointInPolygon(lon, lat, p)));
      assert.equal(Math.round(lon * 1e7) / 1e7, lon);
      assert.equal(Math.round(lat * 1e7) / 1e7, lat);
    }
    if (c.geometry.type === 'LineString') assert.ok(c.geometry.coordinates.length >= 2 && simpleLine(c.geometry.coordinates, false), `${c.typeCode} line crosses itself`);
    if (c.geometry.type === 'Polygon') {
      const ring = c.geometry.coordinates[0]!;
      assert.ok(ring.length >= 5, 'a quad or more');
      assert.deepEqual(ring[0], ring[ring.length - 1], 'closed');
      assert.ok(simpleLine(ring, true), `${c.typeCode} polygon crosses itself`);
      assert.ok(ringArea(ring) > 0, 'counter-clockwise (RFC 7946)');
    }
    assert.ok(c.address && c.address.length > 3);
  }
  assert.deepEqual([...kinds].sort(), ['LineString', 'Point', 'Polygon']);
});

test('points stand 5–15 m beside a road; pipes run 100–300 m; footprints are tens to ~200 m', () => {
  const f = localFrame(121.54, 31.22);
  const segs = squareRoads.flatMap((r) => r.line.slice(1).map((p, i) => [r.line[i]!, p] as const));
  const xy = ([lon, lat]: [number, number]) => [(lon - f.lon0) * f.kx, (lat - f.lat0) * f.ky] as const;
  const distance = (p: [number, number]) => {
    const [px, py] = xy(p);
    let best = Infinity;
    for (const [a, b] of segs) {
      const [ax, ay] = xy(a);
      const [bx, by] = xy(b);
      const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
      best = Math.min(best, Math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay)));
    }
    return best;
  };
  const points = items.filter((c) => c.geometry.type === 'Point');
  for (let k = 0; k < points.length; k += 37) assert.ok(distance(vertices(points[k]!)[0]!) <= 15.01, 'within 15 m of a road');
  const size = (c: DemoComponent) => {
    const xs = vertices(c).map((p) => xy(p));
    let len = 0;
    for (let i = 1; i < xs.length; i++) len += Math.hypot(xs[i]![0] - xs[i - 1]![0], xs[i]![1] - xs[i - 1]![1]);
    return len;
  };
  for (const c of items.filter((x) => x.geometry.type === 'LineString')) assert.ok(size(c) >= 19 && size(c) <= 301, `${c.typeCode} ${size(c)} m`);
  for (const c of items.filter((x) => x.geometry.type === 'Polygon')) assert.ok(size(c) >= 20 && size(c) <= 4 * 230, `${c.typeCode} perimeter ${size(c)} m`);
  // historic buildings only near Lujiazui (within 0.35 × its 9 km radius)
  const main = localFrame(121.5, 31.235);
  for (const c of items.filter((x) => x.typeCode === '0591')) {
    const [lon, lat] = vertices(c)[0]!;
    assert.ok(Math.hypot((lon - 121.5) * main.kx, (lat - 31.235) * main.ky) < 3150 + 300, `historic building at ${lon},${lat}`);
  }
  assert.ok(items.some((c) => c.typeCode === '0591'));
});

test('attributes validate against the types’ JSON Schemas', () => {
  const ajv = newAjv();
  const validators = new Map(types.map((t) => [t.code, ajv.compile(t.attributes)]));
  for (const c of items) {
    const validate = validators.get(c.typeCode)!;
    assert.ok(validate(c.attributes), `${c.typeCode} ${JSON.stringify(c.attributes)}: ${ajv.errorsText(validate.errors)}`);
  }
  const lights = items.filter((c) => c.typeCode === '0118');
  assert.ok(lights.every((c) => (c.status === 'intact') === (c.attributes.status === '完好') || c.attributes.status === undefined), 'the status attribute follows the status');
  const compound = items.find((c) => c.typeCode === '0590')!;
  assert.ok(typeof compound.attributes.name === 'string' && (compound.attributes.name as string).length >= 2);
});

test('statuses are mostly intact, a few damaged, missing, occupied or removed', () => {
  const sample: DemoComponent[] = [];
  for (const c of generateDemoComponents({ ...input, scale: 1.5 })) if (sample.push(c) === 20000) break;
  assert.equal(sample.length, 20000);
  const share = (s: string) => sample.filter((c) => c.status === s).length / sample.length;
  const expected = { intact: 0.93, damaged: 0.04, missing: 0.01, occupied: 0.015, removed: 0.005 };
  for (const [s, p] of Object.entries(expected)) assert.ok(Math.abs(share(s) - p) < 0.005 + p * 0.1, `${s}: ${share(s)} vs ${p}`);
});

test('estimateCount predicts the count, and scaleForCount the scale', () => {
  const est = estimateCount(input);
  assert.ok(Math.abs(items.length / est - 1) < 0.05, `${items.length} generated, ${est} estimated`);
  const scale = scaleForCount(input, 2000);
  const n = [...generateDemoComponents({ ...input, scale })].length;
  assert.ok(Math.abs(n / 2000 - 1) < 0.1, `${n} at scale ${scale}`);
  assert.equal(estimateCount({ ...input, scale: 0 }), 0);
  assert.equal([...generateDemoComponents({ ...input, scale: 0 })].length, 0);
});

test('Pudong at scale 0.01: the estimated count, all inside, and the committed catalogue validates', () => {
  const pudong = loadShanghaiDistricts().find((d) => d.code === '310115')!.geometry;
  const roads = generateStreetNetwork(pudong, { seed: 1, name: '310115' });
  const catalogue = JSON.parse(fs.readFileSync(new URL('../../../../data/components/types.json', import.meta.url), 'utf8')) as { types: DemoType[] };
  const all = catalogue.types.map((t) => ({ ...t, demoDensity: t.demoDensity ?? 0 }));
  const run = { districtCode: '310115', area: pudong, roads, types: all, seed: 1, scale: 0.01 };
  const ajv = newAjv();
  const validators = new Map(all.map((t) => [t.code, ajv.compile(t.attributes)]));
  let n = 0;
  for (const c of generateDemoComponents(run)) {
    n++;
    for (const [lon, lat] of vertices(c)) assert.ok(pointInMultiPolygon(lon, lat, pudong), `${c.typeCode} ${lon},${lat}`);
    const validate = validators.get(c.typeCode)!;
    assert.ok(validate(c.attributes), `${c.typeCode} ${JSON.stringify(c.attributes)}: ${ajv.errorsText(validate.errors)}`);
  }
  const est = estimateCount(run);
  assert.ok(Math.abs(n / est - 1) < 0.3, `${n} generated, ${est} estimated`);
  // scale 1 is the full demo city: on the order of a million components in Pudong
  const full = estimateCount({ ...run, scale: 1 });
  assert.ok(full > 700_000 && full < 1_400_000, `${full} at scale 1`);
});
