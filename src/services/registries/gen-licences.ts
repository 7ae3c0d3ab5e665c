// The e-licence library (电子证照库): the licences and certificates residents and entities hold on the
// reference date, with validity periods following the real rules (identity cards by age, driving
// licences 6 → 10 years → long-term, food business licences five years) and a few expired,
// suspended or revoked ones, as any real library has.

import type { Address, Entity, Licence, LicenceStatus, Person } from './registry.types.ts';
import { LICENCE_TYPES, type LicenceTypeCode } from './licence-types.ts';
import type { EntityFacts } from './gen-entities.ts';
import type { FixedPerson, Relatives } from './gen-population.ts';
import { addDays, addYears, ageOn, chance, dateBetween, digits, int, maxDate, minDate, pick, weighted, type Random } from './gen-random.ts';

/** Everything the licences are issued from. */
export interface LicenceSources {
  today: string;
  persons: readonly Person[];
  relatives: ReadonlyMap<Person, Relatives>;
  marriedOn: ReadonlyMap<Person, string>;
  fixedPersons: ReadonlyMap<Person, FixedPerson>;
  entities: readonly Entity[];
  entityFacts: ReadonlyMap<Entity, EntityFacts>;
  address: (id: string) => Address;
  /** Shanghai district names by code, for issuing offices. */
  districtNames: ReadonlyMap<string, string>;
}

const pickDrivingClass = weighted<string>([['C1', 75], ['C2', 14], ['B2', 4], ['B1', 1.5], ['A2', 1.5], ['A1', 1], ['D', 3]]);
const BANKS = ['中国工商银行', '中国建设银行', '中国银行', '交通银行', '中国农业银行', '上海银行', '上海农商银行'];
const HOSPITALS = ['上海市第一妇婴保健院', '中国福利会国际和平妇幼保健院', '复旦大学附属妇产科医院', '上海交通大学医学院附属仁济医院', '上海市第六人民医院', '上海市长宁区妇幼保健院'];

