// The legal-entity registry (法人库): companies and individual businesses (个体工商户) at shop fronts and
// office rooms along the streets' roads, each with a credit code, a legal representative who is a
// resident of the population registry, an industry and the business scope that goes with it; and
// the employers of working residents, drawn from the active entities.

import type { Entity, EntityStatus, Person } from './registry.types.ts';
import { isValidUscc, makeUscc, USCC_ALPHABET } from './ids.ts';
import { CAPITAL_STEPS, COMPANY_TYPES, INDIVIDUAL_BUSINESS, INDUSTRIES, TRADE_NAME_CHARS, type Industry } from './industries.ts';
import { pinyinWord, splitName } from './names.ts';
import type { AddressBook, PreparedStreet } from './gen-addresses.ts';
import { addYears, ageOn, chance, dateBetween, digits, pick, weighted, type Random } from './gen-random.ts';

/** An entity the caller wants in the registry; its industry follows from `industry` or from the words of its name. */
export type FixedEntity = Partial<Entity> & { name: string };

/** Facts the licence generator needs that an Entity record does not carry. */
export interface EntityFacts {
  industry: Industry;
  rep: Person;
  individual: boolean;
  fixed: boolean;
}

// The unified codes replaced organisation codes from October 2015; entities older than that kept
// their old 8-digit organisation code inside the new one, newer ones got an MA… body.
const USCC_START = '2015-10-01';
const pickCompanyIndustry = weighted(INDUSTRIES.filter((i) => i.companies > 0).map((i) => [i, i.companies] as const));
const pickShopIndustry = weighted(INDUSTRIES.filter((i) => i.shops > 0).map((i) => [i, i.shops] as const));
const pickCompanyType = weighted(COMPANY_TYPES);
const pickStatus = weighted<EntityStatus>([['active', 90], ['revoked', 4], ['deregistered', 6]]);
// Registrations per year rose with the 2014 commercial-registration reform and have stayed high.
const pickEraStart = weighted<readonly [number, number]>([[[1995, 2004], 10], [[2005, 2013], 25], [[2014, 2026], 65]]);
const JOINT_STOCK = COMPANY_TYPES.find(([t]) => t.startsWith('股份'))![0];
const BY_WORD = [...INDUSTRIES].sort((a, b) => b.word.length - a.word.length);

/** Builds entities, each with a unique name and credit code. */
export class EntityBuilder {
  readonly entities: Entity[] = [];
  readonly facts = new Map<Entity, EntityFacts>();
  private readonly codes = new Set<string>();
  private readonly names = new Set<string>();
  private readonly adults: Person[];

  constructor(
    private readonly rnd: Random,
    private readonly book: AddressBook,
    private readonly today: string,
    private readonly persons: readonly Person[],
    reserved: ReadonlySet<string>,
  ) {
    // Legal representatives are adults of working age or a little beyond; the fixed residents
    // represent only the fixed entities, so the demo citizen's page lists just their own company.
    this.adults = persons.filter((p) => {
      const age = ageOn(p.birthDate, today);
      return age >= 22 && age <= 70 && !reserved.has(p.idNumber);
    });
    if (this.adults.length === 0) throw new RangeError('the registries need adults to represent entities');
  }

  /** A fixed entity: placed and represented as given, else near and by `defaultRep` (the first fixed person). */
  addFixed(f: FixedEntity, defaultRep: Person | null): Entity {
    if (f.uscc !== undefined && (!isValidUscc(f.uscc) || this.codes.has(f.uscc))) throw new RangeError(`fixed entity ${f.name}: invalid or repeated credit code ${f.uscc}`);
    const byId = f.legalRepresentativeId !== undefined ? this.persons.find((p) => p.idNumber === f.legalRepresentativeId) : undefined;
    if (f.legalRepresentativeId !== undefined && !byId) throw new RangeError(`fixed entity ${f.name}: no resident ${f.legalRepresentativeId} to represent it`);
    const rep = byId ?? (f.legalRepresentative ? this.persons.find((p) => p.name === f.legalRepresentative) : undefined) ?? defaultRep ?? pick(this.rnd, this.adults);
    const individual = f.type === INDIVIDUAL_BUSINESS || (f.type === undefined && !f.name.endsWith('公司'));
    const industry =
      BY_WORD.find((i) => f.name.includes(i.word) && (!f.industry || i.code === f.industry)) ??
      INDUSTRIES.find((i) => i.code === f.industry) ??
      (individual ? pickShopIndustry(this.rnd) : pickCompanyIndustry(this.rnd));
    const residence = this.book.byId(rep.residenceAddressId);
    const street = this.book.streetFor(f.jurisdictionCode ?? residence?.streetCode ?? '') ?? this.book.pickStreet(this.rnd);
    return this.add({ industry, individual, street, rep, fixed: f });
  }

