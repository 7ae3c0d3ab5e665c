// The population registry (人口库) by households: couples (with one or two children, or without),
// singles, divorced parents, widowed elderly. Family links are written both ways, children are born
// when both parents were adults, and identity numbers carry the county where the hukou was first
// registered: a Shanghai district (or the district's code before a merger), or a county elsewhere
// in China for people who moved here, with or without moving their hukou (居住证 holders).

import type { Address, FamilyLink, MaritalStatus, Person, Sex } from './registry.types.ts';
import { birthDateOfIdNumber, isValidIdNumber, makeIdNumber, sexOfIdNumber } from './ids.ts';
import { EDUCATION_BY_COHORT, ETHNICITIES, FAMILY_NAMES, GIVEN_CHARS, nameEra, personNameEn, schoolLevel, SINGLE_GIVEN_SHARE, splitName } from './names.ts';
import { ORIGINS, type AddressBook, type OriginArea } from './gen-addresses.ts';
import { addDays, addYears, ageOn, chance, dateBetween, dayOf, int, maxDate, minDate, pick, weighted, type Random } from './gen-random.ts';

/** A person the caller wants in the registry, with the facts of their life the generator should honour. */
export type FixedPerson = Partial<Person> & {
  name: string;
  /** Children living with them (default 1 when married). */
  children?: number;
  /** Driving licence class; null: none (default C1). */
  drivingLicenceClass?: string | null;
};

/** A person's spouse and parents in the registry, for the licences that name them. */
export interface Relatives {
  spouse?: Person;
  father?: Person;
  mother?: Person;
}

/** Where a household's hukou is: Shanghai since birth, moved to Shanghai, or elsewhere (居住证). */
type Origin = 'local' | 'settled' | 'migrant';

// District codes retired by mergers, kept in the identity numbers of people registered before:
// 卢湾 into 黄浦 (2011), 闸北 into 静安 (2015), 南汇 into 浦东 (2009; 南汇县 310225 until 2001),
// 奉贤县 310226 became 奉贤区 (2001), 崇明县 310230 became 崇明区 (2016).
const RETIRED_CODES: ReadonlyArray<readonly [district: string, code: string, bornBefore: string, share: number]> = [
  ['310101', '310103', '2011-06-08', 0.35],
  ['310106', '310108', '2015-11-04', 0.5],
  ['310115', '310225', '2001-01-01', 0.15],
  ['310115', '310119', '2009-05-06', 0.1],
  ['310120', '310226', '2001-01-09', 1],
  ['310151', '310230', '2016-07-22', 1],
];

const MOBILE_PREFIXES = [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159, 180, 181, 182, 183, 185, 186, 187, 188, 189];

type Kind = 'couple1' | 'couple2' | 'couple' | 'single' | 'widowed' | 'singleParent';
const HOUSEHOLD_SIZE: Record<Kind, number> = { couple1: 3, couple2: 4, couple: 2, single: 1, widowed: 1, singleParent: 2 };
const pickKind = weighted<Kind>([['couple1', 30], ['couple2', 8], ['couple', 22], ['single', 22], ['widowed', 12], ['singleParent', 4]]);
const pickOrigin = weighted<Origin>([['local', 58], ['settled', 10], ['migrant', 32]]);
const pickOriginArea = weighted<OriginArea>(ORIGINS.map((o) => [o, o.weight] as const));
const pickFamily = weighted(FAMILY_NAMES);
const pickEthnicity = weighted(ETHNICITIES);
const educationSamplers = EDUCATION_BY_COHORT.map((c) => ({ bornBefore: c.bornBefore, pick: weighted(c.levels) }));
const pickStudentLevel = weighted<string>([['高中', 50], ['大专', 20], ['中专', 12], ['初中', 5], ['大学本科', 13]]);

/** What the household members share and where each one's hukou is. */
interface Home {
  residence: Address;
  origin: Origin;
  area: OriginArea;
  hukou: Address;
}

/** An identity number's first 17 digits as one exact number: area, days since 1850, sequence (< 2^53). */
function idKey(area: string, birth: string, seq: number): number {
  return (Number(area) * 100_000 + dayOf(birth) + 44_000) * 1000 + seq;
}

