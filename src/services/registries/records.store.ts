import type { Executor } from '../../platform/db/database.ts';
import type { BusinessRecords, EntityTaxYear, FundPeriod, IncomeTaxYear, InsurancePeriod, Penalty, Property } from './registry.types.ts';

// SQL of the departments' business records (migration 0003), kept apart from the base registries'
// so each store stays readable. Rows mirror the records with snake_case names.

interface InsuranceRow { person_id: string; from_month: string; to_month: string | null; employer_uscc: string | null; base: number; kinds: string }
interface IncomeTaxRow { person_id: string; year: number; months: number; income: number; tax: number; withholder_uscc: string | null }
interface EntityTaxRow { uscc: string; year: number; vat: number; income_tax: number; other: number; owed: number }
interface FundRow { person_id: string; from_month: string; to_month: string | null; account_no: string; employer_uscc: string; base: number; rate: number }
interface PropertyRow { certificate_no: string; owner_id: string; address_id: string; area: number; use: string; share: string; registered_on: string }
interface PenaltyRow { uscc: string; decided_on: string; department_code: string; matter: string; amount: number }

declare module '../../platform/db/tables.ts' {
  interface Tables {
    registries_insurance: InsuranceRow;
    registries_income_tax: IncomeTaxRow;
    registries_entity_tax: EntityTaxRow;
    registries_fund: FundRow;
    registries_property: PropertyRow;
    registries_penalty: PenaltyRow;
    registries_criminal: { person_id: string; recorded_on: string };
  }
}

/** Rows per multi-row insert, well under SQLite's parameter limit for these narrow tables. */
const CHUNK = 500;

const insurance = (r: InsuranceRow): InsurancePeriod => ({ personId: r.person_id, employerUscc: r.employer_uscc, fromMonth: r.from_month, toMonth: r.to_month, base: Number(r.base), kinds: r.kinds });
const incomeTax = (r: IncomeTaxRow): IncomeTaxYear => ({ personId: r.person_id, year: Number(r.year), months: Number(r.months), income: Number(r.income), tax: Number(r.tax), withholderUscc: r.withholder_uscc });
const entityTax = (r: EntityTaxRow): EntityTaxYear => ({ uscc: r.uscc, year: Number(r.year), vat: Number(r.vat), incomeTax: Number(r.income_tax), other: Number(r.other), owed: Number(r.owed) });
const fund = (r: FundRow): FundPeriod => ({ personId: r.person_id, accountNo: r.account_no, employerUscc: r.employer_uscc, fromMonth: r.from_month, toMonth: r.to_month, base: Number(r.base), rate: Number(r.rate) });
const property = (r: PropertyRow): Property => ({ certificateNo: r.certificate_no, ownerId: r.owner_id, addressId: r.address_id, area: Number(r.area), use: r.use, share: r.share, registeredOn: r.registered_on });
const penalty = (r: PenaltyRow): Penalty => ({ uscc: r.uscc, decidedOn: r.decided_on, departmentCode: r.department_code, matter: r.matter, amount: Number(r.amount) });