  /** Random entities until `target` exist: one in four an individual business. */
  fill(target: number): void {
    while (this.entities.length < target) {
      const individual = chance(this.rnd, 0.25);
      const industry = individual ? pickShopIndustry(this.rnd) : pickCompanyIndustry(this.rnd);
      this.add({ industry, individual, street: this.book.pickStreet(this.rnd), rep: pick(this.rnd, this.adults), fixed: null });
    }
  }

  private add(o: { industry: Industry; individual: boolean; street: PreparedStreet; rep: Person; fixed: FixedEntity | null }): Entity {
    const rnd = this.rnd;
    const { industry, individual, street, rep, fixed } = o;
    // Shops, restaurants and salons trade from a shop front; the rest register an office room.
    const shopFront = individual || industry.food !== null || industry.hygiene;
    const address = this.book.premises(rnd, street, !shopFront);
    const district = street.input.districtCode;
    const established = fixed?.establishedOn ?? this.establishedOn(rep, individual);
    const type = fixed?.type ?? (individual ? INDIVIDUAL_BUSINESS : fixed ? (fixed.name.includes('股份') ? JOINT_STOCK : COMPANY_TYPES[0]![0]) : pickCompanyType(rnd));
    const [name, nameEn] = fixed ? [fixed.name, fixed.nameEn ?? this.nameEnOf(fixed.name, industry)] : this.name(industry, individual, type, street, rep);
    const uscc = fixed?.uscc ?? this.uscc(individual, district, established);
    // Fixed entities are the demo's going concerns; others may have been struck off after two years.
    const status = fixed ? (fixed.status ?? 'active') : established < addYears(this.today, -2) ? pickStatus(rnd) : 'active';
    const e: Entity = {
      uscc,
      name,
      nameEn,
      type,
      legalRepresentative: rep.name,
      legalRepresentativeId: rep.idNumber,
      registeredCapital: fixed?.registeredCapital !== undefined ? fixed.registeredCapital : individual ? null : this.capital(industry, type),
      establishedOn: established,
      addressId: address.id,
      jurisdictionCode: address.jurisdictionCode,
      businessScope: fixed?.businessScope ?? industry.scope,
      industry: fixed?.industry ?? industry.code,
      status,
    };
    this.codes.add(uscc);
    this.names.add(name);
    this.entities.push(e);
    this.facts.set(e, { industry, rep, individual, fixed: fixed !== null });
    return e;
  }

  /** A founding date after the representative turned 20, weighted towards recent years. */
  private establishedOn(rep: Person, individual: boolean): string {
    const [from, to] = individual ? [2008, 2026] : pickEraStart(this.rnd);
    const earliest = addYears(rep.birthDate, 20);
    const start = `${from}-01-01` > earliest ? `${from}-01-01` : earliest;
    const end = `${to}-12-31` < this.today ? `${to}-12-31` : this.today;
    return dateBetween(this.rnd, start < end ? start : addYears(this.today, -1), end);
  }

  private name(industry: Industry, individual: boolean, type: string, street: PreparedStreet, rep: Person): [string, string] {
    const rnd = this.rnd;
    for (let attempt = 0; ; attempt++) {
      if (individual) {
        // 王记面馆, 老王馄饨店, or a made-up 字号; the district goes first on its licence.
        const family = splitName(rep.name).family;
        const r = rnd();
        const trade = r < 0.35 ? `${family}记` : r < 0.55 ? `老${family}` : this.tradeName(attempt);
        const [word, wordEn] = pick(rnd, industry.shopWords);
        const name = `${street.input.districtName}${trade}${word}`;
        if (!this.names.has(name)) return [name, `${pinyinWord(trade)} ${wordEn}`];
      } else {
        const trade = this.tradeName(attempt);
        const joint = type.startsWith('股份');
        const name = `上海${trade}${industry.word}${joint ? '股份' : ''}有限公司`;
        if (!this.names.has(name)) return [name, `Shanghai ${pinyinWord(trade)} ${industry.wordEn} ${joint ? 'Co., Ltd. (Joint Stock)' : 'Co., Ltd.'}`];
      }
    }
  }

