import type { Executor } from '../../platform/db/database.ts';
import { fromJson, toJson } from '../../platform/db/dialect.ts';
import type { Address, Entity, FamilyLink, HolderKind, Licence, Person, Registries } from './registry.types.ts';
import { RecordsStore } from './records.store.ts';

interface AddressRow {
  id: string;
  district_code: string;
  street_code: string;
  jurisdiction_code: string;
  road: string;
  road_en: string;
  number: string;
  compound: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  full: string;
  lon: number;
  lat: number;
}
interface PersonRow {
  id_number: string;
  name: string;
  name_en: string;
  sex: string;
  birth_date: string;
  ethnicity: string;
  phone: string;
  hukou_address_id: string;
  residence_address_id: string;
  jurisdiction_code: string;
  marital_status: string;
  education: string;
  employer_uscc: string | null;
}
interface EntityRow {
  uscc: string;
  name: string;
  name_en: string;
  type: string;
  legal_representative: string;
  legal_representative_id: string;
  registered_capital: number | null;
  established_on: string;
  address_id: string;
  jurisdiction_code: string;
  business_scope: string;
  industry: string;
  status: string;
}
interface LicenceRow {
  id: string;
  type: string;
  holder_kind: string;
  holder_id: string;
  number: string;
  issuer_code: string;
  issued_on: string;
  valid_from: string;
  valid_until: string | null;
  status: string;
  data: unknown;
}
export interface BindingRow {
  account_id: string;
  subject_kind: HolderKind;
  subject_id: string;
  bound_at: number;
}

/** A report that a registry value is wrong (数据纠错). */
export interface ReportRow {
  id: string;
  account_id: string;
  subject_kind: string;
  subject_id: string;
  field: string;
  proposed: string;
  reason: string;
  department_code: string;
  /** open, corrected, rejected. */
  status: string;
  reply: string | null;
  resolved_by: string | null;
  resolved_at: number | null;
  created_at: number;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    registries_report: ReportRow;
    registries_address: AddressRow;
    registries_person: PersonRow;
    registries_family: { person_id: string; related_id: string; relation: string };
    registries_entity: EntityRow;
    registries_licence: LicenceRow;
    registries_binding: BindingRow;
  }
}

const addressRow = (a: Address): AddressRow => ({
  id: a.id, district_code: a.districtCode, street_code: a.streetCode, jurisdiction_code: a.jurisdictionCode, road: a.road, road_en: a.roadEn,
  number: a.number, compound: a.compound, building: a.building, unit: a.unit, room: a.room, full: a.full, lon: a.lon, lat: a.lat,
});
const address = (r: AddressRow): Address => ({
  id: r.id, districtCode: r.district_code, streetCode: r.street_code, jurisdictionCode: r.jurisdiction_code, road: r.road, roadEn: r.road_en,
  number: r.number, compound: r.compound, building: r.building, unit: r.unit, room: r.room, full: r.full, lon: Number(r.lon), lat: Number(r.lat),
});
const personRow = (p: Person): PersonRow => ({
  id_number: p.idNumber, name: p.name, name_en: p.nameEn, sex: p.sex, birth_date: p.birthDate, ethnicity: p.ethnicity, phone: p.phone,
  hukou_address_id: p.hukouAddressId, residence_address_id: p.residenceAddressId, jurisdiction_code: p.jurisdictionCode,
  marital_status: p.maritalStatus, education: p.education, employer_uscc: p.employerUscc,
});
const person = (r: PersonRow): Person => ({
  idNumber: r.id_number, name: r.name, nameEn: r.name_en, sex: r.sex as Person['sex'], birthDate: r.birth_date, ethnicity: r.ethnicity, phone: r.phone,
  hukouAddressId: r.hukou_address_id, residenceAddressId: r.residence_address_id, jurisdictionCode: r.jurisdiction_code,
  maritalStatus: r.marital_status as Person['maritalStatus'], education: r.education, employerUscc: r.employer_uscc,
});
const entityRow = (e: Entity): EntityRow => ({
  uscc: e.uscc, name: e.name, name_en: e.nameEn, type: e.type, legal_representative: e.legalRepresentative, legal_representative_id: e.legalRepresentativeId,
  registered_capital: e.registeredCapital, established_on: e.establishedOn, address_id: e.addressId, jurisdiction_code: e.jurisdictionCode,
  business_scope: e.businessScope, industry: e.industry, status: e.status,
});
const entity = (r: EntityRow): Entity => ({
  uscc: r.uscc, name: r.name, nameEn: r.name_en, type: r.type, legalRepresentative: r.legal_representative, legalRepresentativeId: r.legal_representative_id,
  registeredCapital: r.registered_capital === null ? null : Number(r.registered_capital), establishedOn: r.established_on, addressId: r.address_id,
  jurisdictionCode: r.jurisdiction_code, businessScope: r.business_scope, industry: r.industry, status: r.status as Entity['status'],
});
const licenceRow = (l: Licence): LicenceRow => ({
  id: l.id, type: l.type, holder_kind: l.holderKind, holder_id: l.holderId, number: l.number, issuer_code: l.issuerCode, issued_on: l.issuedOn,
  valid_from: l.validFrom, valid_until: l.validUntil, status: l.status, data: toJson(l.data),
});
const licence = (r: LicenceRow): Licence => ({
  id: r.id, type: r.type, holderKind: r.holder_kind as HolderKind, holderId: r.holder_id, number: r.number, issuerCode: r.issuer_code, issuedOn: r.issued_on,
  validFrom: r.valid_from, validUntil: r.valid_until, status: r.status as Licence['status'], data: fromJson(r.data),
});

