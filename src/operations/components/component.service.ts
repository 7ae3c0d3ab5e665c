import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { Tx } from '../../platform/db/database.ts';
import { fromJson, isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { ComponentPage, ComponentRow, ComponentStatus, ComponentView, CountsView, CreateBody, HistoryRow, ListQuery, Photo, UpdateBody } from './component.schema.ts';
import { STATUSES, isStatus } from './component.schema.ts';
import { addDelta, HISTORY_LIMIT, type Box, type ComponentStore, type CountDeltas, type Filters, type NewComponent } from './component.store.ts';
import { geometryIntersectsBox } from './box-intersect.ts';
import { MAX_GRID_SIDE } from './box-grid.ts';
import type { ViewRow } from './component.columns.ts';
import { list, parseBox, parsePoint } from '../../platform/geo/params.ts';
import { changedFields } from './changes.ts';
import { nextCode, prepareComponent, type ComponentInput, type Locate } from './prepare.ts';
import { nearest, withinRadius } from './spatial-query.ts';
import type { TypeRegistry } from './types.ts';

/** One entry of a component's history, as clients get it. */
type HistoryEntry = { version: number; action: string; actorId: string | null; at: number; changes: unknown };

const DEFAULT_LIMIT = 100;

/** A stored 2-D point's GeoJSON, whose coordinates are the row's lon and lat. */
const PLAIN_POINT = /^\{"type":"Point","coordinates":\[[^,\]]+,[^,\]]+\]\}$/;

/**
 * The registry of city components (城市部件): create, read, change, delete with role and scope
 * checks, history and audit; queries by place, box and distance; counts per type and place.
 */

