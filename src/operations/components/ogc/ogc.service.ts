import { authorize, readFilter, UNSCOPED, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { encodeCursor } from '../../../platform/cursor.ts';
import { AppError } from '../../../platform/errors.ts';
import { geometryIntersectsBox } from '../box-intersect.ts';
import type { ComponentRow } from '../component.schema.ts';
import type { ComponentService } from '../component.service.ts';
import { ComponentStore, type Box } from '../component.store.ts';
import type { Geometry } from '../geometry.ts';
import type { LoadedType } from '../types.ts';
import { toFeature } from './ogc.features.ts';
import type { ItemsParams } from './ogc.params.ts';
import { OgcStore } from './ogc.store.ts';

/** A page of features, before the route adds links. */
export interface ItemsPage {
  features: Array<Record<string, unknown>>;
  /** Present only when it was cheap to know: no bbox and no datetime (the kept counts). */
  numberMatched?: number;
  /** Cursor of the next page, or null on the last. */
  next: string | null;
}

// Pages whose bounding-box candidates are mostly refined away (long pipelines beside a small box)
// are topped up from the following rows, a few rounds at most, so a page is rarely empty.
const TOP_UP_ROUNDS = 5;

/**
 * OGC API – Features over the component registry: one collection per component type, read
 * access for `component.read`, every answer narrowed to the caller's jurisdiction.
 */
export class OgcService {
  private readonly store: OgcStore;

  constructor(
    private readonly ctx: AppContext,
    private readonly components: ComponentService,
  ) {
    this.store = new OgcStore(ctx.dialect, new ComponentStore(ctx.dialect, ctx.database.sqlite));
  }

  /** Checks the caller may read the registry at all; returns the jurisdiction prefix it may see. */
  scope(p: Principal | null): string {
    authorize(p, 'component.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    return f.prefix;
  }

  /** Every component type, in code order. */
  async types(p: Principal | null): Promise<LoadedType[]> {
    this.scope(p);
    await this.components.types.ready(this.ctx.db);
    return this.components.types.all().sort((a, b) => a.row.code.localeCompare(b.row.code));
  }

  /** One component type, or 404 naming `collectionId`. */
  async collection(p: Principal | null, id: string): Promise<LoadedType> {
    this.scope(p);
    await this.components.types.ready(this.ctx.db);
    const t = this.components.types.get(id);
    if (!t) throw new AppError('NOT_FOUND', `No collection ${id.slice(0, 40)}: collections are component type codes such as 0101`, 'collectionId');
    return t;
  }

  classOf(t: LoadedType) {
    return this.components.types.classInfo(t.row.class_code);
  }

  /** A page of a collection's features inside the caller's scope, in id order. */
  async items(p: Principal | null, collectionId: string, q: ItemsParams): Promise<ItemsPage> {
    const scopePrefix = this.scope(p);
    const t = await this.collection(p, collectionId);
    const typeCount = await this.store.matched(this.ctx.db, t.row.code, scopePrefix);
    const exact = t.row.geometry !== 'point' && q.boxes !== null;
    const rows: ComponentRow[] = [];
    let after = q.afterId;
    let more = true;
    for (let round = 0; round < TOP_UP_ROUNDS && more && rows.length < q.limit; round++) {
      const want = q.limit - rows.length;
      const page = await this.store.page(this.ctx.db, { type: t.row.code, scopePrefix, boxes: q.boxes, from: q.from, to: q.to, afterId: after, limit: want, typeCount });
      more = page.length === want;
      if (page.length) after = page.at(-1)!.id;
      // Lines and areas were found by their bounding boxes; keep those whose shape meets the box.
      rows.push(...(exact ? page.filter((r) => intersectsAny(r, q.boxes!)) : page));
      if (!exact) break;
    }
    const cheap = q.boxes === null && q.from === null && q.to === null;
    return {
      features: rows.map((r) => toFeature(this.components.view(r))),
      ...(cheap ? { numberMatched: typeCount } : {}),
      next: more ? encodeCursor([after]) : null,
    };
  }

  /** One feature of a collection, or 404 naming `featureId` (also outside the caller's scope). */
  async feature(p: Principal | null, collectionId: string, featureId: string): Promise<Record<string, unknown>> {
    const t = await this.collection(p, collectionId);
    const notFound = () => new AppError('NOT_FOUND', `No feature ${featureId.slice(0, 40)} in collection ${t.row.code} within your jurisdiction`, 'featureId');
    try {
      const v = await this.components.get(p, featureId);
      if (v.type !== t.row.code) throw notFound();
      return toFeature(v);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw notFound();
      throw err;
    }
  }
}

function intersectsAny(r: ComponentRow, boxes: Box[]): boolean {
  const g = JSON.parse(r.geometry) as Geometry;
  return boxes.some((b) => geometryIntersectsBox(g, b));
}
