import { test } from 'node:test';
import assert from 'node:assert/strict';
import polygonClipping from 'polygon-clipping';
import { loadShanghaiDistricts, loadShanghaiDivisions, SHANGHAI_CODE } from './divisions.ts';
import { multiPolygonArea, squareDegreesToKm2 } from './geo/polygon.ts';

const rows = loadShanghaiDivisions();
const level = (l: string) => rows.filter((r) => r.level === l);

test('the tree has one city, 16 districts, 234 street-level units and about 6,500 committees', () => {
  assert.deepEqual(level('city').map((r) => [r.code, r.name]), [[SHANGHAI_CODE, '上海市']]);
  assert.equal(level('district').length, 16);
  assert.equal(level('street').length, 234);
  const committees = level('committee').length;
  assert.ok(committees > 6400 && committees < 6600, `${committees} committees`);
  assert.equal(new Set(rows.map((r) => r.code)).size, rows.length, 'codes are unique');
});

test('215 ordinary streets and towns; the 19 zones coded 4xx/5xx are flagged special', () => {
  const streets = level('street');
  const ordinary = streets.filter((s) => !s.special);
  assert.equal(ordinary.length, 215);
  assert.ok(ordinary.every((s) => Number(s.code.slice(6)) < 400 && s.kind !== 'special'));
  const special = streets.filter((s) => s.special);
  assert.equal(special.length, 19);
  assert.ok(special.every((s) => Number(s.code.slice(6)) >= 400 && s.kind === 'special'));
  const zhangjiang = streets.find((s) => s.code === '310115503')!;
  assert.equal(zhangjiang.name, '张江高科技园区');
  assert.equal(zhangjiang.special, true);
  assert.equal(streets.find((s) => s.name === '外滩街道')?.kind, 'subdistrict');
  assert.equal(streets.find((s) => s.name === '张江镇')?.kind, 'town');
  assert.equal(streets.find((s) => s.name === '横沙乡')?.kind, 'township');
});

test('every code extends its parent code to the width of its level', () => {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const width = { city: 6, district: 6, street: 9, committee: 12, grid: 15 } as const;
  for (const r of rows) {
    assert.equal(r.code.length, width[r.level], r.code);
    if (r.level === 'city') continue;
    const parent = byCode.get(r.parent ?? '');
    assert.ok(parent, `${r.code} has no parent row`);
    if (r.level !== 'district') assert.ok(r.code.startsWith(parent.code), `${r.code} under ${parent.code}`);
    else assert.ok(r.code.startsWith('31'));
  }
});

test('committees are residential or village committees with English names', () => {
  const committees = level('committee');
  assert.ok(committees.every((c) => c.kind === 'residential' || c.kind === 'village'));
  const villages = committees.filter((c) => c.kind === 'village');
  assert.ok(villages.every((v) => v.name.endsWith('村委会') && v.nameEn.endsWith(' Village')));
  assert.ok(villages.length > 1000);
  assert.ok(rows.every((r) => r.nameEn.length > 0 && !/[\u4e00-\u9fff]/.test(r.nameEn)), 'English names are romanised');
  assert.equal(rows.find((r) => r.code === '310115')?.nameEn, 'Pudong New Area');
});

test('the district outlines are the 16 districts, do not overlap and cover about 7,400 km²', () => {
  const districts = loadShanghaiDistricts();
  assert.deepEqual(districts.map((d) => d.code), level('district').map((d) => d.code));
  let total = 0;
  for (let i = 0; i < districts.length; i++) {
    total += multiPolygonArea(districts[i]!.geometry);
    for (let j = i + 1; j < districts.length; j++) {
      const overlap = multiPolygonArea(polygonClipping.intersection(districts[i]!.geometry, districts[j]!.geometry));
      assert.ok(squareDegreesToKm2(overlap, 31.2) < 1e-4, `${districts[i]!.code}/${districts[j]!.code} overlap`);
    }
  }
  const km2 = squareDegreesToKm2(total, 31.2);
  assert.ok(km2 > 7000 && km2 < 7800, `${km2} km²`);
});
