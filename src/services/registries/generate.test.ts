import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TODAY, generateRegistries, LICENCE_TYPES, type GenerateInput, type StreetInput } from './generate.ts';
import { isValidIdNumber, isValidUscc } from './ids.ts';
import { INDUSTRIES } from './industries.ts';
import { syllables } from './names.ts';
import { addYears, ageOn } from './gen-random.ts';
import type { Person, Registries } from './registry.types.ts';

// Three small streets, each crossed by an east-west and a north-south road about 1.5-2 km long.
function street(code: string, name: string, districtCode: string, districtName: string, lon: number, lat: number, roads: [string, string, string, string]): StreetInput {
  return {
    code, name, districtCode, districtName,
    roads: [
      { nameZh: roads[0], nameEn: roads[1], line: [[lon, lat], [lon + 0.01, lat + 0.001], [lon + 0.02, lat]] },
      { nameZh: roads[2], nameEn: roads[3], line: [[lon + 0.008, lat - 0.008], [lon + 0.008, lat + 0.008]] },
    ],
  };
}

const STREETS: StreetInput[] = [
  street('310115005', '陆家嘴街道', '310115', '浦东新区', 121.5, 31.23, ['银城中路', 'Yincheng Rd (M)', '东方路', 'Dongfang Rd']),
  street('310101013', '外滩街道', '310101', '黄浦区', 121.48, 31.24, ['四川中路', 'Sichuan Rd (M)', '福州路', 'Fuzhou Rd']),
  street('310106012', '静安寺街道', '310106', '静安区', 121.44, 31.22, ['愚园路', 'Yuyuan Rd', '华山路', 'Huashan Rd']),
];

// The demo passes just names and the facts it knows; the generator fills in the rest.
const DEMO: GenerateInput['fixed'] = {
  persons: [{ name: '张伟', sex: 'M', birthDate: '1988-05-17' }],
  entities: [{ name: '上海申味餐饮管理有限公司' }],
};

const INPUT: GenerateInput = { seed: 20261101, persons: 3000, entities: 600, streets: STREETS, fixed: DEMO };
const regs: Registries = generateRegistries(INPUT);
const persons = new Map(regs.persons.map((p) => [p.idNumber, p]));
const entities = new Map(regs.entities.map((e) => [e.uscc, e]));
const addresses = new Map(regs.addresses.map((a) => [a.id, a]));
const today = DEFAULT_TODAY;

test('the same input gives byte-identical registries, and another seed different ones', () => {
  assert.equal(JSON.stringify(generateRegistries(INPUT)), JSON.stringify(regs));
  const other = generateRegistries({ ...INPUT, seed: 1 });
  assert.notEqual(other.persons[10]!.idNumber, regs.persons[10]!.idNumber);
});

test('the registries have the sizes asked for', () => {
  assert.equal(regs.persons.length, 3000);
  assert.equal(regs.entities.length, 600);
});

test('every identity number and credit code is valid and unique, and encodes the person\'s sex and birth date', () => {
  assert.equal(persons.size, regs.persons.length);
  assert.equal(entities.size, regs.entities.length);
  for (const p of regs.persons) {
    assert.ok(isValidIdNumber(p.idNumber), p.idNumber);
    assert.equal(p.idNumber.slice(6, 14), p.birthDate.replaceAll('-', ''));
    assert.equal(Number(p.idNumber[16]) % 2 === 1 ? 'M' : 'F', p.sex);
    assert.match(p.phone, /^1[358]\d{9}$/);
  }
  for (const e of regs.entities) {
    assert.ok(isValidUscc(e.uscc), e.uscc);
    assert.equal(e.uscc.slice(0, 2), e.type === '个体工商户' ? '92' : '91');
  }
});