  /** Two trade-name characters; three once two-character names run short. */
  private tradeName(attempt: number): string {
    const rnd = this.rnd;
    const n = attempt < 20 ? 2 : 3;
    let s = '';
    while (s.length < n) {
      const ch = TRADE_NAME_CHARS[Math.floor(rnd() * TRADE_NAME_CHARS.length)]!;
      if (!s.includes(ch)) s += ch;
    }
    return s;
  }

  /** The English name of a fixed entity: Shanghai + trade name in pinyin + industry + Co., Ltd. */
  private nameEnOf(name: string, industry: Industry): string {
    const m = /^上海(.+?)有限公司$/.exec(name);
    const trade = m ? m[1]!.replace(industry.word, '') : '';
    try {
      return `Shanghai ${pinyinWord(trade)} ${industry.wordEn} Co., Ltd.`;
    } catch {
      return name; // characters outside our pinyin table: the name keeps its own script
    }
  }

  private uscc(individual: boolean, district: string, established: string): string {
    const rnd = this.rnd;
    for (;;) {
      let body = 'MA';
      if (established < USCC_START) body = pick(rnd, ['0', '1', '3', '6', '7']) + digits(rnd, 7);
      else for (let i = 0; i < 6; i++) body += USCC_ALPHABET[Math.floor(rnd() * USCC_ALPHABET.length)];
      // A few large companies register with the city bureau rather than the district's.
      const division6 = !individual && chance(rnd, 0.05) ? '310000' : district;
      const code = makeUscc({ authority: '9', type: individual ? '2' : '1', division6, serial: body });
      if (!this.codes.has(code)) return code;
    }
  }

  private capital(industry: Industry, type: string): number {
    const [lo, hi] = industry.capital;
    const steps = CAPITAL_STEPS.filter((c) => c >= lo && c <= hi);
    const base = steps[Math.floor(Math.pow(this.rnd(), 1.6) * steps.length)]!; // small amounts are the common ones
    return type.includes('国有') ? base * 10 : base;
  }
}

/** Retirement ages used to decide who works: 60 for men, 55 for women. */
function ofWorkingAge(p: Person, today: string): boolean {
  const age = ageOn(p.birthDate, today);
  return age >= 18 && age < (p.sex === 'M' ? 60 : 55);
}

/**
 * Employers for working residents: each active entity's representative works there, the fixed
 * persons in `mustWork` (true: employed, false: not) have it decided, and about half of the other
 * working-age adults (the rest work for employers outside these registries, study, or do not work)
 * are spread over active entities, larger companies taking more.
 */
export function assignEmployers(rnd: Random, persons: Person[], entities: readonly Entity[], facts: ReadonlyMap<Entity, EntityFacts>, mustWork: ReadonlyMap<string, boolean>, today: string): void {
  const active = entities.filter((e) => e.status === 'active');
  if (active.length === 0) return;
  for (const e of active) {
    const rep = facts.get(e)?.rep;
    if (rep && rep.employerUscc === null && (mustWork.get(rep.idNumber) ?? ofWorkingAge(rep, today))) rep.employerUscc = e.uscc;
  }
  const pickEmployer = weighted(active.map((e) => [e.uscc, facts.get(e)?.individual ? 0.6 : Math.sqrt(e.registeredCapital ?? 10)] as const));
  for (const p of persons) {
    if (p.employerUscc !== null) continue;
    const student = ageOn(p.birthDate, today) < 23 && !['初中', '中专'].includes(p.education) && chance(rnd, 0.7);
    const decided = mustWork.get(p.idNumber);
    if (decided ?? (ofWorkingAge(p, today) && !student && chance(rnd, 0.5))) p.employerUscc = pickEmployer(rnd);
  }
}
