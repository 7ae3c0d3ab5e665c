import type { AppContext } from '../../platform/context.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { RegistryStore } from './registry.store.ts';
import { RegistryReports } from './reports.ts';
import { LICENCE_TYPES } from './licence-types.ts';
import type { Address, Entity, EntityTaxYear, FundPeriod, HolderKind, IncomeTaxYear, InsurancePeriod, Licence, Penalty, Person, Property, Registries, Relation } from './registry.types.ts';

/** A field value as the exchange hands it out: registries hold strings and numbers only. */
export type FieldValue = string | number | null;

/** One subject's record from one source, flattened to named fields, with where the subject belongs. */
export interface SubjectRecord {
  subjectKind: HolderKind | 'address';
  subjectId: string;
  /** The subject's jurisdiction (residence, registered address, or the address's own). */
  jurisdictionCode: string;
  values: Record<string, FieldValue>;
}

/**
 * Where a resource's fields come from. `person`, `entity`, `address` are the base records;
 * `marriage` the 民政 marriage record; `licence:<type>` the holder's current licence of that type.
 */
export type RegistrySource = 'person' | 'entity' | 'address' | 'marriage' | `licence:${string}`;

/** What the portal shows a resident or company: the records the government holds about them. */
export interface MyData {
  subjectKind: HolderKind;
  subjectId: string;
  person: (Person & { hukouAddress: Address | null; residenceAddress: Address | null; family: Array<{ relation: string; name: string; idNumber: string }> }) | null;
  entity: (Entity & { address: Address | null }) | null;
  /** Companies the person legally represents. */
  represents: Array<{ uscc: string; name: string }>;
  licences: Licence[];
}

/** A resident's records across the registries and departments, as certificates draw on them. */
export interface PersonFile {
  person: Person;
  hukouAddress: Address | null;
  residenceAddress: Address | null;
  family: Array<{ relation: Relation; name: string; idNumber: string }>;
  licences: Licence[];
  insurance: InsurancePeriod[];
  incomeTax: IncomeTaxYear[];
  fund: FundPeriod[];
  properties: Array<Property & { address: Address | null; coOwners: string[] }>;
  /** True when a record stops 无犯罪记录证明 being issued online; what the record is never leaves the registries. */
  criminalRecord: boolean;
  /** Names of the entities the records name (employers, withholding agents), by credit code, where the registry holds them. */
  entityNames: Record<string, string>;
}

/** A legal entity's records across the registries and departments. */
export interface EntityFile {
  entity: Entity;
  address: Address | null;
  licences: Licence[];
  taxes: EntityTaxYear[];
  penalties: Penalty[];
  /** Contribution periods running now through this employer. */
  insured: InsurancePeriod[];
}

/** The licence the holder can use now: the newest valid one, else the newest of any status. */
export function currentLicence(list: Licence[]): Licence | null {
  return list.find((l) => l.status === 'valid') ?? list[0] ?? null;
}

/**
 * The base registries (人口库, 法人库, 地址库, 电子证照库). Departments never read them directly: the
 * exchange reads them through `record()` under a grant. Residents and companies read their own.
 */
export class RegistryService {
  /** Reports of wrong registry data and the source departments' answers. */
  readonly reports: RegistryReports;

  constructor(
    private readonly ctx: AppContext,
    readonly store: RegistryStore,
  ) {
    this.reports = new RegistryReports(ctx, store, (id) => this.subjectOf(id));
  }

  /**
   * Who keeps a source's data and what its subjects are, or null for an unknown source: only the
   * keeper may publish a resource drawing on it (公安 the population, 民政 marriages, 规划资源 the
   * addresses, 市场监管 the entities, each licence's issuer its licences).
   */
  sourceInfo(source: string): { owner: string; subjectKind: HolderKind | 'address' } | null {
    const fixed: Record<string, { owner: string; subjectKind: HolderKind | 'address' }> = {
      person: { owner: 'ga', subjectKind: 'person' },
      marriage: { owner: 'mz', subjectKind: 'person' },
      address: { owner: 'ghzy', subjectKind: 'address' },
      entity: { owner: 'scjg', subjectKind: 'entity' },
    };
    if (fixed[source]) return fixed[source]!;
    const type = source.startsWith('licence:') ? LICENCE_TYPES[source.slice('licence:'.length)] : undefined;
    return type ? { owner: type.issuerCode, subjectKind: type.holderKind } : null;
  }