/** Rows per multi-row insert: SQLite allows 32,766 parameters and the widest table has 15 columns. */
const CHUNK = 400;

/** All SQL of the registries. */
export class RegistryStore {
  /** The departments' business records (social insurance, tax, fund, property, …). */
  readonly records = new RecordsStore();

  /**
   * Writes generated registries; rows whose key already exists are left as they are, so a second
   * seed run adds nothing and records a department corrected since are not overwritten.
   */
  async insert(tx: Executor, r: Registries, onRows: (n: number) => void = () => {}): Promise<number> {
    let n = 0;
    const put = async <T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await write(chunk);
        n += chunk.length;
        onRows(n);
      }
    };
    await put(r.addresses.map(addressRow), (c) => tx.insertInto('registries_address').values(c).onConflict((oc) => oc.column('id').doNothing()).execute());
    await put(r.persons.map(personRow), (c) => tx.insertInto('registries_person').values(c).onConflict((oc) => oc.column('id_number').doNothing()).execute());
    await put(r.families.map((f) => ({ person_id: f.personId, related_id: f.relatedId, relation: f.relation })), (c) =>
      tx.insertInto('registries_family').values(c).onConflict((oc) => oc.columns(['person_id', 'related_id']).doNothing()).execute(),
    );
    await put(r.entities.map(entityRow), (c) => tx.insertInto('registries_entity').values(c).onConflict((oc) => oc.column('uscc').doNothing()).execute());
    await put(r.licences.map(licenceRow), (c) => tx.insertInto('registries_licence').values(c).onConflict((oc) => oc.column('id').doNothing()).execute());
    if (r.records) {
      const before = n;
      n += await this.records.insert(tx, r.records, (m) => onRows(before + m));
    }
    return n;
  }

  async person(db: Executor, idNumber: string): Promise<Person | null> {
    const r = await db.selectFrom('registries_person').selectAll().where('id_number', '=', idNumber).executeTakeFirst();
    return r ? person(r) : null;
  }

  async entity(db: Executor, uscc: string): Promise<Entity | null> {
    const r = await db.selectFrom('registries_entity').selectAll().where('uscc', '=', uscc).executeTakeFirst();
    return r ? entity(r) : null;
  }

  async address(db: Executor, id: string): Promise<Address | null> {
    const r = await db.selectFrom('registries_address').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? address(r) : null;
  }

  async addresses(db: Executor, ids: string[]): Promise<Map<string, Address>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('registries_address').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, address(r)]));
  }

  async family(db: Executor, idNumber: string): Promise<Array<FamilyLink & { name: string }>> {
    const rows = await db
      .selectFrom('registries_family as f')
      .innerJoin('registries_person as p', 'p.id_number', 'f.related_id')
      .select(['f.person_id', 'f.related_id', 'f.relation', 'p.name'])
      .where('f.person_id', '=', idNumber)
      .orderBy('f.related_id')
      .execute();
    return rows.map((r) => ({ personId: r.person_id, relatedId: r.related_id, relation: r.relation as FamilyLink['relation'], name: r.name }));
  }

  async licences(db: Executor, holderId: string, type?: string): Promise<Licence[]> {
    let q = db.selectFrom('registries_licence').selectAll().where('holder_id', '=', holderId);
    if (type) q = q.where('type', '=', type);
    return (await q.orderBy('valid_from', 'desc').orderBy('id').execute()).map(licence);
  }

  async entitiesRepresentedBy(db: Executor, idNumber: string): Promise<Entity[]> {
    return (await db.selectFrom('registries_entity').selectAll().where('legal_representative_id', '=', idNumber).orderBy('uscc').execute()).map(entity);
  }

  async counts(db: Executor): Promise<Record<'persons' | 'entities' | 'addresses' | 'licences', number>> {
    const n = async (t: 'registries_person' | 'registries_entity' | 'registries_address' | 'registries_licence') =>
      Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { persons: await n('registries_person'), entities: await n('registries_entity'), addresses: await n('registries_address'), licences: await n('registries_licence') };
  }

  async binding(db: Executor, accountId: string): Promise<BindingRow | null> {
    return (await db.selectFrom('registries_binding').selectAll().where('account_id', '=', accountId).executeTakeFirst()) ?? null;
  }

  async insertReport(db: Executor, row: ReportRow): Promise<void> {
    await db.insertInto('registries_report').values(row).execute();
  }

  async report(db: Executor, id: string): Promise<ReportRow | null> {
    return (await db.selectFrom('registries_report').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async reportsOf(db: Executor, accountId: string): Promise<ReportRow[]> {
    return db.selectFrom('registries_report').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
  }

  async reportsFor(db: Executor, departmentCode: string, status?: string): Promise<ReportRow[]> {
    let q = db.selectFrom('registries_report').selectAll().where('department_code', '=', departmentCode);
    if (status) q = q.where('status', '=', status);
    return q.orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
  }

  /** Answers an open report; false when it was answered meanwhile. */
  async resolveReport(db: Executor, row: ReportRow): Promise<boolean> {
    const r = await db
      .updateTable('registries_report')
      .set({ status: row.status, reply: row.reply, resolved_by: row.resolved_by, resolved_at: row.resolved_at })
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async bind(db: Executor, row: BindingRow): Promise<void> {
    await db
      .insertInto('registries_binding')
      .values(row)
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ subject_kind: row.subject_kind, subject_id: row.subject_id, bound_at: row.bound_at }))
      .execute();
  }
}
