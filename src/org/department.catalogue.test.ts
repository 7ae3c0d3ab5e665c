import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDepartments, SECTORS, shortDistrict, shortStreet } from './department.catalogue.ts';
import { loadShanghaiDivisions } from '../jurisdictions/divisions.ts';
import { jurisdictionLookup, type JurisdictionInfo } from './jurisdiction-lookup.ts';
import { loadDistricts } from './org.seed.ts';

// A stand-in for the jurisdictions service (no database needed): the same division rows it is built from.
const rows: JurisdictionInfo[] = loadShanghaiDivisions().map((r) => ({ code: r.code, name: r.name, nameEn: r.nameEn, level: r.level, kind: r.kind, parentCode: r.parent, special: r.special }));
const tree = { get: (code: string) => rows.find((r) => r.code === code) ?? null, children: (code: string) => rows.filter((r) => r.parentCode === code) };
const districts = await loadDistricts(jurisdictionLookup({ services: { jurisdictions: tree } as never }));
const all = buildDepartments(districts);
const byCode = new Map(all.map((d) => [d.code, d]));

test('the catalogue covers the 16 districts and their ordinary streets and towns', () => {
  assert.equal(districts.length, 16);
  const pudong = districts.find((d) => d.code === '310115')!;
  assert.ok(pudong.streets.some((s) => s.code === '310115005' && s.name === '陆家嘴街道'));
  assert.ok(!pudong.streets.some((s) => s.name === '张江高科技园区'), 'special zones have no street offices');
});

test('department codes are unique and hierarchical, and every parent comes before its children', () => {
  assert.equal(byCode.size, all.length);
  const seen = new Set<string>();
  for (const d of all) {
    if (d.parentCode) {
      assert.ok(seen.has(d.parentCode), `${d.code} after its parent`);
      assert.ok(d.code.startsWith(d.parentCode.split('.')[0] + '.'), d.code);
      assert.ok(d.jurisdictionCode.startsWith(byCode.get(d.parentCode)!.jurisdictionCode.replace(/0000$/, '')), `${d.code} inside its parent's jurisdiction`);
    }
    assert.match(d.code, /^[a-z]+(\.\d{6}(\d{3})?)?$/);
    seen.add(d.code);
  }
});

test('the municipal bureaus include the ones a city is governed with', () => {
  const municipal = all.filter((d) => d.kind === 'municipal').map((d) => d.name);
  assert.equal(municipal.length, SECTORS.length);
  for (const n of ['上海市市场监督管理局', '上海市消防救援总队', '上海市住房和城乡建设管理委员会', '上海市城市管理行政执法局', '上海市公安局', '上海市水务局', '上海市绿化和市容管理局', '上海市交通委员会', '上海市卫生健康委员会', '上海市民政局', '上海市人力资源和社会保障局', '国家税务总局上海市税务局', '上海市大数据中心', '上海市生态环境局', '上海市规划和自然资源局', '上海市教育委员会', '上海市应急管理局', '上海市城市运行管理中心']) {
    assert.ok(municipal.includes(n), n);
  }
});

test('district branches and street offices carry their real-style names', () => {
  assert.equal(byCode.get('scjg.310115')?.name, '浦东新区市场监督管理局');
  assert.equal(byCode.get('ga.310115')?.name, '上海市公安局浦东分局');
  assert.equal(byCode.get('ga.310101013')?.name, '外滩派出所');
  assert.equal(byCode.get('scjg.310115005')?.name, '陆家嘴市场监督管理所');
  assert.equal(byCode.get('cgzf.310115005')?.name, '陆家嘴街道城管执法中队');
  assert.equal(byCode.get('cyzx.310115005')?.name, '陆家嘴街道城市运行管理中心');
  assert.equal(byCode.get('tax.310104')?.name, '国家税务总局上海市徐汇区税务局');
  assert.equal(byCode.get('jyw.310115')?.name, '浦东新区教育局');
  assert.equal(byCode.get('jtw.310115'), undefined, 'transport has no district commissions');
  assert.ok(all.every((d) => d.nameEn.length > 0 && !/undefined/.test(d.nameEn + d.name)));
});

test('short names drop the administrative suffix', () => {
  assert.equal(shortDistrict('浦东新区'), '浦东');
  assert.equal(shortDistrict('黄浦区'), '黄浦');
  assert.equal(shortStreet('陆家嘴街道'), '陆家嘴');
  assert.equal(shortStreet('川沙新镇'), '川沙');
  assert.equal(shortStreet('周浦镇'), '周浦');
});