/** All SQL of the business records. */
export class RecordsStore {
  /** Writes generated records; existing keys are left as they are (a second seed adds nothing). */
  async insert(tx: Executor, r: BusinessRecords, onRows: (n: number) => void): Promise<number> {
    let n = 0;
    const put = async <T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await write(chunk);
        n += chunk.length;
        onRows(n);
      }
    };
    await put(r.insurance.map((x) => ({ person_id: x.personId, from_month: x.fromMonth, to_month: x.toMonth, employer_uscc: x.employerUscc, base: x.base, kinds: x.kinds })), (c) =>
      tx.insertInto('registries_insurance').values(c).onConflict((oc) => oc.columns(['person_id', 'from_month']).doNothing()).execute());
    await put(r.incomeTax.map((x) => ({ person_id: x.personId, year: x.year, months: x.months, income: x.income, tax: x.tax, withholder_uscc: x.withholderUscc })), (c) =>
      tx.insertInto('registries_income_tax').values(c).onConflict((oc) => oc.columns(['person_id', 'year']).doNothing()).execute());
    await put(r.entityTax.map((x) => ({ uscc: x.uscc, year: x.year, vat: x.vat, income_tax: x.incomeTax, other: x.other, owed: x.owed })), (c) =>
      tx.insertInto('registries_entity_tax').values(c).onConflict((oc) => oc.columns(['uscc', 'year']).doNothing()).execute());
    await put(r.fund.map((x) => ({ person_id: x.personId, from_month: x.fromMonth, to_month: x.toMonth, account_no: x.accountNo, employer_uscc: x.employerUscc, base: x.base, rate: x.rate })), (c) =>
      tx.insertInto('registries_fund').values(c).onConflict((oc) => oc.columns(['person_id', 'from_month']).doNothing()).execute());
    await put(r.properties.map((x) => ({ certificate_no: x.certificateNo, owner_id: x.ownerId, address_id: x.addressId, area: x.area, use: x.use, share: x.share, registered_on: x.registeredOn })), (c) =>
      tx.insertInto('registries_property').values(c).onConflict((oc) => oc.columns(['owner_id', 'certificate_no']).doNothing()).execute());
    await put(r.penalties.map((x) => ({ uscc: x.uscc, decided_on: x.decidedOn, department_code: x.departmentCode, matter: x.matter, amount: x.amount })), (c) =>
      tx.insertInto('registries_penalty').values(c).onConflict((oc) => oc.columns(['uscc', 'decided_on', 'matter']).doNothing()).execute());
    await put(r.criminal.map((x) => ({ person_id: x.personId, recorded_on: x.recordedOn })), (c) =>
      tx.insertInto('registries_criminal').values(c).onConflict((oc) => oc.column('person_id').doNothing()).execute());
    return n;
  }

  async insurance(db: Executor, personId: string): Promise<InsurancePeriod[]> {
    return (await db.selectFrom('registries_insurance').selectAll().where('person_id', '=', personId).orderBy('from_month').execute()).map(insurance);
  }

  /** Persons contributing through an employer now (to_month null). */
  async insuredBy(db: Executor, uscc: string): Promise<InsurancePeriod[]> {
    return (await db.selectFrom('registries_insurance').selectAll().where('employer_uscc', '=', uscc).where('to_month', 'is', null).orderBy('person_id').execute()).map(insurance);
  }

  async incomeTax(db: Executor, personId: string): Promise<IncomeTaxYear[]> {
    return (await db.selectFrom('registries_income_tax').selectAll().where('person_id', '=', personId).orderBy('year').execute()).map(incomeTax);
  }

  async entityTax(db: Executor, uscc: string): Promise<EntityTaxYear[]> {
    return (await db.selectFrom('registries_entity_tax').selectAll().where('uscc', '=', uscc).orderBy('year').execute()).map(entityTax);
  }

  async fund(db: Executor, personId: string): Promise<FundPeriod[]> {
    return (await db.selectFrom('registries_fund').selectAll().where('person_id', '=', personId).orderBy('from_month').execute()).map(fund);
  }

  async properties(db: Executor, ownerId: string): Promise<Property[]> {
    return (await db.selectFrom('registries_property').selectAll().where('owner_id', '=', ownerId).orderBy('registered_on').orderBy('certificate_no').execute()).map(property);
  }

  /** The co-owners' names of a property certificate, other than `ownerId`. */
  async coOwners(db: Executor, certificateNo: string, ownerId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('registries_property as r')
      .innerJoin('registries_person as p', 'p.id_number', 'r.owner_id')
      .select('p.name')
      .where('r.certificate_no', '=', certificateNo)
      .where('r.owner_id', '<>', ownerId)
      .orderBy('p.name')
      .execute();
    return rows.map((r) => r.name);
  }

  async penalties(db: Executor, uscc: string): Promise<Penalty[]> {
    return (await db.selectFrom('registries_penalty').selectAll().where('uscc', '=', uscc).orderBy('decided_on', 'desc').execute()).map(penalty);
  }

  async hasCriminalRecord(db: Executor, personId: string): Promise<boolean> {
    return (await db.selectFrom('registries_criminal').select('person_id').where('person_id', '=', personId).executeTakeFirst()) !== undefined;
  }
}
