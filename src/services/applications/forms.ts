import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AppError } from '../../platform/errors.ts';

/**
 * Application forms (申请表), as data: a dictionary of fields shared by every item
 * (data/services/forms.json), and per item the fields it asks for, which are required, how they
 * are grouped and the review steps after acceptance. A field means the same datum everywhere
 * (`premises.address` is the premises' address in every form), which is what lets a bundle ask a
 * field once for all its items. Items without a form of their own get one from their applicants.
 */

export interface Option {
  value: string;
  zh: string;
  en: string;
}

export interface FieldDef {
  zh: string;
  en: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  options?: Option[];
  widget?: string;
  unit?: string;
  unitEn?: string;
  helpZh?: string;
  helpEn?: string;
  /**
   * Where the value comes from when it is the applicant's own datum: `<registry>.<field>` of the
   * applicant's record in the base registries (`person.name`, `entity.uscc`; see autofill.ts).
   * Filled in and locked for an applicant bound to such a record; an ordinary field otherwise.
   */
  registry?: string;
}

export interface Group {
  zh: string;
  en: string;
  fields: string[];
}

export interface Step {
  zh: string;
  en: string;
}

/** One item's form, resolved: presets expanded, groups and steps filled in. */
export interface ItemForm {
  code: string;
  fields: string[];
  required: string[];
  groups: Group[];
  steps: Step[];
  /** The form founds a new company: its company fields describe that one, not the applicant's own. */
  newEntity?: boolean;
}

interface FormsFile {
  fields: Record<string, FieldDef>;
  presets: Record<string, string[]>;
  items: Record<string, { fields: string[]; preset?: string; required?: string[]; groups?: Group[]; steps?: Step[]; newEntity?: boolean }>;
}

/** What the forms need to know about an item to build its default form and steps. */
export interface ItemFacts {
  code: string;
  applicants: string[];
  kind: string;
  inspections: number;
}

/** The JSON Schema of a form with its layout hints: what the API serves and what a client renders. */
export interface FormView {
  schema: { type: 'object'; additionalProperties: false; required: string[]; properties: Record<string, Record<string, unknown>> };
  layout: { groups: Group[]; fields: Record<string, { zh: string; en: string; widget: string; unit?: string; unitEn?: string; helpZh?: string; helpEn?: string; options?: Option[] }> };
}

/** Every form routes its application by this field: the district whose office handles it. */
export const DISTRICT_FIELD = 'premises.district';
const DEFAULT_TAIL = [DISTRICT_FIELD, 'application.description'];

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/services/forms.json');
let file: FormsFile | null = null;
const readFile = (): FormsFile => (file ??= JSON.parse(fs.readFileSync(FILE, 'utf8')) as FormsFile);

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv, f: string[]) => void;