/** Issues every licence, numbering them L + 12 digits in issue order. */
export function issueLicences(rnd: Random, src: LicenceSources): Licence[] {
  const out: Licence[] = [];
  const { today } = src;
  const add = (type: LicenceTypeCode, holderId: string, number: string, issuedOn: string, validFrom: string, validUntil: string | null, status: LicenceStatus, data: Licence['data']): void => {
    const t = LICENCE_TYPES[type];
    out.push({ id: `L${String(out.length + 1).padStart(12, '0')}`, type, holderKind: t.holderKind, holderId, number, issuerCode: t.issuerCode, issuedOn, validFrom, validUntil, status, data });
  };
  const addressOf = src.address;
  const offices = new Map<string, string>();

  for (const p of src.persons) {
    const fixed = src.fixedPersons.get(p) ?? null;
    const age = ageOn(p.birthDate, today);
    const hukou = addressOf(p.hukouAddressId);
    const shanghaiHukou = hukou.districtCode.startsWith('31');

    // 居民身份证: under 16 optional; validity by age at issue (Resident Identity Card Law, art. 5).
    if (age >= 16 || chance(rnd, 0.4)) {
      let first = age >= 16 ? dateBetween(rnd, addYears(p.birthDate, 16), minDate(addYears(p.birthDate, 17), today)) : dateBetween(rnd, p.birthDate, today);
      // Today's cards are second-generation ones, which replaced every older card from 2004 to 2013.
      if (first < '2004-01-01') first = dateBetween(rnd, '2004-01-01', '2013-12-31');
      const chain = renewals(rnd, first, today, (from) => idCardYears(ageOn(p.birthDate, from)), 90);
      const lapsed = !fixed && chain.length > 1 && chance(rnd, 0.02);
      const card = lapsed ? chain[chain.length - 2]! : chain[chain.length - 1]!;
      add('id_card', p.idNumber, p.idNumber, card.from, card.from, card.until, lapsed ? 'expired' : 'valid', {
        name: p.name, sex: p.sex === 'M' ? '男' : '女', ethnicity: p.ethnicity.replace(/族$/, ''), birthDate: p.birthDate,
        address: hukou.full, authority: policeOffice(hukou, src.districtNames, offices),
      });
    }

    // 居住证 for residents whose hukou is elsewhere, endorsed (签注) every year since first issued.
    if (!shanghaiHukou && age >= 16) {
      const first = dateBetween(rnd, maxDate(addYears(p.birthDate, 16), addYears(today, -8)), today);
      const years = ageOn(first, today);
      const lapsed = years > 0 && chance(rnd, 0.05);
      const from = addYears(first, lapsed ? years - 1 : years);
      const residence = addressOf(p.residenceAddressId);
      add('residence_permit', p.idNumber, p.idNumber, first, from, addDays(addYears(from, 1), -1), lapsed ? 'expired' : 'valid', {
        name: p.name, address: residence.full, hukouPlace: hukou.full, authority: policeOffice(residence, src.districtNames, offices),
      });
    }

    // 机动车驾驶证: 6 years, renewed for 10, then long-term; the new period starts where the old ended.
    let cls = fixed ? (fixed.drivingLicenceClass === undefined ? 'C1' : fixed.drivingLicenceClass) : age >= 18 && chance(rnd, drivingShare(age)) ? pickDrivingClass(rnd) : null;
    // Bus and lorry classes (A, B) are for drivers of 21 and over.
    if (cls && age < 21 && /^[AB]/.test(cls)) cls = 'C1';
    if (cls && age >= 18) {
      const firstIssuedOn = dateBetween(rnd, addYears(p.birthDate, /^[AB]/.test(cls) ? 21 : 18), minDate(addYears(p.birthDate, 40), today));
      const periods: Array<[string, string | null]> = [[firstIssuedOn, addYears(firstIssuedOn, 6)], [addYears(firstIssuedOn, 6), addYears(firstIssuedOn, 16)], [addYears(firstIssuedOn, 16), null]];
      // The period running today: the last one that has begun.
      let k = 0;
      while (k + 1 < periods.length && periods[k + 1]![0] <= today) k++;
      let status: LicenceStatus = 'valid';
      const r = fixed ? 1 : rnd();
      if (k > 0 && r < 0.01 && periods[k - 1]![1]! < today) (k -= 1), (status = 'expired'); // never renewed
      else if (r < 0.015) status = 'suspended'; // 暂扣
      else if (r < 0.018) status = 'revoked'; // 吊销
      const [from, until] = periods[k]!;
      add('driving_licence', p.idNumber, p.idNumber, addDays(from, k > 0 ? -int(rnd, 0, 90) : 0), from, until, status, {
        class: cls, firstIssuedOn, archiveNo: `31${digits(rnd, 10)}`,
      });
    }

    // 社会保障卡: everyone with a Shanghai hukou, most others who work here; ten years per card.
    if (shanghaiHukou ? chance(rnd, 0.95) : p.employerUscc !== null || (age >= 18 && age < 60 && chance(rnd, 0.6))) {
      const issued = dateBetween(rnd, maxDate(p.birthDate, addYears(today, -10)), today);
      add('social_security_card', p.idNumber, p.idNumber, issued, issued, addYears(issued, 10), 'valid', { name: p.name, bank: pick(rnd, BANKS) });
    }
  }

  // 结婚证: one book for each spouse, with the same number, issued where the husband's hukou is.
  for (const [a, { spouse: b }] of src.relatives) {
    if (!b || a.sex !== 'M') continue;
    const on = src.marriedOn.get(a) ?? today;
    const husband = a.sex === 'M' ? a : b;
    const place = addressOf(husband.hukouAddressId).districtCode;
    const number = `J${place}-${on.slice(0, 4)}-${digits(rnd, 6)}`;
    for (const [holder, spouse] of [[a, b], [b, a]] as const) {
      add('marriage_certificate', holder.idNumber, number, on, on, null, 'valid', { spouseName: spouse.name, spouseIdNumber: spouse.idNumber, registeredOn: on });
    }
  }

  // 出生医学证明 (issued since 1996) for children whose parents are in the registry.
  for (const [child, { father, mother }] of src.relatives) {
    if ((!father && !mother) || child.birthDate < '1996-01-01') continue;
    const childId = child.idNumber;
    const issued = addDays(child.birthDate, int(rnd, 1, 7));
    // A letter, then nine digits beginning with the province code. The letter stands for the form's
    // print edition; which letter went with which years is our invention.
    const edition = String.fromCharCode(65 + Math.min(25, Math.floor((Number(child.birthDate.slice(0, 4)) - 1996) / 2)));
    add('birth_medical_certificate', childId, `${edition}31${digits(rnd, 7)}`, minDate(issued, today), minDate(issued, today), null, 'valid', {
      childName: child.name, sex: child.sex === 'M' ? '男' : '女', birthDate: child.birthDate, birthPlace: pick(rnd, HOSPITALS),
      motherName: mother?.name ?? '', motherIdNumber: mother?.idNumber ?? '', fatherName: father?.name ?? '', fatherIdNumber: father?.idNumber ?? '',
    });
  }

  for (const e of src.entities) {
    const facts = src.entityFacts.get(e)!;
    const address = addressOf(e.addressId);
    const closed = e.status !== 'active';
    // 营业执照: reissued after a change of particulars for some; the business term is long-term.
    const reissued = chance(rnd, 0.3) ? dateBetween(rnd, e.establishedOn, today) : e.establishedOn;
    add('business_licence', e.uscc, e.uscc, reissued, e.establishedOn, null, closed ? 'revoked' : 'valid', {
      name: e.name, type: e.type, legalRepresentative: e.legalRepresentative, ...(e.registeredCapital !== null ? { capital: e.registeredCapital } : {}),
      scope: e.businessScope, establishedOn: e.establishedOn, address: address.full, term: '长期',
    });

    // 食品经营许可证 since October 2015: five years to the day before the anniversary, renewed in a row.
    const food = facts.industry.food;
    if (food) {
      const first = maxDate(addDays(e.establishedOn, int(rnd, 10, 60)), dateBetween(rnd, '2015-10-01', '2016-12-31'));
      if (first <= today) {
        const chain = renewals(rnd, first, today, () => 5, 0, true);
        const lapsed = !closed && !facts.fixed && chain.length > 1 && chance(rnd, 0.04);
        const period = lapsed ? chain[chain.length - 2]! : chain[chain.length - 1]!;
        const body = `${food === 'catering' ? 2 : 1}${address.districtCode}${digits(rnd, 6)}`;
        add('food_business_licence', e.uscc, `JY${body}${luhn(body)}`, period.issued, period.from, period.until, closed ? 'revoked' : lapsed ? 'expired' : 'valid', {
          operator: e.name, legalRepresentative: e.legalRepresentative, premises: address.full,
          category: food === 'catering' ? '餐饮服务经营者' : '食品销售经营者',
          items: food === 'catering' ? (facts.industry.code === 'H6232' ? '自制饮品制售；冷食类食品制售' : '热食类食品制售；冷食类食品制售') : '预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售',
        });
      }
    }

    // 公共场所卫生许可证 for salons, a few weeks after opening (not yet, for the newest): four years per licence.
    const hygieneFrom = addDays(e.establishedOn, int(rnd, 10, 60));
    if (facts.industry.hygiene && hygieneFrom <= today) {
      const chain = renewals(rnd, hygieneFrom, today, () => 4, 0, true);
      const period = chain[chain.length - 1]!;
      add('public_place_hygiene_licence', e.uscc, `沪卫公字（${period.issued.slice(0, 4)}）第${address.districtCode}${digits(rnd, 6)}号`, period.issued, period.from, period.until, closed ? 'revoked' : 'valid', {
        operator: e.name, premises: address.full, category: '美容美发场所',
      });
    }
  }
  return out;
}

