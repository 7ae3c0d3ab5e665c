// The departments' business records behind the instant certificates: social insurance (人社), income
// tax and entities' taxes (税务), housing provident fund (公积金), home ownership (不动产登记), entities'
// administrative penalties, and the bare fact of a criminal record for a very few. Drawn from the
// population and entities already generated, so a resident's contributions go through their
// employer, their tax follows from their pay, and a home is where a household lives.

import type { Address, BusinessRecords, Entity, EntityTaxYear, FundPeriod, IncomeTaxYear, InsurancePeriod, Month, Penalty, Person, Property } from './registry.types.ts';
import type { EntityFacts } from './gen-entities.ts';
import type { Relatives } from './gen-population.ts';
import { addYears, ageOn, chance, dateBetween, digits, int, maxDate, minDate, pick, type Random } from './gen-random.ts';

/** What the records are drawn from. */
export interface RecordSources {
  today: string;
  persons: readonly Person[];
  relatives: ReadonlyMap<Person, Relatives>;
  /** The demo's fixed persons: always employed with a history, a home and a clean record. */
  fixed: ReadonlySet<Person>;
  entities: readonly Entity[];
  entityFacts: ReadonlyMap<Entity, EntityFacts>;
  address: (id: string) => Address;
}

/**
 * Shanghai's social insurance contribution base limits (缴费基数上下限) by the July their year starts:
 * 60% and 300% of the previous year's average wage. 2023–2025 as published (the 2024 year,
 * 7,384–36,921, ran to June 2025); earlier years rounded from the published figures.
 */
const BASE_LIMITS: ReadonlyArray<readonly [from: Month, lo: number, hi: number]> = [
  ['2025-07', 7460, 37302],
  ['2024-07', 7384, 36921],
  ['2023-07', 7310, 36549],
  ['2022-07', 6520, 34188],
  ['2021-07', 5975, 31014],
  ['2000-01', 4927, 24633],
];
/** The provident fund's base may go down to the minimum wage; its ceiling is social insurance's. */
const FUND_FLOOR = 2690;
const ALL_KINDS = 'pension,medical,unemployment,injury,maternity';
const FLEXIBLE_KINDS = 'pension,medical';

/** 不动产权证书 district abbreviations (沪(2019)浦字…). */
const DISTRICT_ABBR: Record<string, string> = {
  '310101': '黄', '310104': '徐', '310105': '长', '310106': '静', '310107': '普', '310109': '虹', '310110': '杨', '310112': '闵', '310113': '宝',
  '310114': '嘉', '310115': '浦', '310116': '金', '310117': '松', '310118': '青', '310120': '奉', '310151': '崇',
};

/** What an entity may have been penalised for, by whom, and the usual fine. */
const PENALTIES: ReadonlyArray<readonly [department: string, matter: string, amount: number, food: boolean]> = [
  ['scjg', '未按规定期限公示年度报告', 0, false],
  ['scjg', '销售超过保质期的食品', 5000, true],
  ['scjg', '未按规定建立并遵守进货查验记录制度', 2000, true],
  ['xf', '占用、堵塞、封闭疏散通道、安全出口', 5000, false],
  ['cgzf', '未经许可擅自设置户外招牌', 2000, false],
  ['tax', '未按照规定期限办理纳税申报', 200, false],
  ['sthj', '餐饮油烟未经处理直接排放', 10000, true],
];

// ---- months ----
const monthIndex = (m: Month): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (i: number): Month => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
/** Months from `a` to `b`, both counted. */
export const monthsBetween = (a: Month, b: Month): number => monthIndex(b) - monthIndex(a) + 1;
const addMonths = (m: Month, n: number): Month => monthOf(monthIndex(m) + n);

/** The contribution base limits in force in a month. */
export function baseLimits(month: Month): { lo: number; hi: number } {
  const [, lo, hi] = BASE_LIMITS.find(([from]) => month >= from) ?? BASE_LIMITS[BASE_LIMITS.length - 1]!;
  return { lo, hi };
}