/** Builds households until the population reaches its size. */
export class PopulationBuilder {
  readonly persons: Person[] = [];
  readonly families: FamilyLink[] = [];
  /** Facts the licences need that a Person record does not carry, keyed by the record itself (cheap to hash). */
  readonly marriedOn = new Map<Person, string>();
  readonly fixedOf = new Map<Person, FixedPerson>();
  readonly relatives = new Map<Person, Relatives>();
  /** Identity numbers handed out, as numbers (see idKey): hashing them costs less than strings. */
  private readonly ids = new Set<number>();
  private readonly phones = new Set<number>();
  private readonly reservedNames: Set<string>;
  /** Names repeat a great deal (张伟, 王芳…): spelled out once each. */
  private readonly namesEn = new Map<string, string>();

  constructor(
    private readonly rnd: Random,
    private readonly book: AddressBook,
    private readonly today: string,
    reservedNames: Iterable<string>,
  ) {
    this.reservedNames = new Set(reservedNames);
  }

  /** A fixed person's household: placed where their jurisdiction says (default 陆家嘴), married with one child unless told otherwise. */
  addFixed(f: FixedPerson, defaultPlace: string): Person {
    const rnd = this.rnd;
    if (f.idNumber !== undefined) {
      const ok = isValidIdNumber(f.idNumber) && !this.ids.has(idKey(f.idNumber.slice(0, 6), birthDateOfIdNumber(f.idNumber), Number(f.idNumber.slice(14, 17))));
      if (!ok || (f.sex && f.sex !== sexOfIdNumber(f.idNumber)) || (f.birthDate && f.birthDate !== birthDateOfIdNumber(f.idNumber))) {
        throw new RangeError(`fixed person ${f.name}: identity number ${f.idNumber} is invalid, repeated, or disagrees with the sex or birth date given`);
      }
    }
    const street = this.book.streetFor(f.jurisdictionCode ?? defaultPlace) ?? this.book.pickStreet(rnd);
    const residence = this.book.home(rnd, street);
    // Hukou where they live, and an identity number of today's district: the demo's plain story.
    const home: Home = { residence, origin: 'local', area: pick(rnd, ORIGINS), hukou: residence };
    const sex: Sex = f.sex ?? (f.idNumber ? sexOfIdNumber(f.idNumber) : 'M');
    const birth = f.birthDate ?? (f.idNumber ? birthDateOfIdNumber(f.idNumber) : this.birthAtAge(int(rnd, 30, 45)));
    const marital: MaritalStatus = f.maritalStatus ?? 'married';
    const head = this.person(home, sex, birth, marital, 'local', f);
    const n = f.children ?? (marital === 'married' ? 1 : 0);
    const spouse = marital === 'married' ? this.person(home, sex === 'M' ? 'F' : 'M', this.spouseBirth(birth, sex), 'married', 'local', null) : null;
    const children = this.addChildren(home, head, spouse, n);
    if (spouse) this.marry(head, spouse, children[0]?.birthDate ?? null);
    return head;
  }

  /** Random households until `target` persons exist. */
  fill(target: number): void {
    const rnd = this.rnd;
    while (this.persons.length < target) {
      const remaining = target - this.persons.length;
      let kind = pickKind(rnd);
      while (HOUSEHOLD_SIZE[kind] > remaining) kind = pickKind(rnd);
      this.household(kind, this.newHome(pickOrigin(rnd)));
    }
  }

  private household(kind: Kind, home: Home): void {
    const rnd = this.rnd;
    if (kind === 'single') {
      const divorced = chance(rnd, 0.3);
      this.person(home, chance(rnd, 0.5) ? 'M' : 'F', this.birthAtAge(divorced ? int(rnd, 32, 65) : int(rnd, 20, 40)), divorced ? 'divorced' : 'unmarried', home.origin, null);
      return;
    }
    if (kind === 'widowed') {
      // Women outlive their husbands: three in four widowed elderly are widows.
      this.person(home, chance(rnd, 0.75) ? 'F' : 'M', this.birthAtAge(int(rnd, 65, 95)), 'widowed', home.origin, null);
      return;
    }
    if (kind === 'singleParent') {
      const parent = this.person(home, chance(rnd, 0.7) ? 'F' : 'M', this.birthAtAge(int(rnd, 30, 55)), 'divorced', home.origin, null);
      this.addChildren(home, parent, null, 1);
      return;
    }
    const age = kind === 'couple' ? (chance(rnd, 0.5) ? int(rnd, 23, 35) : int(rnd, 50, 88)) : kind === 'couple1' ? int(rnd, 27, 68) : int(rnd, 30, 60);
    const husbandBirth = this.birthAtAge(age);
    // A Shanghainese often marries someone who came from elsewhere and moved their hukou here.
    const husband = this.person(home, 'M', husbandBirth, 'married', home.origin, null);
    const wife = this.person(home, 'F', this.spouseBirth(husbandBirth, 'M'), 'married', home.origin === 'local' && chance(rnd, 0.15) ? 'settled' : home.origin, null);
    const children = this.addChildren(home, husband, wife, kind === 'couple1' ? 1 : kind === 'couple2' ? 2 : 0);
    this.marry(husband, wife, children[0]?.birthDate ?? null);
  }

