// The generator of Yiwang's synthetic but realistic base registries of Shanghai: standard addresses
// on the streets' roads, a population in households, legal entities with their representatives
// and employees, and the licences all of them hold. Pure and deterministic: the same input gives
// byte-identical output, with time fixed by a reference date and randomness by the seed.

import type { Registries } from './registry.types.ts';
import { AddressBook, type Locate, type StreetInput } from './gen-addresses.ts';
import { PopulationBuilder, type FixedPerson } from './gen-population.ts';
import { assignEmployers, EntityBuilder, type FixedEntity } from './gen-entities.ts';
import { issueLicences } from './gen-licences.ts';
import { generateRecords } from './gen-records.ts';
import { randomFor } from './gen-random.ts';

export type { Locate, StreetInput } from './gen-addresses.ts';
export type { FixedPerson } from './gen-population.ts';
export type { FixedEntity } from './gen-entities.ts';
export { LICENCE_TYPES, type LicenceType } from './licence-types.ts';

/** What to generate. */
export interface GenerateInput {
  seed: number;
  /** Residents to generate (fixed ones and their households included). */
  persons: number;
  /** Legal entities to generate (fixed ones included). */
  entities: number;
  streets: StreetInput[];
  /** Deepest jurisdiction code for a point, or null. */
  locate?: Locate;
  /**
   * Records that must be included (the demo accounts). A fixed person lives where their
   * `jurisdictionCode` says (陆家嘴 310115005 by default), with their hukou there, married with one
   * child, a valid C1 driving licence and a job unless told otherwise; the output's
   * `jurisdictionCode` is that of the generated home, which lies under the given one. A fixed
   * entity is active, represented by the first fixed person and located in their street unless
   * told otherwise, and its industry follows from its name (餐饮管理 → H6210, food licence and all).
   * Address ids are always generated; other fields not given are generated.
   */
  fixed?: { persons?: FixedPerson[]; entities?: FixedEntity[] };
  /** The reference date the registries describe (YYYY-MM-DD); ages and validity are counted to it. */
  today?: string;
}

/** The reference date when the input gives none. */
export const DEFAULT_TODAY = '2026-11-01';

/** Where fixed persons live unless they say otherwise: 陆家嘴街道, Pudong. */
export const FIXED_HOME = '310115005';

/** Generates the four base registries from streets and a seed; the same input gives the same output. */
export function generateRegistries(input: GenerateInput): Registries {
  const today = input.today ?? DEFAULT_TODAY;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD: ${today}`);
  const book = new AddressBook(input.streets, input.locate);
  const fixedPersons = input.fixed?.persons ?? [];
  const fixedEntities = input.fixed?.entities ?? [];

  // One random stream per stage, so more entities do not change the people, and so on.
  const people = new PopulationBuilder(randomFor(input.seed, 'persons'), book, today, fixedPersons.map((f) => f.name));
  const heads = fixedPersons.map((f) => people.addFixed(f, FIXED_HOME));
  people.fill(input.persons);
  const fixedIds = new Set(heads.map((p) => p.idNumber));
  // Fixed persons work unless their record says employerUscc: null (or names their employer).
  const mustWork = new Map(heads.map((p, i) => [p.idNumber, fixedPersons[i]!.employerUscc !== null] as const));

  const firms = new EntityBuilder(randomFor(input.seed, 'entities'), book, today, people.persons, fixedIds);
  for (const f of fixedEntities) firms.addFixed(f, heads[0] ?? null);
  firms.fill(input.entities);
  assignEmployers(randomFor(input.seed, 'employers'), people.persons, firms.entities, firms.facts, mustWork, today);

  const districtNames = new Map(input.streets.map((s) => [s.districtCode, s.districtName]));
  const licences = issueLicences(randomFor(input.seed, 'licences'), {
    today,
    persons: people.persons,
    relatives: people.relatives,
    marriedOn: people.marriedOn,
    fixedPersons: people.fixedOf,
    entities: firms.entities,
    entityFacts: firms.facts,
    address: (id) => book.byId(id)!,
    districtNames,
  });
  const records = generateRecords(randomFor(input.seed, 'records'), {
    today,
    persons: people.persons,
    relatives: people.relatives,
    fixed: new Set(people.fixedOf.keys()),
    entities: firms.entities,
    entityFacts: firms.facts,
    address: (id) => book.byId(id)!,
  });
  return { addresses: book.addresses, persons: people.persons, families: people.families, entities: firms.entities, licences, records };
}