/** Annual comprehensive income tax (综合所得年度税率表, 2019): rate and quick deduction by taxable income. */
export function annualIncomeTax(taxable: number): number {
  const table: ReadonlyArray<readonly [upTo: number, rate: number, quick: number]> = [
    [36_000, 0.03, 0], [144_000, 0.1, 2520], [300_000, 0.2, 16_920], [420_000, 0.25, 31_920], [660_000, 0.3, 52_920], [960_000, 0.35, 85_920], [Infinity, 0.45, 181_920],
  ];
  if (taxable <= 0) return 0;
  const [, rate, quick] = table.find(([upTo]) => taxable <= upTo)!;
  return Math.round(taxable * rate - quick);
}

/** Retirement: 60 for men, 55 for women (the generator's working age). */
const working = (p: Person, today: string): boolean => {
  const age = ageOn(p.birthDate, today);
  return age >= 18 && age < (p.sex === 'M' ? 60 : 55);
};

/** Generates every business record; the same sources and stream give the same records. */
export function generateRecords(rnd: Random, src: RecordSources): BusinessRecords {
  const { today } = src;
  const thisMonth = today.slice(0, 7);
  const byUscc = new Map(src.entities.map((e) => [e.uscc, e]));
  const employers = src.entities.filter((e) => e.status === 'active');
  const insurance: InsurancePeriod[] = [];
  const incomeTax: IncomeTaxYear[] = [];
  const fund: FundPeriod[] = [];
  const criminal: BusinessRecords['criminal'] = [];

  for (const p of src.persons) {
    const fixed = src.fixed.has(p);
    const age = ageOn(p.birthDate, today);
    const careerStart = addYears(p.birthDate, 22).slice(0, 7);
    const periods: InsurancePeriod[] = [];
    // Pay: a long tail above a median near ¥10,000 a month; the base is the pay within the limits.
    const pay = Math.round(4500 * Math.exp(rnd() * 1.2 + rnd() * 0.8) / 10) * 10;
    const baseIn = (m: Month) => {
      const { lo, hi } = baseLimits(m);
      return Math.min(hi, Math.max(lo, pay));
    };
    const employer = p.employerUscc ? byUscc.get(p.employerUscc) : undefined;
    if (employer && age >= 18) {
      const hired = maxDate(maxDate(employer.establishedOn.slice(0, 7), careerStart), addMonths(thisMonth, -int(rnd, 1, 180)));
      const from = minDate(hired, thisMonth);
      // Half changed jobs before (all the fixed ones, so their certificates show a history).
      if ((fixed || chance(rnd, 0.5)) && monthsBetween(careerStart, from) > 24) {
        const end = addMonths(from, -int(rnd, 1, 4));
        // An employer that existed a year before then; a few tries, as young firms are common.
        for (let k = 0; k < 6; k++) {
          const before = pick(rnd, employers);
          const start = maxDate(maxDate(before.establishedOn.slice(0, 7), careerStart), addMonths(end, -int(rnd, 12, 96)));
          if (monthsBetween(start, end) < 12 || before.uscc === employer.uscc) continue;
          periods.push({ personId: p.idNumber, employerUscc: before.uscc, fromMonth: start, toMonth: end, base: baseIn(end), kinds: ALL_KINDS });
          break;
        }
      }
      periods.push({ personId: p.idNumber, employerUscc: employer.uscc, fromMonth: from, toMonth: null, base: baseIn(thisMonth), kinds: ALL_KINDS });
    } else if (working(p, today) && age >= 22 && chance(rnd, 0.1)) {
      // 灵活就业: the self-employed pay pension and medical insurance themselves, mostly at the floor.
      const from = maxDate(careerStart, addMonths(thisMonth, -int(rnd, 6, 120)));
      periods.push({ personId: p.idNumber, employerUscc: null, fromMonth: from, toMonth: null, base: baseLimits(thisMonth).lo, kinds: FLEXIBLE_KINDS });
    }
    insurance.push(...periods);

    // 公积金 through most employers (companies more than individual businesses), one account per person.
    let accountNo: string | null = null;
    const funded: FundPeriod[] = [];
    for (const s of periods) {
      if (!s.employerUscc) continue;
      const individual = src.entityFacts.get(byUscc.get(s.employerUscc)!)?.individual ?? false;
      if (!fixed && !chance(rnd, individual ? 0.2 : 0.85)) continue;
      accountNo ??= `${int(rnd, 1, 9)}${digits(rnd, 11)}`;
      const rate = fixed ? 7 : chance(rnd, 0.6) ? 7 : int(rnd, 5, 6);
      funded.push({ personId: p.idNumber, accountNo, employerUscc: s.employerUscc, fromMonth: s.fromMonth, toMonth: s.toMonth, base: Math.max(FUND_FLOOR, Math.min(pay, baseLimits(s.toMonth ?? thisMonth).hi)), rate });
    }
    fund.push(...funded);

    // 个人所得税 on wages, for the last two whole years and this one so far (cumulative withholding
    // comes to the annual computation): pay less ¥5,000 a month, the employee's social insurance
    // (10.5%) and fund share, and special additional deductions (children, rent, elders).
    const thisYear = Number(today.slice(0, 4));
    const extra = pick(rnd, [0, 0, 12_000, 18_000, 24_000, 36_000]);
    for (let year = thisYear - 2; year <= thisYear; year++) {
      let months = 0;
      let withholder: string | null = null;
      let deductions = 0;
      for (const s of periods) {
        if (!s.employerUscc) continue;
        const a = maxDate(s.fromMonth, `${year}-01`);
        const b = minDate(s.toMonth ?? thisMonth, year === thisYear ? addMonths(thisMonth, -1) : `${year}-12`);
        if (a > b) continue;
        const n = monthsBetween(a, b);
        months += n;
        withholder = s.employerUscc;
        const f = funded.find((x) => x.employerUscc === s.employerUscc && x.fromMonth === s.fromMonth);
        deductions += n * (s.base * 0.105 + (f ? f.base * f.rate / 100 : 0));
      }
      if (months === 0) continue;
      const bonus = months === 12 && chance(rnd, 0.6) ? pay * int(rnd, 1, 3) : 0;
      const income = pay * months + bonus;
      const taxable = income - 5000 * months - deductions - (extra * months) / 12;
      incomeTax.push({ personId: p.idNumber, year, months, income, tax: annualIncomeTax(taxable), withholderUscc: withholder });
    }

    // 违法犯罪记录: a very small share of adults; never the demo's people.
    if (!fixed && age >= 18 && chance(rnd, 0.003)) criminal.push({ personId: p.idNumber, recordedOn: dateBetween(rnd, addYears(p.birthDate, 18), today) });
  }

  return { insurance, incomeTax, fund, criminal, properties: properties(rnd, src), entityTax: entityTaxes(rnd, src), penalties: penalties(rnd, src) };
}