  /** Loads generated registries in one transaction (idempotent by key). */
  async load(r: Registries, onRows: (n: number) => void = () => {}): Promise<number> {
    return this.ctx.transaction((tx) => this.store.insert(tx, r, onRows));
  }

  /** Says which resident or company an account is (实名绑定), replacing an earlier binding. */
  async bind(accountId: string, subjectKind: HolderKind, subjectId: string): Promise<void> {
    await this.ctx.transaction(async (tx) => {
      await this.store.bind(tx, { account_id: accountId, subject_kind: subjectKind, subject_id: subjectId, bound_at: this.ctx.clock.now() });
      await this.ctx.audit.record(tx, { actorId: null, action: 'registries.binding.set', subjectType: 'account', subjectId: accountId, detail: { subjectKind } });
    });
  }

  /** The resident or company an account is, or null when the account is not bound. */
  async subjectOf(accountId: string): Promise<{ kind: HolderKind; id: string } | null> {
    const b = await this.store.binding(this.ctx.db, accountId);
    return b ? { kind: b.subject_kind, id: b.subject_id } : null;
  }

  /** One subject's fields from one source, or null when the registry has no such subject. */
  async record(source: RegistrySource, subjectId: string): Promise<SubjectRecord | null> {
    const db = this.ctx.db;
    if (source === 'person' || source === 'marriage') {
      const p = await this.store.person(db, subjectId);
      if (!p) return null;
      if (source === 'marriage') {
        const cert = currentLicence(await this.store.licences(db, subjectId, 'marriage_certificate'));
        const married = p.maritalStatus === 'married' && cert?.status === 'valid';
        return {
          subjectKind: 'person', subjectId, jurisdictionCode: p.jurisdictionCode,
          values: {
            name: p.name, idNumber: p.idNumber, maritalStatus: p.maritalStatus,
            spouseName: married ? str(cert.data.spouseName) : null, spouseIdNumber: married ? str(cert.data.spouseIdNumber) : null,
            registeredOn: married ? str(cert.data.registeredOn) : null, certificateNumber: cert?.number ?? null,
          },
        };
      }
      const addrs = await this.store.addresses(db, [p.hukouAddressId, p.residenceAddressId]);
      return {
        subjectKind: 'person', subjectId, jurisdictionCode: p.jurisdictionCode,
        values: {
          idNumber: p.idNumber, name: p.name, nameEn: p.nameEn, sex: p.sex, birthDate: p.birthDate, ethnicity: p.ethnicity, phone: p.phone,
          hukouAddress: addrs.get(p.hukouAddressId)?.full ?? null, residenceAddress: addrs.get(p.residenceAddressId)?.full ?? null,
          education: p.education, maritalStatus: p.maritalStatus,
        },
      };
    }
    if (source === 'entity') {
      const e = await this.store.entity(db, subjectId);
      if (!e) return null;
      const a = await this.store.address(db, e.addressId);
      return {
        subjectKind: 'entity', subjectId, jurisdictionCode: e.jurisdictionCode,
        values: {
          uscc: e.uscc, name: e.name, nameEn: e.nameEn, type: e.type, legalRepresentative: e.legalRepresentative, legalRepresentativeId: e.legalRepresentativeId,
          registeredCapital: e.registeredCapital, establishedOn: e.establishedOn, address: a?.full ?? null, businessScope: e.businessScope, industry: e.industry, status: e.status,
        },
      };
    }
    if (source === 'address') {
      const a = await this.store.address(db, subjectId);
      if (!a) return null;
      return {
        subjectKind: 'address', subjectId, jurisdictionCode: a.jurisdictionCode,
        values: { full: a.full, districtCode: a.districtCode, streetCode: a.streetCode, road: a.road, number: a.number, compound: a.compound, building: a.building, unit: a.unit, room: a.room, lon: a.lon, lat: a.lat, jurisdictionCode: a.jurisdictionCode },
      };
    }
    if (source.startsWith('licence:')) {
      const type = source.slice('licence:'.length);
      const l = currentLicence(await this.store.licences(db, subjectId, type));
      if (!l) return null;
      const holder = l.holderKind === 'person' ? await this.store.person(db, l.holderId) : await this.store.entity(db, l.holderId);
      const data: Record<string, FieldValue> = {};
      for (const [k, v] of Object.entries(l.data)) data[k] = v;
      return {
        subjectKind: l.holderKind, subjectId, jurisdictionCode: holder?.jurisdictionCode ?? '310000',
        values: { ...data, licenceId: l.id, number: l.number, holderName: holder?.name ?? null, issuerCode: l.issuerCode, issuedOn: l.issuedOn, validFrom: l.validFrom, validUntil: l.validUntil, status: l.status },
      };
    }
    throw new AppError('FIELD_INVALID', `unknown registry source ${source}`, 'source');
  }