test('family links run both ways: spouses are married and live together, children are born after both parents turned twenty', () => {
  const links = new Set(regs.families.map((l) => `${l.personId}>${l.relatedId}:${l.relation}`));
  const spouses = new Map<string, string[]>();
  for (const l of regs.families) {
    const p = persons.get(l.personId)!;
    const q = persons.get(l.relatedId)!;
    assert.ok(p && q, 'both ends exist');
    if (l.relation === 'spouse') {
      assert.ok(links.has(`${q.idNumber}>${p.idNumber}:spouse`));
      assert.equal(p.maritalStatus, 'married');
      assert.notEqual(p.sex, q.sex);
      assert.equal(p.residenceAddressId, q.residenceAddressId);
      spouses.set(p.idNumber, [...(spouses.get(p.idNumber) ?? []), q.idNumber]);
    } else if (l.relation === 'child') {
      assert.ok(links.has(`${q.idNumber}>${p.idNumber}:${p.sex === 'M' ? 'father' : 'mother'}`));
      assert.ok(q.birthDate > addYears(p.birthDate, 20), `${q.birthDate} child of ${p.birthDate}`);
    } else {
      assert.equal(q.sex, l.relation === 'father' ? 'M' : 'F');
      assert.ok(links.has(`${q.idNumber}>${p.idNumber}:child`));
    }
  }
  for (const p of regs.persons) {
    assert.equal(spouses.get(p.idNumber)?.length ?? 0, p.maritalStatus === 'married' ? 1 : 0, `${p.name} ${p.maritalStatus}`);
  }
  assert.ok(regs.persons.some((p) => p.maritalStatus === 'widowed' && ageOn(p.birthDate, today) >= 65));
  assert.ok(regs.persons.some((p) => p.maritalStatus === 'unmarried' && ageOn(p.birthDate, today) >= 20));
});

test('every Shanghai address lies on a road of its input street, and is written the Shanghai way', () => {
  const byCode = new Map(STREETS.map((s) => [s.code, s]));
  const referenced = new Set([...regs.persons.flatMap((p) => [p.hukouAddressId, p.residenceAddressId]), ...regs.entities.map((e) => e.addressId)]);
  for (const a of regs.addresses) {
    assert.match(a.id, /^A\d{10}$/);
    assert.ok(referenced.has(a.id), `address ${a.id} is someone's`);
    if (!a.districtCode.startsWith('31')) {
      // Hukou addresses elsewhere in China belong to residence-permit holders only.
      assert.ok(regs.persons.some((p) => p.hukouAddressId === a.id && p.hukouAddressId !== p.residenceAddressId));
      continue;
    }
    const s = byCode.get(a.streetCode);
    assert.ok(s, `${a.full} in an input street`);
    assert.equal(a.districtCode, s.districtCode);
    assert.ok(a.jurisdictionCode.startsWith(a.streetCode));
    const road = s.roads.find((r) => r.nameZh === a.road)!;
    assert.ok(road, `${a.road} is a road of ${s.name}`);
    assert.equal(a.roadEn, road.nameEn);
    assert.ok(a.full.startsWith(`上海市${s.districtName}${s.name}${a.road}${a.number}`), a.full);
    assert.match(a.full, a.compound ? /\d+弄\d+号(楼\d+单元)?\d+室$/ : /\d+号(\d+室)?$/);
    // Within ~150 m of the road's line (a compound's buildings spread around its gate).
    const near = road.line.some(([x, y], i) => {
      const [x2, y2] = road.line[Math.min(i + 1, road.line.length - 1)]!;
      return distanceToSegmentM(a.lon, a.lat, x, y, x2, y2) < 150;
    });
    assert.ok(near, `${a.full} near ${a.road}`);
  }
  const fulls = regs.addresses.map((a) => a.full);
  assert.equal(new Set(fulls).size, fulls.length, 'no two addresses read the same');
});

test('a person\'s jurisdiction is their home\'s, and a located point keeps its own street', () => {
  for (const p of regs.persons) assert.equal(p.jurisdictionCode, addresses.get(p.residenceAddressId)!.jurisdictionCode);
  for (const e of regs.entities) assert.equal(e.jurisdictionCode, addresses.get(e.addressId)!.jurisdictionCode);
  // A locator that puts the north of each street in a committee, and the far east in a neighbour.
  const located = generateRegistries({
    ...INPUT, persons: 300, entities: 60,
    locate: (lon, lat) => {
      const s = STREETS.find((x) => Math.abs(x.roads[0]!.line[0]![1] - lat) < 0.02)!;
      if (lon > s.roads[0]!.line[0]![0] + 0.018) return '310999001';
      return lat > s.roads[0]!.line[0]![1] ? `${s.code}001` : s.code;
    },
  });
  const codes = new Set(located.addresses.filter((a) => a.districtCode.startsWith('31')).map((a) => a.jurisdictionCode.slice(9)));
  assert.deepEqual([...codes].sort(), ['', '001']);
  for (const a of located.addresses) if (a.districtCode.startsWith('31')) assert.ok(a.jurisdictionCode.startsWith(a.streetCode));
});