/**
 * Homes owned: a household owns the home it lives in (a couple jointly), about two in three of
 * Shanghai's registered households and one in six of those from elsewhere; a few owners also let a
 * second home, which is where a renting household lives.
 */
function properties(rnd: Random, src: RecordSources): Property[] {
  const out: Property[] = [];
  const households = new Map<string, Person[]>();
  for (const p of src.persons) {
    const h = households.get(p.residenceAddressId);
    if (h) h.push(p);
    else households.set(p.residenceAddressId, [p]);
  }
  const renters: string[] = [];
  const owners: Person[][] = [];
  const serial = new Set<string>();
  const add = (who: Person[], addressId: string) => {
    const a = src.address(addressId);
    const earliest = maxDate('1998-01-01', addYears(who.map((p) => p.birthDate).sort()[who.length - 1]!, 22));
    const registeredOn = dateBetween(rnd, minDate(earliest, src.today), src.today);
    let no: string;
    do no = `沪(${registeredOn.slice(0, 4)})${DISTRICT_ABBR[a.districtCode] ?? '沪'}字不动产权第${digits(rnd, 6)}号`;
    while (serial.has(no));
    serial.add(no);
    // Most homes are small flats; the demo's family lives in an ordinary two- or three-room one.
    const area = Math.round((who.some((p) => src.fixed.has(p)) ? 75 + rnd() * 40 : 35 + Math.pow(rnd(), 1.5) * 125) * 100) / 100;
    for (const p of who) out.push({ certificateNo: no, ownerId: p.idNumber, addressId, area, use: '住宅', share: who.length > 1 ? '共同共有' : '单独所有', registeredOn });
  };
  for (const [addressId, members] of households) {
    const adults = members.filter((p) => ageOn(p.birthDate, src.today) >= 22);
    if (!adults.length) continue;
    const head = adults.find((p) => src.fixed.has(p)) ?? adults.reduce((a, b) => (a.birthDate <= b.birthDate ? a : b));
    const spouse = src.relatives.get(head)?.spouse;
    const local = src.address(head.hukouAddressId).districtCode.startsWith('31');
    if (src.fixed.has(head) || chance(rnd, local ? 0.65 : 0.15)) {
      const who = spouse && members.includes(spouse) ? [head, spouse] : [head];
      add(who, addressId);
      owners.push(who);
    } else renters.push(addressId);
  }
  for (const who of owners) {
    if (renters.length && chance(rnd, 0.06)) add(who, renters.splice(int(rnd, 0, renters.length - 1), 1)[0]!);
  }
  return out;
}