export class FormCatalogue {
  private readonly data = readFile();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv, ['date']);
  }

  private readonly built = new Map<string, ItemForm>();

  /** The item's form: its own, or one made from who may apply (built once per item). */
  form(item: ItemFacts): ItemForm {
    const key = `${item.code}|${item.applicants.join(',')}|${item.kind}|${item.inspections}`;
    let f = this.built.get(key);
    if (!f) this.built.set(key, (f = this.build(item)));
    return f;
  }

  private build(item: ItemFacts): ItemForm {
    const own = this.data.items[item.code];
    const preset = (name: string | undefined) => (name ? (this.data.presets[name] ?? []) : []);
    if (own) {
      const fields = unique([...preset(own.preset), ...own.fields]);
      for (const f of fields) if (!this.data.fields[f]) throw new Error(`data/services/forms.json: item ${item.code} asks for unknown field ${f}`);
      const required = unique([...(own.preset ? preset(own.preset) : []), ...(own.required ?? [])]).filter((f) => fields.includes(f));
      if (!required.includes(DISTRICT_FIELD) && fields.includes(DISTRICT_FIELD)) required.push(DISTRICT_FIELD);
      return { code: item.code, fields, required, groups: own.groups?.length ? own.groups : [{ zh: '申请信息', en: 'Application', fields }], steps: own.steps?.length ? own.steps : defaultSteps(item), newEntity: own.newEntity === true };
    }
    const who = item.applicants.includes('enterprise') && !item.applicants.includes('person') ? 'enterprise' : 'person';
    const head = preset(who);
    const fields = unique([...head, ...DEFAULT_TAIL]);
    return {
      code: item.code,
      fields,
      required: unique([...head, DISTRICT_FIELD]),
      groups: [
        { zh: who === 'person' ? '申请人信息' : '申请单位信息', en: who === 'person' ? 'Applicant' : 'Applying organisation', fields: head },
        { zh: '办理事项', en: 'The application', fields: DEFAULT_TAIL },
      ],
      steps: defaultSteps(item),
    };
  }

  /**
   * One form for several items (a bundle): each field once, required where any item requires it,
   * groups merged by their Chinese title in first-seen order. When one item founds a company, the
   * company fields of the whole form are that new company's.
   */
  merge(forms: ItemForm[]): ItemForm {
    const fields = unique(forms.flatMap((f) => f.fields));
    const required = unique(forms.flatMap((f) => f.required));
    const groups: Group[] = [];
    const placed = new Set<string>();
    for (const g of forms.flatMap((f) => f.groups)) {
      const fresh = g.fields.filter((x) => !placed.has(x));
      fresh.forEach((x) => placed.add(x));
      if (!fresh.length) continue;
      const same = groups.find((h) => h.zh === g.zh);
      if (same) same.fields.push(...fresh);
      else groups.push({ zh: g.zh, en: g.en, fields: fresh });
    }
    return { code: forms.map((f) => f.code).join('+'), fields, required, groups, steps: [], newEntity: forms.some((f) => f.newEntity) };
  }

  /** Checks one value against its field (a questionnaire answer that fills the field). */
  checkValue(field: string, value: unknown): void {
    this.check({ code: `field:${field}`, fields: [field], required: [], groups: [], steps: [] }, { [field]: value }, false);
  }

  /**
   * The registry source of each of the form's fields that is the applicant's own datum (field id →
   * `person.name`…). A form founding a company has no `entity.` sources: its company is a new one.
   */
  registrySources(form: ItemForm): Record<string, string> {
    const out: Record<string, string> = {};
    for (const id of form.fields) {
      const source = this.data.fields[id]?.registry;
      if (source && !(form.newEntity && source.startsWith('entity.'))) out[id] = source;
    }
    return out;
  }

  /** Every field of the dictionary drawing on the registries: field id → source. */
  allRegistrySources(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.data.fields).flatMap(([id, f]) => (f.registry ? [[id, f.registry]] : [])));
  }

  /** The form as JSON Schema with its layout; a field filled from the registries carries `x-registry`. */
  view(form: ItemForm): FormView {
    const properties: FormView['schema']['properties'] = {};
    const fields: FormView['layout']['fields'] = {};
    const sources = this.registrySources(form);
    for (const id of form.fields) {
      const f = this.data.fields[id]!;
      properties[id] = sources[id] ? { ...jsonSchemaOf(f), 'x-registry': sources[id] } : jsonSchemaOf(f);
      fields[id] = { zh: f.zh, en: f.en, widget: f.widget ?? defaultWidget(f), unit: f.unit, unitEn: f.unitEn, helpZh: f.helpZh, helpEn: f.helpEn, options: f.options };
    }
    return { schema: { type: 'object', additionalProperties: false, required: form.required, properties }, layout: { groups: form.groups, fields } };
  }

  /**
   * Checks form data. A draft may be incomplete (only what is there is checked); a submission must
   * be complete. Throws FIELD_INVALID / FIELD_REQUIRED naming the first problem as `form.<field>`,
   * with every problem in `errors`.
   */
  check(form: ItemForm, data: unknown, complete: boolean): Record<string, unknown> {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new AppError('FIELD_INVALID', 'form must be an object of field values', 'form');
    const key = `${form.code}|${complete}|${form.fields.join(',')}|${form.required.join(',')}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const view = this.view(form);
      validate = this.ajv.compile(complete ? view.schema : { ...view.schema, required: [] });
      this.compiled.set(key, validate);
    }
    const clean = Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([, v]) => v !== null && v !== ''));
    if (validate(clean)) return clean;
    const errors = (validate.errors ?? []).map((e) => describe(e, this.data.fields));
    const first = errors[0]!;
    throw new AppError(first.missing ? 'FIELD_REQUIRED' : 'FIELD_INVALID', `${first.field} ${first.reason}`, first.field, { errors });
  }
}

function describe(e: ErrorObject, defs: Record<string, FieldDef>): { field: string; reason: string; missing: boolean } {
  if (e.keyword === 'required') {
    const id = String((e.params as { missingProperty: string }).missingProperty);
    return { field: `form.${id}`, reason: `is required (${defs[id]?.zh ?? id})`, missing: true };
  }
  if (e.keyword === 'additionalProperties') {
    const id = String((e.params as { additionalProperty: string }).additionalProperty);
    return { field: `form.${id.slice(0, 60)}`, reason: 'is not a field of this form', missing: false };
  }
  const id = e.instancePath.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
  const def = defs[id];
  const reasons: Record<string, () => string> = {
    type: () => `must be ${(e.params as { type: string }).type}`,
    enum: () => `must be one of ${(def?.options ?? []).map((o) => o.value).join(', ')}`,
    maxLength: () => `must be at most ${(e.params as { limit: number }).limit} characters`,
    minLength: () => `must be at least ${(e.params as { limit: number }).limit} characters`,
    pattern: () => 'is not in the expected format',
    format: () => 'must be a date (YYYY-MM-DD)',
    minimum: () => `must be at least ${(e.params as { limit: number }).limit}`,
    maximum: () => `must be at most ${(e.params as { limit: number }).limit}`,
  };
  return { field: `form.${id}`, reason: `${reasons[e.keyword]?.() ?? e.message ?? 'is invalid'}${def ? ` (${def.zh})` : ''}`, missing: false };
}

function jsonSchemaOf(f: FieldDef): Record<string, unknown> {
  const s: Record<string, unknown> = { title: f.zh, description: f.en };
  if (f.type === 'date') Object.assign(s, { type: 'string', format: 'date' });
  else s.type = f.type;
  if (f.type === 'string') s.maxLength = f.maxLength ?? 200;
  if (f.minLength !== undefined) s.minLength = f.minLength;
  if (f.pattern) s.pattern = f.pattern;
  if (f.min !== undefined) s.minimum = f.min;
  if (f.max !== undefined) s.maximum = f.max;
  if (f.options?.length) s.enum = f.options.map((o) => o.value);
  return s;
}

function defaultWidget(f: FieldDef): string {
  if (f.options?.length) return 'select';
  if (f.type === 'boolean') return 'checkbox';
  if (f.type === 'date') return 'date';
  if (f.type === 'integer' || f.type === 'number') return 'number';
  return (f.maxLength ?? 200) > 200 ? 'textarea' : 'text';
}

/** Licensing is reviewed twice (and inspected on site where the item says so); other kinds once. */
function defaultSteps(item: ItemFacts): Step[] {
  if (item.kind !== 'licensing') return [{ zh: '审核', en: 'Review' }];
  const steps: Step[] = [{ zh: '初审', en: 'First review' }];
  if (item.inspections > 0) steps.push({ zh: '现场核查', en: 'On-site inspection' });
  steps.push({ zh: '审核决定', en: 'Decision' });
  return steps;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
