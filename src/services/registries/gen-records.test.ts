import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateRegistries, type StreetInput } from './generate.ts';
import { annualIncomeTax, baseLimits, monthsBetween } from './gen-records.ts';
import { ageOn } from './gen-random.ts';

const STREETS: StreetInput[] = [
  { code: '310115005', name: '陆家嘴街道', districtCode: '310115', districtName: '浦东新区', roads: [{ nameZh: '银城中路', nameEn: 'Yincheng Rd (M)', line: [[121.5, 31.23], [121.51, 31.231], [121.52, 31.23]] }, { nameZh: '东方路', nameEn: 'Dongfang Rd', line: [[121.508, 31.222], [121.508, 31.238]] }] },
  { code: '310101013', name: '外滩街道', districtCode: '310101', districtName: '黄浦区', roads: [{ nameZh: '四川中路', nameEn: 'Sichuan Rd (M)', line: [[121.48, 31.24], [121.49, 31.241], [121.5, 31.24]] }, { nameZh: '福州路', nameEn: 'Fuzhou Rd', line: [[121.488, 31.232], [121.488, 31.248]] }] },
];
const INPUT = { seed: 7, persons: 2000, entities: 400, streets: STREETS, fixed: { persons: [{ name: '张伟', sex: 'M' as const, birthDate: '1988-05-17' }], entities: [{ name: '上海申味餐饮管理有限公司' }] } };
const regs = generateRegistries(INPUT);
const r = regs.records!;
const today = '2026-11-01';

test('business records are generated reproducibly', () => {
  assert.equal(JSON.stringify(generateRegistries(INPUT).records), JSON.stringify(r));
});

test('contributions go through employers that exist, within the base limits of their time, never overlapping', () => {
  const persons = new Map(regs.persons.map((p) => [p.idNumber, p]));
  const entities = new Map(regs.entities.map((e) => [e.uscc, e]));
  assert.ok(r.insurance.length > 300);
  const byPerson = new Map<string, typeof r.insurance>();
  for (const s of r.insurance) {
    const p = persons.get(s.personId)!;
    assert.ok(ageOn(p.birthDate, `${s.fromMonth}-28`) >= 18, 'contributions start at working age');
    if (s.employerUscc) assert.ok(entities.get(s.employerUscc)!.establishedOn.slice(0, 7) <= s.fromMonth, 'the employer existed');
    const { lo, hi } = baseLimits(s.toMonth ?? today.slice(0, 7));
    assert.ok(s.base >= lo && s.base <= hi, `${s.base} within ${lo}–${hi}`);
    byPerson.set(s.personId, [...(byPerson.get(s.personId) ?? []), s]);
  }
  for (const list of byPerson.values()) {
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.toMonth! < list[i]!.fromMonth);
  }
  assert.deepEqual(baseLimits('2025-03'), { lo: 7384, hi: 36921 });
});

test('income tax follows the annual table; criminal records are rare and never the demo\'s people', () => {
  assert.equal(annualIncomeTax(30_000), 900);
  assert.equal(annualIncomeTax(100_000), 7480);
  assert.equal(annualIncomeTax(-5), 0);
  for (const t of r.incomeTax) assert.ok(t.tax >= 0 && t.tax < t.income && t.months >= 1 && t.months <= 12);
  assert.ok(r.criminal.length < regs.persons.length * 0.01);
  assert.equal(monthsBetween('2024-11', '2025-02'), 4);
});

test('the demo citizen has contributions, tax, a provident fund account and a home; his company has paid taxes', () => {
  const zw = regs.persons.find((p) => p.name === '张伟' && p.birthDate === '1988-05-17')!;
  const mine = r.insurance.filter((s) => s.personId === zw.idNumber);
  assert.equal(mine.length, 2, 'a former and a current employer');
  assert.equal(mine[1]!.employerUscc, zw.employerUscc);
  assert.ok(r.incomeTax.some((t) => t.personId === zw.idNumber));
  assert.ok(r.fund.some((f) => f.personId === zw.idNumber && f.toMonth === null));
  const home = r.properties.filter((h) => h.ownerId === zw.idNumber);
  assert.equal(home[0]!.addressId, zw.residenceAddressId);
  assert.match(home[0]!.certificateNo, /^沪\(\d{4}\)浦字不动产权第\d{6}号$/);
  assert.ok(!r.criminal.some((c) => c.personId === zw.idNumber));
  const company = regs.entities.find((e) => e.name === '上海申味餐饮管理有限公司')!;
  assert.ok(r.entityTax.some((t) => t.uscc === company.uscc && t.owed === 0));
});