  private newHome(origin: Origin): Home {
    const rnd = this.rnd;
    const street = this.book.pickStreet(rnd);
    const residence = this.book.home(rnd, street);
    const area = pickOriginArea(rnd);
    // 人户分离: a quarter of Shanghai hukou holders live away from the address their hukou is at.
    const hukou = origin === 'migrant' ? this.book.elsewhere(rnd, area) : chance(rnd, 0.25) ? this.book.home(rnd, this.book.pickStreet(rnd)) : residence;
    return { residence, origin, area, hukou };
  }

  /** Children of one or two parents, born when both were adults (fewer when the parents are too young), living with them. */
  private addChildren(home: Home, a: Person, b: Person | null, n: number): Person[] {
    const rnd = this.rnd;
    const out: Person[] = [];
    let earliest = this.earliestChildDate(a, b);
    const mother = [a, b].find((p) => p?.sex === 'F');
    const latest = minDate(this.today, mother ? addYears(mother.birthDate, 42) : addYears(a.birthDate, 50));
    for (let i = 0; i < n && earliest <= latest; i++) {
      const birth = i === 0 ? dateBetween(rnd, earliest, minDate(latest, addYears(earliest, 12))) : dateBetween(rnd, earliest, minDate(latest, addYears(earliest, 6)));
      // The settled parents' children are born Shanghainese; the migrants' keep their parents' hukou.
      const father = [a, b].find((p) => p?.sex === 'M');
      const child = this.person(home, chance(rnd, 0.5) ? 'M' : 'F', birth, 'unmarried', home.origin === 'migrant' ? 'migrant' : 'local', null, father ?? undefined, mother);
      out.push(child);
      for (const parent of [a, b]) {
        if (!parent) continue;
        this.link(child, parent, parent.sex === 'M' ? 'father' : 'mother');
        this.link(parent, child, 'child');
      }
      earliest = addDays(birth, int(rnd, 400, 2500));
    }
    return out;
  }

  /** The first day a child of both can be born: each parent at least twenty (and a little). */
  private earliestChildDate(a: Person, b: Person | null): string {
    const da = addYears(a.birthDate, a.sex === 'M' ? 22 : 21);
    return b ? maxDate(da, addYears(b.birthDate, b.sex === 'M' ? 22 : 21)) : da;
  }

  /** Links a couple and remembers when they registered their marriage (before their first child, after both were of age). */
  private marry(a: Person, b: Person, firstChildFrom: string | null): void {
    const rnd = this.rnd;
    const [h, w] = a.sex === 'M' ? [a, b] : [b, a];
    const legal = maxDate(addYears(h.birthDate, 22), addYears(w.birthDate, 20));
    const typical = addYears(h.birthDate, int(rnd, 24, 32));
    let on = maxDate(legal, typical);
    if (firstChildFrom) on = minDate(on, addDays(firstChildFrom, -int(rnd, 30, 700)));
    on = minDate(maxDate(on, legal), this.today);
    this.marriedOn.set(a, on).set(b, on);
    this.link(a, b, 'spouse');
    this.link(b, a, 'spouse');
  }

  private link(p: Person, q: Person, relation: FamilyLink['relation']): void {
    this.families.push({ personId: p.idNumber, relatedId: q.idNumber, relation });
    if (relation === 'child') return;
    const r = this.relatives.get(p);
    if (r) r[relation] = q;
    else this.relatives.set(p, { [relation]: q });
  }

  private spouseBirth(birth: string, sex: Sex): string {
    const rnd = this.rnd;
    // Husbands are on average two to three years older; both must have been of marrying age by today.
    const gap = int(rnd, -2, 6) * (sex === 'M' ? 1 : -1);
    const d = addDays(addYears(birth, gap), int(rnd, -180, 180));
    return minDate(d, addYears(this.today, -23));
  }

  private birthAtAge(age: number): string {
    return addDays(addYears(this.today, -age), -int(this.rnd, 0, 364));
  }

