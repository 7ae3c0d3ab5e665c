import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { FormCatalogue, ItemForm } from './forms.ts';

/**
 * Auto-fill (免填): a form field that is the applicant's own datum (`registry` in
 * data/services/forms.json, `x-registry` in the served schema) is filled from the applicant's record
 * in the base registries and locked. The registry is the source: a wrong value is reported to the
 * department that keeps it (数据纠错, POST /api/registries/me/reports), never edited in a form, and a
 * write that changes a locked field is refused (FIELD_LOCKED) rather than quietly dropped.
 */

/**
 * The registry fields a form may draw on: `<record>.<field>` of the applicant's own record, the
 * department that keeps the value, and whether 数据纠错 takes reports on it (the registries'
 * REPORTABLE list; identity numbers and credit codes are corrected by their issuer in person).
 */
export const REGISTRY_FIELDS: Record<string, { department: string; reportable: boolean }> = {
  'person.name': { department: 'ga', reportable: true },
  'person.idNumber': { department: 'ga', reportable: false },
  'person.phone': { department: 'ga', reportable: true },
  'person.residenceAddress': { department: 'ga', reportable: true },
  'person.hukouAddress': { department: 'ga', reportable: true },
  'entity.name': { department: 'scjg', reportable: true },
  'entity.uscc': { department: 'scjg', reportable: false },
  'entity.legalRepresentative': { department: 'scjg', reportable: true },
  'entity.legalRepresentativeId': { department: 'scjg', reportable: false },
  'entity.address': { department: 'scjg', reportable: true },
};

/** A field filled from the registries: where its value comes from and who to tell when it is wrong. */
export interface LockedField {
  /** `person.name`, `entity.uscc`, … */
  source: string;
  /** The kind of record (person: 人口库, entity: 法人库). */
  record: 'person' | 'entity';
  /** The field of the record, as 数据纠错 names it. */
  field: string;
  departmentCode: string;
  departmentName: string;
  departmentNameEn: string;
  /** Whether POST /api/registries/me/reports takes a report on this field. */
  reportable: boolean;
}

/** What the registries fill in for one applicant on one form. */
export interface Prefill {
  values: Record<string, string | number>;
  locked: Record<string, LockedField>;
}

export const NO_PREFILL: Prefill = { values: {}, locked: {} };

/** The part of the registries service auto-fill reads (absent when that module is not composed). */
interface Registries {
  subjectOf(accountId: string): Promise<{ kind: 'person' | 'entity'; id: string } | null>;
  record(source: 'person' | 'entity', subjectId: string): Promise<{ values: Record<string, string | number | null> } | null>;
}

/** Throws at start-up on a form field drawing on a registry field auto-fill does not know. */
export function checkSources(sources: Record<string, string>): void {
  for (const [id, source] of Object.entries(sources)) {
    if (!REGISTRY_FIELDS[source]) throw new Error(`data/services/forms.json: field ${id} draws on unknown registry field ${source} (known: ${Object.keys(REGISTRY_FIELDS).join(', ')})`);
  }
}

export class AutoFill {
  private readonly names = new Map<string, { zh: string; en: string }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly forms: FormCatalogue,
  ) {
    checkSources(forms.allRegistrySources());
  }

  /**
   * The values the applicant's own record gives this form, and the fields they lock. Nothing for an
   * account not bound to a record, or for fields about another kind of record (a person's account
   * fills no company fields); a value the registry does not hold leaves its field editable.
   */
  async prefill(accountId: string, form: ItemForm): Promise<Prefill> {
    const sources = Object.entries(this.forms.registrySources(form));
    const registries = (this.ctx.services as unknown as { registries?: Registries }).registries;
    if (!sources.length || !registries) return NO_PREFILL;
    const subject = await registries.subjectOf(accountId);
    if (!subject || !sources.some(([, s]) => s.startsWith(`${subject.kind}.`))) return NO_PREFILL;
    const record = await registries.record(subject.kind, subject.id);
    if (!record) return NO_PREFILL;
    const out: Prefill = { values: {}, locked: {} };
    for (const [id, source] of sources) {
      const [kind, field] = source.split('.') as ['person' | 'entity', string];
      const value = kind === subject.kind ? record.values[field] : null;
      if (value === null || value === undefined || value === '') continue;
      const def = REGISTRY_FIELDS[source]!;
      const dept = await this.department(def.department);
      out.values[id] = value;
      out.locked[id] = { source, record: kind, field, departmentCode: def.department, departmentName: dept.zh, departmentNameEn: dept.en, reportable: def.reportable };
    }
    return out;
  }

  /**
   * Refuses a write that changes a locked field: FIELD_LOCKED naming the first, with every one in
   * `errors`. A locked field sent with its registry value, or left out (or empty), is no change.
   */
  assertUnchanged(prefill: Prefill, given: Record<string, unknown> | undefined, prefix = 'form'): void {
    if (!given) return;
    const changed = Object.entries(prefill.locked).filter(([id]) => {
      const v = given[id];
      return v !== undefined && v !== null && v !== '' && String(v) !== String(prefill.values[id]);
    });
    if (!changed.length) return;
    const reason = (l: LockedField) => `comes from the ${l.record === 'person' ? 'population' : 'legal-entity'} registry (${l.departmentName}) and is not changed in a form${l.reportable ? '; report a wrong value to that department (POST /api/registries/me/reports)' : ''}`;
    const errors = changed.map(([id, l]) => ({ field: `${prefix}.${id}`, reason: reason(l), source: l.source, department: l.departmentCode }));
    const first = errors[0]!;
    throw new AppError('FIELD_LOCKED', `${first.field} ${first.reason}`, first.field, { errors });
  }

  private async department(code: string): Promise<{ zh: string; en: string }> {
    let d = this.names.get(code);
    if (!d) {
      const found = await this.ctx.services.departments.find(code);
      d = { zh: found?.name ?? code, en: found?.nameEn ?? code };
      if (found) this.names.set(code, d);
    }
    return d;
  }
}