/** A run of validity periods from `first` until one covers `today`; null `years` means long-term. */
function renewals(rnd: Random, first: string, today: string, years: (from: string) => number | null, earlyDays: number, dayBefore = false): Array<{ issued: string; from: string; until: string | null }> {
  const chain: Array<{ issued: string; from: string; until: string | null }> = [];
  let issued = first;
  let from = first;
  for (;;) {
    const y = years(from);
    const end = y === null ? null : addYears(from, y);
    const until = end && dayBefore ? addDays(end, -1) : end;
    chain.push({ issued, from, until });
    if (end === null || until === null || until >= today) return chain;
    // The next card or licence: applied for shortly before the old one ran out.
    issued = addDays(end, -int(rnd, 0, earlyDays));
    from = earlyDays > 0 ? issued : end;
    if (issued > today) return chain;
  }
}

/** Identity card validity by age at issue: 5 years under 16, 10 to 25, 20 to 45, long-term from 46. */
function idCardYears(age: number): number | null {
  return age < 16 ? 5 : age <= 25 ? 10 : age <= 45 ? 20 : null;
}

/** Share of people of an age who hold a driving licence. */
function drivingShare(age: number): number {
  return age <= 25 ? 0.3 : age <= 60 ? 0.6 : age <= 75 ? 0.35 : 0.1;
}

/** The police office printed as issuer: 上海市公安局浦东分局, 南京市公安局玄武分局 (one per county, kept in `offices`). */
function policeOffice(a: Address, districtNames: ReadonlyMap<string, string>, offices: Map<string, string>): string {
  const known = offices.get(a.districtCode);
  if (known) return known;
  const district = districtNames.get(a.districtCode);
  const m = /^(?:[^省市]+省)?([^市]+市)([^区县市]+)(?:新区|区|县|市)/.exec(a.full);
  const office = district ? `上海市公安局${district.replace(/(新区|区)$/, '')}分局` : m ? `${m[1]}公安局${m[2]}分局` : '公安局';
  offices.set(a.districtCode, office);
  return office;
}

// The food licence's last digit is a check digit whose algorithm is not published; Luhn stands in.
function luhn(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