  /** One resident with a unique identity number and phone; `fixed` fields win over generated ones. */
  private person(home: Home, sex: Sex, birth: string, marital: MaritalStatus, origin: Origin, fixed: FixedPerson | null, father?: Person, mother?: Person | null): Person {
    const rnd = this.rnd;
    const age = ageOn(birth, this.today);
    const name = fixed?.name ?? this.name(sex, birth, father, mother);
    const nameEn = fixed?.nameEn ?? this.nameEn(name);
    const hukou = origin === 'migrant' ? home.hukou : home.hukou.districtCode.startsWith('31') ? home.hukou : home.residence;
    const area = fixed ? hukou.districtCode : this.areaCode(origin, home, hukou, birth);
    const idNumber = fixed?.idNumber ?? this.idNumber(area, birth, sex);
    const inherited = [father, mother].find((p) => p && p.ethnicity !== '汉族')?.ethnicity;
    const p: Person = {
      idNumber,
      name,
      nameEn,
      sex: fixed?.sex ?? sex,
      birthDate: fixed?.birthDate ?? birth,
      ethnicity: fixed?.ethnicity ?? (father || mother ? (inherited ?? '汉族') : pickEthnicity(rnd)),
      // Children under 14 have no phone of their own: the registry holds a parent's as the contact.
      phone: fixed?.phone ?? (age < 14 && (mother ?? father) ? (mother ?? father)!.phone : this.phone()),
      hukouAddressId: hukou.id,
      residenceAddressId: home.residence.id,
      jurisdictionCode: home.residence.jurisdictionCode,
      maritalStatus: fixed?.maritalStatus ?? marital,
      education: fixed?.education ?? this.education(age, birth),
      employerUscc: fixed?.employerUscc ?? null,
    };
    this.ids.add(idKey(idNumber.slice(0, 6), p.birthDate, Number(idNumber.slice(14, 17))));
    this.persons.push(p);
    if (fixed) this.fixedOf.set(p, fixed);
    return p;
  }

  private nameEn(name: string): string {
    let en = this.namesEn.get(name);
    if (en === undefined) {
      const { family, given } = splitName(name);
      try {
        en = personNameEn(family, given);
      } catch {
        en = name; // a fixed name with characters outside our table keeps its own script
      }
      this.namesEn.set(name, en);
    }
    return en;
  }

  private name(sex: Sex, birth: string, father?: Person, mother?: Person | null): string {
    const rnd = this.rnd;
    const era = nameEra(Number(birth.slice(0, 4)));
    const chars = GIVEN_CHARS[sex][era];
    for (;;) {
      // Children take the father's family name; some take the mother's.
      const parent = father && mother ? (chance(rnd, 0.06) ? mother : father) : father;
      const family = parent ? splitName(parent.name).family : pickFamily(rnd);
      const first = chars[Math.floor(rnd() * chars.length)]!;
      const given = chance(rnd, SINGLE_GIVEN_SHARE[era]) ? first : first + chars[Math.floor(rnd() * chars.length)]!;
      const name = family + given;
      if (!this.reservedNames.has(name) && !(given.length === 2 && given[0] === given[1] && sex === 'M')) return name;
    }
  }

  private areaCode(origin: Origin, home: Home, hukou: Address, birth: string): string {
    if (origin !== 'local') return home.area.code;
    const district = hukou.districtCode;
    for (const [d, code, before, share] of RETIRED_CODES) {
      if (d === district && birth < before && chance(this.rnd, share)) return code;
    }
    return district;
  }

  private idNumber(area: string, birth: string, sex: Sex): string {
    for (;;) {
      // Odd sequences for men, even for women.
      const seq = 2 * int(this.rnd, 0, 498) + (sex === 'M' ? 1 : 2);
      if (!this.ids.has(idKey(area, birth, seq))) return makeIdNumber(area, birth, seq, sex);
    }
  }

  private phone(): string {
    for (;;) {
      // Eleven digits fit a double exactly; numbers hash faster than strings.
      const phone = pick(this.rnd, MOBILE_PREFIXES) * 1e8 + Math.floor(this.rnd() * 1e8);
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return String(phone);
      }
    }
  }

  private education(age: number, birth: string): string {
    const school = schoolLevel(age);
    if (school) return school;
    if (age < 23) return pickStudentLevel(this.rnd);
    const year = Number(birth.slice(0, 4));
    return educationSamplers.find((s) => year < s.bornBefore)!.pick(this.rnd);
  }
}