test('names are Chinese and the English names are their pinyin, family name first in capitals', () => {
  for (const p of regs.persons) {
    assert.match(p.name, /^[\u4e00-\u9fff]{2,4}$/);
    assert.match(p.nameEn, /^[A-Z]+ [A-Z][a-z']*$/);
    assert.equal(p.nameEn.replace(/[ ']/g, '').toLowerCase(), syllables(p.name).join(''));
  }
  for (const e of regs.entities) {
    assert.match(e.name, /^[\u4e00-\u9fff]+$/);
    assert.match(e.nameEn, /^[A-Z][A-Za-zé' (),.-]+$/);
    if (e.type !== '个体工商户') assert.match(e.name, /^上海.+有限公司$/);
    else assert.ok(STREETS.some((s) => e.name.startsWith(s.districtName)), `${e.name} starts with its district`);
  }
});

test('entities are represented by adult residents, with scope and industry that agree', () => {
  for (const e of regs.entities) {
    const rep = persons.get(e.legalRepresentativeId);
    assert.ok(rep, `${e.name}'s representative exists`);
    assert.equal(rep.name, e.legalRepresentative);
    assert.ok(ageOn(rep.birthDate, e.establishedOn) >= 18, `${e.name}: representative of age when founded`);
    assert.ok(e.establishedOn <= today);
    const industry = INDUSTRIES.find((i) => i.code === e.industry && i.scope === e.businessScope);
    assert.ok(industry, `${e.name}: ${e.industry} with its scope`);
    assert.equal(e.registeredCapital === null, e.type === '个体工商户');
  }
  const statuses = new Set(regs.entities.map((e) => e.status));
  assert.deepEqual([...statuses].sort(), ['active', 'deregistered', 'revoked']);
  assert.ok(regs.entities.filter((e) => e.status === 'active').length > regs.entities.length * 0.8);
  for (const p of regs.persons) {
    if (p.employerUscc) assert.equal(entities.get(p.employerUscc)?.status, 'active', `${p.name} works for an active entity`);
  }
});

test('licences belong to existing holders, with the type\'s issuer and validity that fits their status', () => {
  const ids = new Set<string>();
  for (const l of regs.licences) {
    assert.match(l.id, /^L\d{12}$/);
    assert.ok(!ids.has(l.id));
    ids.add(l.id);
    const t = LICENCE_TYPES[l.type];
    assert.ok(t, l.type);
    assert.equal(l.holderKind, t.holderKind);
    assert.equal(l.issuerCode, t.issuerCode);
    assert.ok(l.holderKind === 'person' ? persons.has(l.holderId) : entities.has(l.holderId), `${l.type} of ${l.holderId}`);
    assert.ok(l.validFrom <= today && l.issuedOn <= today);
    if (l.status === 'expired') assert.ok(l.validUntil !== null && l.validUntil < today, `${l.type} expired ${l.validUntil}`);
    if (l.status === 'valid') assert.ok(l.validUntil === null || l.validUntil >= today, `${l.type} valid until ${l.validUntil}`);
    for (const v of Object.values(l.data)) assert.ok(typeof v === 'string' || typeof v === 'number');
  }
  const of = (type: string) => regs.licences.filter((l) => l.type === type);
  for (const l of of('id_card')) {
    // 5 years under 16, 10 to 25, 20 to 45, long-term from 46, by age when issued.
    const age = ageOn(persons.get(l.holderId)!.birthDate, l.validFrom);
    const years = age < 16 ? 5 : age <= 25 ? 10 : age <= 45 ? 20 : null;
    assert.equal(l.validUntil, years === null ? null : addYears(l.validFrom, years), `id card issued at ${age}`);
  }
  for (const l of of('residence_permit')) assert.ok(!addresses.get(persons.get(l.holderId)!.hukouAddressId)!.districtCode.startsWith('31'));
  for (const l of of('marriage_certificate')) {
    const spouse = persons.get(String(l.data.spouseIdNumber))!;
    assert.equal(persons.get(l.holderId)!.maritalStatus, 'married');
    assert.ok(regs.families.some((f) => f.personId === l.holderId && f.relatedId === spouse.idNumber && f.relation === 'spouse'));
  }
  for (const l of of('business_licence')) assert.equal(l.number, l.holderId);
  for (const l of of('food_business_licence')) {
    assert.match(l.number, /^JY[12]31\d{11}$/);
    assert.ok(INDUSTRIES.some((i) => i.code === entities.get(l.holderId)!.industry && i.food));
  }
  assert.equal(of('business_licence').length, regs.entities.length);
  assert.ok(of('driving_licence').some((l) => l.status === 'suspended' || l.status === 'revoked'));
  assert.ok(of('id_card').some((l) => l.status === 'expired'));
});

test('the demo citizen 张伟 and his company are there with the facts the demo relies on', () => {
  const zhang = regs.persons.filter((p) => p.name === '张伟');
  assert.equal(zhang.length, 1, 'one 张伟, so the demo account finds him');
  const p: Person = zhang[0]!;
  assert.equal(p.sex, 'M');
  assert.equal(p.birthDate, '1988-05-17');
  assert.equal(p.nameEn, 'ZHANG Wei');
  assert.ok(p.idNumber.startsWith('31011519880517'));
  assert.equal(addresses.get(p.residenceAddressId)!.streetCode, '310115005');
  assert.equal(addresses.get(p.hukouAddressId)!.streetCode, '310115005');
  assert.equal(p.maritalStatus, 'married');
  const links = regs.families.filter((l) => l.personId === p.idNumber);
  assert.equal(links.filter((l) => l.relation === 'spouse').length, 1);
  assert.equal(links.filter((l) => l.relation === 'child').length, 1);
  const licences = regs.licences.filter((l) => l.holderId === p.idNumber);
  const driving = licences.find((l) => l.type === 'driving_licence');
  assert.equal(driving?.data.class, 'C1');
  assert.equal(driving?.status, 'valid');
  assert.ok(licences.some((l) => l.type === 'id_card' && l.status === 'valid'));
  assert.ok(licences.some((l) => l.type === 'marriage_certificate'));

  const company = regs.entities.find((e) => e.name === '上海申味餐饮管理有限公司')!;
  assert.ok(company);
  assert.equal(company.nameEn, 'Shanghai Shenwei Catering Management Co., Ltd.');
  assert.equal(company.industry, 'H6210');
  assert.equal(company.status, 'active');
  assert.equal(addresses.get(company.addressId)!.districtCode, '310115');
  assert.equal(company.legalRepresentativeId, p.idNumber);
  assert.equal(p.employerUscc, company.uscc);
  const held = regs.licences.filter((l) => l.holderId === company.uscc);
  assert.equal(held.find((l) => l.type === 'business_licence')?.status, 'valid');
  assert.equal(held.find((l) => l.type === 'food_business_licence')?.status, 'valid');
  assert.deepEqual(regs.entities.filter((e) => e.legalRepresentativeId === p.idNumber).map((e) => e.name), ['上海申味餐饮管理有限公司']);
});

test('fixed records honour what they are given, and go elsewhere when their street is not in the input', () => {
  const r = generateRegistries({
    seed: 5, persons: 200, entities: 40, streets: STREETS.slice(1), today: '2030-01-01',
    fixed: {
      persons: [{ name: '欧阳欣怡', sex: 'F', birthDate: '1995-03-08', maritalStatus: 'unmarried', drivingLicenceClass: null, education: '博士研究生', phone: '13900001111' }],
      entities: [{ name: '上海星辰信息科技有限公司', legalRepresentative: '欧阳欣怡', registeredCapital: 1000, status: 'revoked' }],
    },
  });
  const p = r.persons.find((x) => x.name === '欧阳欣怡')!;
  assert.equal(p.nameEn, "OUYANG Xinyi");
  assert.equal(p.maritalStatus, 'unmarried');
  assert.equal(p.education, '博士研究生');
  assert.equal(p.phone, '13900001111');
  assert.ok(!r.families.some((l) => l.personId === p.idNumber));
  assert.ok(!r.licences.some((l) => l.holderId === p.idNumber && l.type === 'driving_licence'));
  assert.ok(STREETS.slice(1).some((s) => s.code === r.addresses.find((a) => a.id === p.residenceAddressId)!.streetCode));
  const e = r.entities.find((x) => x.name === '上海星辰信息科技有限公司')!;
  assert.equal(e.industry, 'I6513');
  assert.equal(e.registeredCapital, 1000);
  assert.equal(e.status, 'revoked');
  assert.equal(e.legalRepresentativeId, p.idNumber);
  assert.equal(r.licences.find((l) => l.holderId === e.uscc && l.type === 'business_licence')?.status, 'revoked');
});

/** Metres from a point to a segment, in a local flat frame. */
function distanceToSegmentM(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const kx = 111_320 * Math.cos((py * Math.PI) / 180);
  const ky = 110_574;
  const [x, y, x1, y1, x2, y2] = [px * kx, py * ky, ax * kx, ay * ky, bx * kx, by * ky];
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = dx || dy ? Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}
