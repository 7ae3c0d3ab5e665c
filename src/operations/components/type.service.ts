import { authorize, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { ComponentStore } from './component.store.ts';
import { STATUSES, STATUS_LABELS, type TypeBody, type TypeRow, type TypeUpdateBody, type TypeView } from './component.schema.ts';
import { seedCatalogue, type TypeRegistry } from './types.ts';

const CITY = '310000';

/** The catalogue of component types: public to officials, extended and edited by city administrators. */
export class TypeService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: ComponentStore,
    private readonly registry: TypeRegistry,
  ) {}

  async list(p: Principal | null): Promise<{ classes: Array<{ code: string; nameZh: string; nameEn: string }>; types: TypeView[]; statuses: Array<{ code: string; zh: string; en: string }> }> {
    await this.registry.ready(this.ctx.db);
    authorize(p, 'component.read', { jurisdictionCode: p?.scopeCode ?? null });
    return {
      classes: this.registry.classList(),
      types: this.registry.all().map((t) => t.view),
      statuses: STATUSES.map((s) => ({ code: s, ...STATUS_LABELS[s] })),
    };
  }

  async get(p: Principal | null, code: string): Promise<TypeView> {
    await this.registry.ready(this.ctx.db);
    authorize(p, 'component.read', { jurisdictionCode: p?.scopeCode ?? null });
    const t = this.registry.get(code);
    if (!t) throw new AppError('NOT_FOUND', `No component type ${code}`);
    return t.view;
  }

  /** Adds a type (city administrators): its class must exist; its attribute schema must compile. */
  async create(p: Principal | null, body: TypeBody): Promise<TypeView> {
    authorize(p, 'component.type.manage', { jurisdictionCode: CITY });
    await this.registry.ready(this.ctx.db);
    const classCode = body.code.slice(0, 2);
    if (!this.registry.classList().some((c) => c.code === classCode)) throw invalid('code', `class ${classCode} is not one of ${this.registry.classList().map((c) => c.code).join(', ')}`);
    if (body.code.endsWith('00')) throw invalid('code', 'sub-class 00 is not a sub-class');
    const kind = body.kind ?? (body.geometry === 'point' ? 'component' : body.geometry === 'line' ? 'line' : 'area');
    // Areas (sites, compounds) are polygons and line objects (pipelines) lines; components are any shape.
    if ((kind === 'area' && body.geometry !== 'polygon') || (kind === 'line' && body.geometry !== 'line')) throw invalid('kind', `${kind} types have ${kind === 'area' ? 'polygon' : 'line'} geometry, not ${body.geometry}`);
    await this.checkSector(body.ownerSector);
    const now = this.ctx.clock.now();
    const row: TypeRow = {
      code: body.code,
      class_code: classCode,
      name_zh: body.nameZh.trim(),
      name_en: body.nameEn.trim(),
      geometry: body.geometry,
      kind,
      owner_sector: body.ownerSector ?? null,
      attributes_schema: body.attributes ?? { type: 'object', properties: {}, additionalProperties: false },
      builtin: false,
      created_at: now,
      updated_at: now,
    };
    const loaded = this.registry.compile(row);
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.insertType(tx, row, 'ignore'))) throw new AppError('CONFLICT', `Component type ${body.code} already exists`, 'code');
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'components.type.created', subjectType: 'component_type', subjectId: row.code, jurisdictionCode: CITY, detail: { nameZh: row.name_zh } });
      await this.ctx.outbox.add(tx, 'components.type.changed', { v: 1, code: row.code });
    });
    await this.registry.load(this.ctx.db);
    return loaded.view;
  }

  /**
   * Renames a type or replaces its attribute schema. Geometry and code stay (components carry the
   * code). A new schema applies to writes from now on; stored attributes are not rewritten.
   */
  async update(p: Principal | null, code: string, body: TypeUpdateBody): Promise<TypeView> {
    authorize(p, 'component.type.manage', { jurisdictionCode: CITY });
    await this.registry.ready(this.ctx.db);
    const current = this.registry.get(code);
    if (!current) throw new AppError('NOT_FOUND', `No component type ${code}`);
    const patch: Partial<TypeRow> = { updated_at: this.ctx.clock.now() };
    if (body.nameZh !== undefined) patch.name_zh = body.nameZh.trim();
    if (body.nameEn !== undefined) patch.name_en = body.nameEn.trim();
    if (body.ownerSector !== undefined) {
      await this.checkSector(body.ownerSector);
      patch.owner_sector = body.ownerSector;
    }
    if (body.attributes !== undefined) patch.attributes_schema = body.attributes;
    const next = this.registry.compile({ ...current.row, ...patch });
    await this.ctx.transaction(async (tx) => {
      await this.store.updateType(tx, code, patch);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'components.type.updated', subjectType: 'component_type', subjectId: code, jurisdictionCode: CITY, detail: { fields: Object.keys(body) } });
      await this.ctx.outbox.add(tx, 'components.type.changed', { v: 1, code });
    });
    await this.registry.load(this.ctx.db);
    return next.view;
  }

  /** Loads the committed catalogue (idempotent: existing types, including edited ones, are kept). */
  async seed(): Promise<number> {
    const now = this.ctx.clock.now();
    let added = 0;
    await this.ctx.transaction(async (tx) => {
      for (const t of seedCatalogue().types) {
        const row: TypeRow = {
          code: t.code,
          class_code: t.classCode,
          name_zh: t.nameZh,
          name_en: t.nameEn,
          geometry: t.geometry,
          kind: t.kind,
          owner_sector: t.ownerDepartment ?? null,
          attributes_schema: t.attributes,
          builtin: true,
          created_at: now,
          updated_at: now,
        };
        if (await this.store.insertType(tx, row, 'ignore')) added++;
      }
    });
    await this.registry.load(this.ctx.db);
    return added;
  }

  /** An owner sector names a city-level department (its district offices own the type's components by default). */
  private async checkSector(sector: string | null | undefined): Promise<void> {
    const departments = (this.ctx.services as Partial<typeof this.ctx.services>).departments;
    if (!sector || !departments) return;
    const d = await departments.find(sector);
    if (!d || d.parentCode !== null) throw invalid('ownerSector', `${sector} is not a city department (sector)`);
  }
}