  /**
   * A resident's file for another module's service (the certificates), which has checked that the
   * asker is this resident; null when the registry holds no such person.
   */
  async personFile(idNumber: string): Promise<PersonFile | null> {
    const db = this.ctx.db;
    const rec = this.store.records;
    const person = await this.store.person(db, idNumber);
    if (!person) return null;
    const [family, licences, insurance, incomeTax, fund, owned, criminalRecord] = await Promise.all([
      this.store.family(db, idNumber), this.store.licences(db, idNumber), rec.insurance(db, idNumber), rec.incomeTax(db, idNumber), rec.fund(db, idNumber),
      rec.properties(db, idNumber), rec.hasCriminalRecord(db, idNumber),
    ]);
    const addrs = await this.store.addresses(db, [person.hukouAddressId, person.residenceAddressId, ...owned.map((o) => o.addressId)]);
    const properties = await Promise.all(owned.map(async (o) => ({ ...o, address: addrs.get(o.addressId) ?? null, coOwners: await rec.coOwners(db, o.certificateNo, idNumber) })));
    const codes = new Set([...insurance.map((i) => i.employerUscc), ...fund.map((f) => f.employerUscc), ...incomeTax.map((t) => t.withholderUscc), person.employerUscc]);
    const entityNames: Record<string, string> = {};
    for (const code of codes) {
      const e = code ? await this.store.entity(db, code) : null;
      if (e) entityNames[e.uscc] = e.name;
    }
    return {
      person, hukouAddress: addrs.get(person.hukouAddressId) ?? null, residenceAddress: addrs.get(person.residenceAddressId) ?? null,
      family: family.map((f) => ({ relation: f.relation, name: f.name, idNumber: f.relatedId })), licences, insurance, incomeTax, fund, properties, criminalRecord, entityNames,
    };
  }

  /** An entity's file for another module's service, which has checked the asker; null when unknown. */
  async entityFile(uscc: string): Promise<EntityFile | null> {
    const db = this.ctx.db;
    const entity = await this.store.entity(db, uscc);
    if (!entity) return null;
    const [address, licences, taxes, penalties, insured] = await Promise.all([
      this.store.address(db, entity.addressId), this.store.licences(db, uscc), this.store.records.entityTax(db, uscc), this.store.records.penalties(db, uscc), this.store.records.insuredBy(db, uscc),
    ]);
    return { entity, address, licences, taxes, penalties, insured };
  }

  /** 我的数据: what the government holds about the signed-in resident or company. */
  async mine(p: Principal | null): Promise<MyData> {
    authorize(p, 'registries.read_own', { ownerId: p?.accountId ?? null });
    const subject = await this.subjectOf(p.accountId);
    if (!subject) throw new AppError('SUBJECT_NOT_BOUND');
    const db = this.ctx.db;
    const licences = await this.store.licences(db, subject.id);
    if (subject.kind === 'person') {
      const person = await this.store.person(db, subject.id);
      if (!person) throw new AppError('SUBJECT_NOT_BOUND', 'The registry holds no resident with your identity number');
      const addrs = await this.store.addresses(db, [person.hukouAddressId, person.residenceAddressId]);
      const family = (await this.store.family(db, subject.id)).map((f) => ({ relation: f.relation, name: f.name, idNumber: f.relatedId }));
      const represents = (await this.store.entitiesRepresentedBy(db, subject.id)).map((e) => ({ uscc: e.uscc, name: e.name }));
      return {
        subjectKind: 'person', subjectId: subject.id, entity: null, represents, licences,
        person: { ...person, hukouAddress: addrs.get(person.hukouAddressId) ?? null, residenceAddress: addrs.get(person.residenceAddressId) ?? null, family },
      };
    }
    const entity = await this.store.entity(db, subject.id);
    if (!entity) throw new AppError('SUBJECT_NOT_BOUND', 'The registry holds no company with your credit code');
    return { subjectKind: 'entity', subjectId: subject.id, person: null, represents: [], licences, entity: { ...entity, address: await this.store.address(db, entity.addressId) } };
  }
}

const str = (v: string | number | undefined): string | null => (v === undefined ? null : String(v));
