import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect, Executor } from '../../../platform/db/database.ts';
import type { ComponentRow } from '../component.schema.ts';
import type { Box, ComponentStore } from '../component.store.ts';

/** One page of one collection: a type in a scope, optionally a box set and an updated_at window. */
export interface ItemsQuery {
  type: string;
  scopePrefix: string;
  boxes: Box[] | null;
  /** Inclusive bounds on updated_at (epoch ms); null is unbounded. */
  from: number | null;
  to: number | null;
  afterId: number;
  limit: number;
  /** How many components of the type the scope holds (from `matched`), to choose a plan. */
  typeCount: number;
}

// Below this many candidates SQLite reads them from the narrowest index and sorts them by id; above
// it, every index holds too many, and walking the table in id order fills a page soonest.
const SORT_CAP = 50_000;

export interface OgcStoreOptions {
  /** The candidate count from which SQLite walks the table instead of sorting (tests lower it). */
  sortCap?: number;
}

/** The SQL of OGC API – Features over the component registry (both dialects). */
export class OgcStore {
  private readonly sortCap: number;

  constructor(
    private readonly dialect: Dialect,
    private readonly components: ComponentStore,
    opts: OgcStoreOptions = {},
  ) {
    this.sortCap = opts.sortCap ?? SORT_CAP;
  }

  /** How many components of a type lie under a jurisdiction prefix: the kept counts, no scan. */
  async matched(db: Executor, type: string, scopePrefix: string): Promise<number> {
    const r = await db
      .selectFrom('components_count')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('type_code', '=', type)
      .where('jurisdiction_code', '>=', scopePrefix)
      .where('jurisdiction_code', '<', scopePrefix + '~')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** A page of the collection in id order, after `afterId`; boxes match on bounding boxes only. */
  async page(db: Executor, q: ItemsQuery): Promise<ComponentRow[]> {
    const ids = this.dialect === 'postgres' ? await this.idsPostgres(db, q) : await this.idsSqlite(db, q);
    const rows = await this.components.byIds(db, ids);
    return rows.sort((a, b) => a.id - b.id);
  }

  private async idsPostgres(db: Executor, q: ItemsQuery): Promise<number[]> {
    const parts = [...this.common(q, 'c')];
    if (q.boxes) parts.push(or(q.boxes.map((b) => sql`c.geom && ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)`)));
    const r = await sql<{ id: number }>`select c.id from components_item c where ${sql.join(parts, sql` and `)} order by c.id limit ${q.limit}`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }

  /**
   * SQLite has no statistics to choose with, so the store does: it estimates how many candidates
   * each usable index yields (the kept type count, the updated_at range, the R*Tree), reads the
   * smallest and sorts it, or walks the table in id order when even the smallest is large.
   */
  private async idsSqlite(db: Executor, q: ItemsQuery): Promise<number[]> {
    const plans: Array<{ plan: 'type' | 'updated' | 'rtree'; n: number }> = [{ plan: 'type', n: q.typeCount }];
    if (q.from !== null || q.to !== null) {
      const r = await sql<{ n: number }>`select count(*) as n from (select 1 from components_item c indexed by components_item_updated
        where ${sql.join(this.timeConds(q, 'c'), sql` and `)} limit ${this.sortCap})`.execute(db);
      plans.push({ plan: 'updated', n: Number(r.rows[0]?.n ?? 0) });
    }
    if (q.boxes) {
      const r = await sql<{ n: number }>`select count(*) as n from (select id from components_rtree r where ${this.boxConds(q.boxes, 'r')} limit ${this.sortCap})`.execute(db);
      plans.push({ plan: 'rtree', n: Number(r.rows[0]?.n ?? 0) });
    }
    const best = plans.reduce((a, b) => (b.n < a.n ? b : a));
    if (best.n === 0) return [];
    const where = [...this.common(q, 'c')];
    let from: RawBuilder<unknown>;
    if (best.n >= this.sortCap) {
      from = sql`components_item c not indexed`;
      if (q.boxes) where.push(this.boxConds(q.boxes, 'c'));
    } else if (best.plan === 'rtree') {
      from = sql`components_rtree r join components_item c on c.id = r.id`;
      where.push(this.boxConds(q.boxes!, 'r'));
    } else {
      from = best.plan === 'type' ? sql`components_item c indexed by components_item_type_place` : sql`components_item c indexed by components_item_updated`;
      if (q.boxes) where.push(this.boxConds(q.boxes, 'c'));
    }
    const r = await sql<{ id: number }>`select c.id from ${from} where ${sql.join(where, sql` and `)} order by c.id limit ${q.limit}`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }

  /** Type, scope, time window and position: what every plan filters on. */
  private common(q: ItemsQuery, alias: string): RawBuilder<SqlBool>[] {
    const col = (name: string) => sql.ref(`${alias}.${name}`);
    return [
      sql<SqlBool>`${col('type_code')} = ${q.type}`,
      sql<SqlBool>`${col('jurisdiction_code')} >= ${q.scopePrefix} and ${col('jurisdiction_code')} < ${q.scopePrefix + '~'}`,
      ...this.timeConds(q, alias),
      sql<SqlBool>`${col('id')} > ${q.afterId}`,
    ];
  }

  private timeConds(q: ItemsQuery, alias: string): RawBuilder<SqlBool>[] {
    const col = sql.ref(`${alias}.updated_at`);
    const out: RawBuilder<SqlBool>[] = [];
    if (q.from !== null) out.push(sql<SqlBool>`${col} >= ${q.from}`);
    if (q.to !== null) out.push(sql<SqlBool>`${col} <= ${q.to}`);
    return out;
  }

  /** Bounding-box overlap on the R*Tree (alias r) or on the table's own box columns (alias c). */
  private boxConds(boxes: Box[], alias: string): RawBuilder<SqlBool> {
    const col = (name: string) => sql.ref(`${alias}.${name}`);
    return or(boxes.map((b) => sql<SqlBool>`(${col('min_lon')} <= ${b[2]} and ${col('max_lon')} >= ${b[0]} and ${col('min_lat')} <= ${b[3]} and ${col('max_lat')} >= ${b[1]})`));
  }
}

const or = (parts: RawBuilder<unknown>[]): RawBuilder<SqlBool> => sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
