import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ComponentStore } from './component.store.ts';
import type { GeometryKind, TypeKind, TypeRow, TypeView } from './component.schema.ts';
import type { Executor } from '../../platform/db/database.ts';
import { fromJson, toBool } from '../../platform/db/dialect.ts';
import { invalid } from '../../platform/errors.ts';
import { Once } from '../../platform/once.ts';

/** GB/T 30428.2 large classes (大类); area and line objects sit in classes of their own. */
export interface ClassInfo {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The seed catalogue as committed in data/components/types.json. */
export interface SeedCatalogue {
  classes: ClassInfo[];
  types: Array<{
    code: string;
    classCode: string;
    nameZh: string;
    nameEn: string;
    geometry: GeometryKind;
    kind: TypeKind;
    ownerDepartment?: string | null;
    attributes: Record<string, unknown>;
    demoDensity?: number;
  }>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let catalogue: SeedCatalogue | null = null;

/** The committed catalogue (read once). */
export function seedCatalogue(): SeedCatalogue {
  catalogue ??= JSON.parse(fs.readFileSync(path.join(root, 'data/components/types.json'), 'utf8')) as SeedCatalogue;
  return catalogue;
}

/** A type held in memory with its compiled attribute validator. */
export interface LoadedType {
  row: TypeRow;
  view: TypeView;
  validate: ValidateFunction;
}

/** Ajv for attribute schemas: strict about schemas, so an administrator's typo is caught on save. */
function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true, coerceTypes: false, useDefaults: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv;
}

/** Turns Ajv's first error into a field path under `attributes` and a readable reason. */
export function attributeError(errors: ErrorObject[] | null | undefined): { field: string; reason: string } {
  const e = errors?.[0];
  if (!e) return { field: 'attributes', reason: 'do not match the type' };
  const pointer = e.instancePath.split('/').filter(Boolean).join('.');
  let field = pointer ? `attributes.${pointer}` : 'attributes';
  if (e.keyword === 'additionalProperties') field = `attributes.${(e.params as { additionalProperty: string }).additionalProperty}`;
  if (e.keyword === 'required') field = `attributes.${(e.params as { missingProperty: string }).missingProperty}`;
  const reason =
    e.keyword === 'additionalProperties' ? 'is not an attribute of this type'
    : e.keyword === 'required' ? 'is required for this type'
    : e.keyword === 'enum' ? `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`
    : (e.message ?? 'is invalid');
  return { field, reason };
}

/**
 * The component types, kept in memory (a few hundred at most) with compiled validators. Loaded
 * from the store at start and reloaded when an administrator changes one (in any process: the
 * module reloads on `components.type.changed`).
 */
export class TypeRegistry {
  private byCode = new Map<string, LoadedType>();
  /** One Ajv for every type: a new instance per schema would compile the meta-schema each time. */
  private readonly ajv = newAjv();
  private classes = new Map<string, ClassInfo>();

  /** `store` is null for a registry filled from rows (a worker checking imports holds no connection). */
  constructor(private readonly store: ComponentStore | null) {
    for (const c of seedCatalogue().classes) this.classes.set(c.code, c);
  }

  /** A registry of these types, compiled now. */
  static fromRows(rows: TypeRow[]): TypeRegistry {
    const r = new TypeRegistry(null);
    r.setRows(rows);
    r.loaded.done();
    return r;
  }

  private readonly loaded = new Once();

  /** Loads the types on first use (the module is built before its migrations run). */
  ready(db: Executor): Promise<void> {
    return this.loaded.run(() => this.load(db));
  }

  async load(db: Executor): Promise<void> {
    if (!this.store) throw new Error('TypeRegistry: filled from rows, it has no store to load from');
    this.setRows(await this.store.listTypes(db));
  }

  private setRows(rows: TypeRow[]): void {
    const next = new Map<string, LoadedType>();
    for (const row of rows) next.set(row.code, this.compile(row));
    this.byCode = next;
  }

  /** Compiles a type's attribute schema; throws FIELD_INVALID (`attributes`) when it is not a valid schema. */
  compile(row: TypeRow): LoadedType {
    const schema = fromJson<Record<string, unknown>>(row.attributes_schema);
    let validate: ValidateFunction;
    try {
      if (schema.type !== 'object') throw new Error('the schema must describe an object (type: "object")');
      // Without its $id: the shared Ajv would refuse a second schema with the same id on reload.
      const { $id: _id, ...withoutId } = schema;
      validate = this.ajv.compile(withoutId);
    } catch (err) {
      throw invalid('attributes', `is not a usable JSON Schema: ${(err as Error).message}`);
    }
    return { row, view: this.toView(row, schema), validate };
  }

  get(code: string): LoadedType | null {
    return this.byCode.get(code) ?? null;
  }

  all(): LoadedType[] {
    return [...this.byCode.values()];
  }

  classInfo(code: string): ClassInfo {
    return this.classes.get(code) ?? { code, nameZh: `类别 ${code}`, nameEn: `Class ${code}` };
  }

  classList(): ClassInfo[] {
    return [...this.classes.values()];
  }

  private toView(row: TypeRow, schema: unknown): TypeView {
    const cls = this.classInfo(row.class_code);
    return {
      code: row.code,
      classCode: row.class_code,
      className: { zh: cls.nameZh, en: cls.nameEn },
      nameZh: row.name_zh,
      nameEn: row.name_en,
      geometry: row.geometry,
      kind: row.kind,
      ownerSector: row.owner_sector,
      attributes: schema,
      builtin: toBool(row.builtin),
    };
  }
}