export class ComponentService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: ComponentStore,
    readonly types: TypeRegistry,
  ) {}

  readonly locate: Locate = (lon, lat) => this.ctx.services.jurisdictions.locate(lon, lat);

  /** Maps a stored row to what clients see. */
  view(r: ViewRow, distance?: number): ComponentView {
    const t = this.types.get(r.type_code);
    const v: ComponentView = {
      code: r.code,
      type: r.type_code,
      typeName: { zh: t?.row.name_zh ?? r.type_code, en: t?.row.name_en ?? r.type_code },
      classCode: r.type_code.slice(0, 2),
      kind: t?.row.kind ?? 'component',
      // Most components are points: their GeoJSON is their two coordinates (no text to parse).
      geometry: r.geometry_kind === 'point' && PLAIN_POINT.test(r.geometry) ? { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] } : JSON.parse(r.geometry),
      point: [r.lon, r.lat],
      jurisdictionCode: r.jurisdiction_code,
      districtCode: r.jurisdiction_code.slice(0, 6),
      status: r.status,
      name: r.name,
      address: r.address,
      ownerDept: r.owner_dept,
      maintainerDept: r.maintainer_dept,
      attributes: fromJson<Record<string, unknown>>(r.attributes) ?? {},
      photos: r.photos === '[]' ? [] : (fromJson<Photo[]>(r.photos) ?? []),
      source: r.source,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
    if (distance !== undefined) v.distance = Math.round(distance * 100) / 100;
    return v;
  }

  /** Reads one component: officials inside its jurisdiction. Outside it reads as not found. */
  async get(p: Principal | null, code: string): Promise<ComponentView> {
    await this.types.ready(this.ctx.db);
    return this.view(await this.readable(p, code));
  }

  private async readable(p: Principal | null, code: string): Promise<ComponentRow> {
    authorize(p, 'component.read', UNSCOPED);
    const row = /^\d{16}$/.test(code) ? await this.store.byCode(this.ctx.db, code) : null;
    const f = readFilter(p);
    if (!row || f.kind !== 'scope' || !row.jurisdiction_code.startsWith(f.prefix)) throw new AppError('NOT_FOUND', `No component ${code} in your jurisdiction`);
    return row;
  }

  /** A component's history, newest first (at most HISTORY_LIMIT entries). */
  async history(p: Principal | null, code: string): Promise<{ items: HistoryEntry[] }> {
    const row = await this.readable(p, code);
    const all: HistoryRow[] = await this.store.history(this.ctx.db, code);
    // A code deleted and registered again: the component's own history starts after the deletion.
    const deleted = all.findIndex((h) => h.action === 'deleted');
    const rows = deleted < 0 ? all : all.slice(0, deleted);
    const items: HistoryEntry[] = rows.map((h) => ({ version: h.version, action: h.action, actorId: h.actor_id, at: h.at, changes: fromJson(h.changes) }));
    // Imports and the demo seed write no history row for the components they create (millions at a
    // time): their creation is told from the row itself, and the import job for who started it.
    if ((deleted >= 0 || all.length < HISTORY_LIMIT) && !rows.some((h) => h.version === 1)) {
      const job = row.source.startsWith('import:') ? row.source.slice('import:'.length) : null;
      const actorId = row.version === 1 ? row.updated_by : job ? await this.store.importStartedBy(this.ctx.db, job) : null;
      items.push({ version: 1, action: job ? 'imported' : row.source === 'seed' ? 'seeded' : 'created', actorId, at: Number(row.created_at), changes: null });
    }
    return { items };
  }

  /** Creates a component: checked, located, coded, counted, audited — or nothing at all. */
  async create(p: Principal | null, body: CreateBody): Promise<ComponentView> {
    await this.types.ready(this.ctx.db);
    authorize(p, 'component.write', UNSCOPED);
    const prepared = prepareComponent(body as ComponentInput, this.types, this.locate);
    authorize(p, 'component.write', { jurisdictionCode: prepared.row.jurisdiction_code });
    const row = { ...prepared.row };
    await this.checkDepartments(row.owner_dept, row.maintainer_dept);
    if (!row.owner_dept) row.owner_dept = await this.defaultOwner(prepared.type.row.owner_sector, row.jurisdiction_code);
    const now = this.ctx.clock.now();
    const taken = () => new AppError('CONFLICT', `A component with code ${row.code} already exists`, 'code');
    const attempt = () => this.ctx.transaction(async (tx) => {
      // The prefix lock orders creates under one prefix, given codes or allocated (PostgreSQL).
      await this.store.lockPrefix(tx, prepared.codePrefix);
      if (prepared.needsCode) row.code = nextCode(prepared.codePrefix, await this.store.maxCode(tx, prepared.codePrefix));
      else if (await this.store.byCode(tx, row.code)) throw taken();
      const full: NewComponent = { ...row, source: 'api', version: 1, created_at: now, updated_at: now, updated_by: p.accountId };
      const [id] = await this.store.insert(tx, [full]);
      const deltas: CountDeltas = new Map();
      addDelta(deltas, full.jurisdiction_code, full.type_code, full.status, 1);
      await this.store.applyCounts(tx, deltas);
      await this.store.appendHistory(tx, [{ component_code: full.code, version: 1, action: 'created', actor_id: p.accountId, at: now, changes: { status: [null, full.status] } }]);
      await this.record(tx, p, 'components.component.created', full, { type: full.type_code, status: full.status });
      await this.emit(tx, 'created', full, null, [full]);
      return { ...full, id: id! } as ComponentRow;
    });
    // An import takes no prefix lock: its row can still win the race for the code. A code given
    // is then taken (409); a code allocated here is allocated again, past the import's.
    for (let tries = 1; ; tries++) {
      try {
        return this.view(await attempt());
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (!prepared.needsCode || tries >= 3) throw taken();
      }
    }
  }

  /**
   * Changes a component. Optimistic: the caller names the version read. Grid workers (and anyone
   * without component.write) may change only its status and photos. A move may not leave the
   * caller's jurisdiction.
   */
  async update(p: Principal | null, code: string, body: UpdateBody): Promise<ComponentView> {
    await this.types.ready(this.ctx.db);
    authorize(p, 'component.status', UNSCOPED);
    const before = await this.readable(p, code);
    const statusOnly = Object.keys(body).every((k) => k === 'version' || k === 'status' || k === 'photos');
    authorize(p, statusOnly ? 'component.status' : 'component.write', { jurisdictionCode: before.jurisdiction_code });
    const current = this.view(before);
    const input: ComponentInput = {
      code: before.code,
      type: before.type_code,
      geometry: body.geometry ?? current.geometry,
      status: body.status ?? current.status,
      name: body.name !== undefined ? body.name : current.name,
      address: body.address !== undefined ? body.address : current.address,
      ownerDept: body.ownerDept !== undefined ? body.ownerDept : current.ownerDept,
      maintainerDept: body.maintainerDept !== undefined ? body.maintainerDept : current.maintainerDept,
      attributes: body.attributes ?? current.attributes,
      photos: body.photos ?? current.photos,
    };
    let prepared;
    try {
      prepared = prepareComponent(input, this.types, this.locate, { storedAttributes: body.attributes === undefined, storedGeometry: body.geometry === undefined });
    } catch (err) {
      // A move into another district would change the code; the code is the component's identity.
      if (err instanceof AppError && err.field === 'code' && body.geometry) throw invalid('geometry', 'moves the component into another district; delete it and register it there');
      throw err;
    }
    authorize(p, statusOnly ? 'component.status' : 'component.write', { jurisdictionCode: prepared.row.jurisdiction_code });
    if (body.ownerDept !== undefined || body.maintainerDept !== undefined) await this.checkDepartments(body.ownerDept ?? null, body.maintainerDept ?? null);
    const now = this.ctx.clock.now();
    const next: NewComponent = { ...prepared.row, source: before.source, version: before.version + 1, created_at: before.created_at, updated_at: now, updated_by: p.accountId };
    const changes = changedFields(before, next);
    if (!changes) {
      if (body.version !== before.version) throw stale(code, before.version);
      return current;
    }
    const saved = await this.ctx.transaction(async (tx) => {
      if (!(await this.store.update(tx, before.id, next, body.version))) throw stale(code, before.version);
      const deltas: CountDeltas = new Map();
      addDelta(deltas, before.jurisdiction_code, before.type_code, before.status, -1);
      addDelta(deltas, next.jurisdiction_code, next.type_code, next.status, 1);
      await this.store.applyCounts(tx, deltas);
      await this.store.appendHistory(tx, [{ component_code: code, version: next.version, action: 'updated', actor_id: p.accountId, at: now, changes }]);
      await this.record(tx, p, 'components.component.updated', next, { fields: Object.keys(changes), status: next.status });
      await this.emit(tx, 'updated', next, before.status, [before, next]);
      return { ...next, id: before.id } as ComponentRow;
    });
    return this.view(saved);
  }

  /** Deletes a component (its history stays, ending with a snapshot of its last state). */
  async remove(p: Principal | null, code: string, version: number): Promise<void> {
    await this.types.ready(this.ctx.db);
    authorize(p, 'component.delete', UNSCOPED);
    const before = await this.readable(p, code);
    authorize(p, 'component.delete', { jurisdictionCode: before.jurisdiction_code });
    const now = this.ctx.clock.now();
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.delete(tx, before.id, version))) throw stale(code, before.version);
      const deltas: CountDeltas = new Map();
      addDelta(deltas, before.jurisdiction_code, before.type_code, before.status, -1);
      await this.store.applyCounts(tx, deltas);
      const snapshot = this.view(before);
      await this.store.appendHistory(tx, [{ component_code: code, version: before.version + 1, action: 'deleted', actor_id: p.accountId, at: now, changes: { snapshot } }]);
      await this.record(tx, p, 'components.component.deleted', before, { type: before.type_code });
      await this.emit(tx, 'deleted', { ...before, version: before.version + 1 }, before.status, [before]);
    });
  }

  /**
   * The query endpoint: `near` with `k` (nearest) or `radius` (within r metres, nearest first),
   * `bbox` (overlapping, id order), otherwise by place (jurisdiction then id). All narrowed to the
   * caller's scope, and by type, class and status.
   */
  async query(p: Principal | null, q: ListQuery): Promise<ComponentPage> {
    await this.types.ready(this.ctx.db);
    authorize(p, 'component.read', UNSCOPED);
    const f = this.filters(p, q);
    const limit = q.limit ?? DEFAULT_LIMIT;
    if (q.near) {
      const [lon, lat] = parsePoint(q.near);
      if (q.bbox) throw invalid('bbox', 'cannot be combined with near');
      if (q.radius !== undefined) {
        const offset = q.cursor ? Number(decodeCursor(q.cursor, 'n')[0]) : 0;
        if (!(Number.isInteger(offset) && offset >= 0)) throw invalid('cursor', 'is not a cursor this server gave out');
        const { hits, total } = await withinRadius(this.store, this.ctx.db, lon, lat, q.radius, f, { offset, limit });
        return { items: hits.map((h) => this.view(h.row, h.distance)), nextCursor: offset + limit < total ? encodeCursor([offset + limit]) : null };
      }
      if (q.cursor) throw invalid('cursor', 'nearest-k answers have no further pages; raise k instead');
      const k = q.k ?? 10;
      const hits = await nearest(this.store, this.ctx.db, lon, lat, k, f);
      return { items: hits.map((h) => this.view(h.row, h.distance)), nextCursor: null };
    }
    if (q.k !== undefined || q.radius !== undefined) throw invalid(q.k !== undefined ? 'k' : 'radius', 'needs near=lon,lat');
    if (q.bbox) {
      const box = parseBox(q.bbox);
      const after = q.cursor ? decodeCursor(q.cursor, 'nn') : [0, 0];
      if (!(Number(after[0]) >= 0 && Number(after[0]) < MAX_GRID_SIDE ** 2 && Number(after[1]) >= 0)) throw invalid('cursor', 'is not a cursor this server gave out');
      const page = await this.store.listInBox(this.ctx.db, box, f, { cell: Number(after[0]), id: Number(after[1]) }, limit);
      const items = page.rows.filter((r) => r.geometry_kind === 'point' || intersectsBox(r, box));
      return { items: items.map((r) => this.view(r)), nextCursor: page.cursor ? encodeCursor([page.cursor.cell, page.cursor.id]) : null };
    }
    // The filters' prefix: the place asked for (the city's is '31', not its code 310000) or the caller's scope.
    const prefix = f.scopePrefix ?? '31';
    const after = q.cursor ? decodeCursor(q.cursor, 'sn') : null;
    const rows = await this.store.listByPlace(this.ctx.db, prefix, f, after ? { j: String(after[0]), id: Number(after[1]) } : null, limit);
    const last = rows.at(-1);
    return { items: rows.map((r) => this.view(r)), nextCursor: rows.length === limit && last ? encodeCursor([last.jurisdiction_code, last.id]) : null };
  }

  /** Counts per type and status, and per child jurisdiction, under a place in the caller's scope. */
  async counts(p: Principal | null, q: { jurisdiction?: string; type?: string }): Promise<CountsView> {
    await this.types.ready(this.ctx.db);
    authorize(p, 'component.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    const code = q.jurisdiction ?? (p.scopeCode as string);
    const node = this.ctx.services.jurisdictions.get(code);
    if (!node) throw new AppError('JURISDICTION_NOT_FOUND', `No jurisdiction ${code}`, 'jurisdiction');
    authorize(p, 'component.read', { jurisdictionCode: code });
    const prefix = code === '310000' ? '31' : code;
    const types = list(q.type);
    for (const t of types ?? []) if (!this.types.get(t)) throw invalid('type', `${t} is not a known component type`);
    const rows = await this.store.counts(this.ctx.db, prefix, types);
    const byStatus: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    const byType = new Map<string, Record<string, number>>();
    const children = this.ctx.services.jurisdictions.children(code);
    const childLen = children[0]?.code.length ?? 0;
    const byChild = new Map<string, Record<string, number>>();
    let total = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
      const t = byType.get(r.type_code) ?? Object.fromEntries(STATUSES.map((s) => [s, 0]));
      t[r.status] = (t[r.status] ?? 0) + n;
      byType.set(r.type_code, t);
      if (childLen) {
        const c = byChild.get(r.jurisdiction_code.slice(0, childLen)) ?? {};
        c[r.type_code] = (c[r.type_code] ?? 0) + n;
        byChild.set(r.jurisdiction_code.slice(0, childLen), c);
      }
    }
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    return {
      jurisdictionCode: code,
      total,
      byStatus,
      byType: [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, s]) => ({ type, nameZh: this.types.get(type)?.row.name_zh ?? type, nameEn: this.types.get(type)?.row.name_en ?? type, total: sum(s), byStatus: s })),
      byChild: children.map((c) => {
        const t = byChild.get(c.code) ?? {};
        return { code: c.code, name: c.name, nameEn: c.nameEn, total: sum(t), byType: t };
      }),
    };
  }

  /**
   * Components overlapping a box for a map tile, inside the caller's scope, optionally only some
   * large classes (01…06) — at most `limit` rows (the tile says when it was cut short).
   */
  async inBox(p: Principal | null, box: Box, opts: { classes?: string[]; limit: number }): Promise<ComponentRow[]> {
    authorize(p, 'component.read', UNSCOPED);
    await this.types.ready(this.ctx.db);
    const f = this.filters(p, { class: opts.classes?.join(',') });
    return this.store.allInBox(this.ctx.db, box, f, opts.limit);
  }

  /**
   * Counts per place at one depth (6 district, 9 street, 12 committee, 15 grid digits) and status,
   * inside the caller's scope: what the map shows as aggregates when zoomed out.
   */
  async countsByPlace(p: Principal | null, digits: 6 | 9 | 12 | 15, opts: { classes?: string[] } = {}): Promise<Map<string, Record<ComponentStatus, number>>> {
    authorize(p, 'component.read', UNSCOPED);
    await this.types.ready(this.ctx.db);
    const f = this.filters(p, { class: opts.classes?.join(',') });
    const rows = await this.store.countsByPlace(this.ctx.db, f.scopePrefix ?? '31', digits, f.types);
    const out = new Map<string, Record<ComponentStatus, number>>();
    for (const r of rows) {
      const m = out.get(r.code) ?? (Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ComponentStatus, number>);
      m[r.status] += r.n;
      out.set(r.code, m);
    }
    return out;
  }

  /** Query narrowing from the principal's scope and the query's type/class/status lists. */
  private filters(p: Principal, q: ListQuery): Filters {
    const rf = readFilter(p);
    if (rf.kind !== 'scope') throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    let scopePrefix = rf.prefix;
    if (q.jurisdiction) {
      authorize(p, 'component.read', { jurisdictionCode: q.jurisdiction });
      if (!this.ctx.services.jurisdictions.get(q.jurisdiction)) throw new AppError('JURISDICTION_NOT_FOUND', `No jurisdiction ${q.jurisdiction}`, 'jurisdiction');
      scopePrefix = q.jurisdiction === '310000' ? '31' : q.jurisdiction;
    }
    let types = list(q.type);
    for (const t of types ?? []) if (!this.types.get(t)) throw invalid('type', `${t} is not a known component type`);
    const classes = list(q.class);
    if (classes) {
      const ofClass = this.types.all().filter((t) => classes.includes(t.row.class_code)).map((t) => t.row.code);
      types = types ? types.filter((t) => ofClass.includes(t)) : ofClass;
      if (types.length === 0) types = ['----']; // nothing matches: a type code no row has
    }
    const statuses = list(q.status);
    for (const s of statuses ?? []) if (!isStatus(s)) throw invalid('status', `${s} is not one of ${STATUSES.join(', ')}`);
    // The scope's extent narrows spatial queries (a street's staff asking about a district-wide box).
    const scopeBox = scopePrefix && scopePrefix !== '31' ? (this.ctx.services.jurisdictions.extent(scopePrefix) ?? undefined) : undefined;
    return { scopePrefix, scopeBox, types, statuses: statuses as ComponentStatus[] | undefined };
  }

  private async checkDepartments(...codes: Array<string | null | undefined>): Promise<void> {
    const departments = (this.ctx.services as Partial<typeof this.ctx.services>).departments;
    if (!departments) return;
    for (const [i, code] of codes.entries()) {
      if (code && !(await departments.find(code))) throw invalid(i === 0 ? 'ownerDept' : 'maintainerDept', `${code} is not a known department`);
    }
  }

  /** The district branch of the type's usual owner, when that department exists. */
  async defaultOwner(sector: string | null, jurisdictionCode: string): Promise<string | null> {
    const departments = (this.ctx.services as Partial<typeof this.ctx.services>).departments;
    if (!sector || !departments) return null;
    const code = `${sector}.${jurisdictionCode.slice(0, 6)}`;
    return (await departments.find(code)) ? code : null;
  }

  private async record(tx: Tx, p: Principal, action: string, c: NewComponent, detail: Record<string, unknown>): Promise<void> {
    await this.ctx.audit.record(tx, { actorId: p.accountId, action, subjectType: 'component', subjectId: c.code, jurisdictionCode: c.jurisdiction_code, detail });
  }

  private async emit(tx: Tx, action: 'created' | 'updated' | 'deleted', c: NewComponent, previousStatus: ComponentStatus | null, boxes: NewComponent[]): Promise<void> {
    await this.ctx.outbox.add(tx, 'components.component.changed', {
      v: 1,
      code: c.code,
      type: c.type_code,
      action,
      jurisdictionCode: c.jurisdiction_code,
      status: action === 'deleted' ? null : c.status,
      previousStatus,
      version: c.version,
      bboxes: boxes.map((b) => [b.min_lon, b.min_lat, b.max_lon, b.max_lat]),
      by: c.updated_by,
      maintainerDept: c.maintainer_dept ?? c.owner_dept,
    });
  }
}

const stale = (code: string, version: number) => new AppError('CONFLICT', `Component ${code} has changed since you read it (now version ${version}); read it again`, 'version');


/** Exact test for lines and polygons whose box overlaps the query box. */
function intersectsBox(r: ViewRow, box: Box): boolean {
  return geometryIntersectsBox(JSON.parse(r.geometry), box);
}