/**
 * Entities' taxes in the last two whole years and this one so far, from a turnover that follows
 * their size: small-scale taxpayers pay VAT at 1% (2023–2027), others 6–13% on their value added;
 * small low-profit enterprises an effective 5% income tax, others 25%; local surcharges 12% of VAT.
 */
function entityTaxes(rnd: Random, src: RecordSources): EntityTaxYear[] {
  const out: EntityTaxYear[] = [];
  const thisYear = Number(src.today.slice(0, 4));
  const share = Number(src.today.slice(5, 7)) - 1;
  for (const e of src.entities) {
    if (e.status !== 'active') continue;
    const facts = src.entityFacts.get(e);
    const turnover = facts?.individual ? int(rnd, 150, 900) * 1000 : (e.registeredCapital ?? 50) * 10_000 * (0.4 + rnd() * 2.6);
    const small = turnover < 5_000_000;
    const margin = 0.02 + rnd() * 0.1;
    const owes = !facts?.fixed && chance(rnd, 0.03);
    for (let year = thisYear - 2; year <= thisYear; year++) {
      if (Number(e.establishedOn.slice(0, 4)) > year) continue;
      const part = year === thisYear ? share / 12 : 1;
      if (part <= 0) continue;
      const t = turnover * part * (0.85 + rnd() * 0.3);
      const vat = Math.round(small ? t * 0.01 : t * 0.3 * 0.09);
      const incomeTax = Math.round(t * margin * (small ? 0.05 : 0.25));
      out.push({ uscc: e.uscc, year, vat, incomeTax, other: Math.round(vat * 0.12 + t * 0.0003), owed: owes && year === thisYear ? Math.round(vat * 0.3) + 100 : 0 });
    }
  }
  return out;
}

/** Administrative penalties for a few entities in the last three years (never the demo's). */
function penalties(rnd: Random, src: RecordSources): Penalty[] {
  const out: Penalty[] = [];
  for (const e of src.entities) {
    const facts = src.entityFacts.get(e);
    if (facts?.fixed || !chance(rnd, 0.05)) continue;
    const fits = PENALTIES.filter(([, , , food]) => !food || facts?.industry.food);
    const [departmentCode, matter, amount] = pick(rnd, fits);
    out.push({ uscc: e.uscc, decidedOn: dateBetween(rnd, maxDate(e.establishedOn, addYears(src.today, -3)), src.today), departmentCode, matter, amount });
  }
  return out;
}
