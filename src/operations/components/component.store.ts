import { sql, type Expression, type SqlBool } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Dialect, Executor, Tx } from '../../platform/db/database.ts';
import { RawRows } from '../../platform/db/raw-rows.ts';
import { COLS, PG_COLUMNS, rowOf, type ViewRow } from './component.columns.ts';
import { boxGridFor, type BoxCursor } from './box-grid.ts';
import { RareTypes } from './rare-types.ts';
import { pgListInBox } from './pg-box.ts';
import { boolValue, toJson } from '../../platform/db/dialect.ts';
import { STATUSES, type ComponentRow, type ComponentStatus, type CountRow, type HistoryRow, type TypeRow } from './component.schema.ts';

/** A component as written: everything but the id the database assigns. */
export type NewComponent = Omit<ComponentRow, 'id'>;
/** A bounding box [minLon, minLat, maxLon, maxLat]. */
export type { Box } from '../../platform/geo/params.ts';
import type { Box } from '../../platform/geo/params.ts';

/** Narrowing every query may carry: the caller's scope prefix, types, statuses. */
export interface Filters {
  scopePrefix?: string;
  /**
   * The scope's extent (JurisdictionService.extent): every in-scope component's point lies in it,
   * so spatial queries ask their index for what overlaps it as well as the query's own box.
   */
  scopeBox?: Box;
  types?: string[];
  statuses?: ComponentStatus[];
}

/** Every component's jurisdiction starts with the city's prefix (geometry is checked to lie in Shanghai). */
const CITY = '31';

/** SQLite: the R*Tree condition that a component overlaps its scope's extent (true when unscoped). */
const rtreeScope = ({ scopeBox: b }: Filters) => (b ? sql`r.min_lon <= ${b[2]} and r.max_lon >= ${b[0]} and r.min_lat <= ${b[3]} and r.max_lat >= ${b[1]}` : sql`1 = 1`);

/** PostgreSQL: the same on the GiST index (`geom`; true when unscoped). */
const gistScope = ({ scopeBox: b }: Filters) => (b ? sql<SqlBool>`geom && ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)` : sql<SqlBool>`true`);

/** Only statuses other than intact are asked for: the index of those answers (migration 0003). */
const issueOnly = (f: Filters) => !!f.statuses?.length && !f.statuses.includes('intact');

/** SQLite: the R*Tree a query reads, all components' or only the not-intact ones'. */
const rtreeFor = (f: Filters) => sql.raw(issueOnly(f) ? 'components_rtree_issue' : 'components_rtree');

/** PostgreSQL: names the partial index's condition, which its planner needs to choose it. */
const gistIssue = (f: Filters) => (issueOnly(f) ? sql<SqlBool>`status <> 'intact'` : sql<SqlBool>`true`);

/**
 * Filters the R*Tree `rtreeFor` picks answers without reading rows: the whole city, any type, and
 * every status that tree holds (all five, none named, or, from the not-intact tree, the four
 * other than intact: "not intact" is a common map filter).
 */
const treeAlone = (f: Filters) =>
  (!f.scopePrefix || f.scopePrefix === CITY) && !f.types?.length && (!f.statuses?.length || STATUSES.every((s) => f.statuses!.includes(s) || (s === 'intact' && issueOnly(f))));

/** The most history entries a component's history answers with, newest first. */
export const HISTORY_LIMIT = 200;

/** Count changes keyed `jurisdiction\0type\0status`. */
export type CountDeltas = Map<string, number>;

export function addDelta(d: CountDeltas, jurisdiction: string, type: string, status: string, by: number): void {
  const k = `${jurisdiction}\0${type}\0${status}`;
  d.set(k, (d.get(k) ?? 0) + by);
}

/**
 * What nearest-k and within-radius rank before they read whole rows: a point's position, or the
 * GeoJSON of a line or area (null for points, which need none).
 */
export interface Candidate {
  id: number;
  geometry_kind: ComponentRow['geometry_kind'];
  lon: number;
  lat: number;
  geometry: string | null;
}

/** All SQL of the components module, for both dialects. */
export class ComponentStore {
  /** SQLite: the wide reads run as arrays on the connection itself (raw-rows.ts). */
  private readonly raw: RawRows | null;
  /** Filtered queries for types the scope barely holds, read by type rather than by place (rare-types.ts). */
  readonly rare: RareTypes;

  constructor(
    private readonly dialect: Dialect,
    /** The SQLite connection (`ctx.database.sqlite`); required on SQLite. */
    sqlite?: SQLite.Database,
  ) {
    if (dialect === 'sqlite' && !sqlite) throw new Error('ComponentStore on SQLite needs the connection (ctx.database.sqlite)');
    this.raw = sqlite ? new RawRows(sqlite) : null;
    this.rare = new RareTypes(dialect, this.raw);
  }

  // ---- types ----

  listTypes(db: Executor): Promise<TypeRow[]> {
    return db.selectFrom('components_type').selectAll().orderBy('code').execute();
  }

  async insertType(db: Executor, row: TypeRow, onConflict: 'fail' | 'ignore' = 'fail'): Promise<boolean> {
    const q = db.insertInto('components_type').values({ ...row, builtin: boolValue(this.dialect, Boolean(row.builtin)), attributes_schema: toJson(row.attributes_schema) });
    const r = await (onConflict === 'ignore' ? q.onConflict((oc) => oc.column('code').doNothing()) : q).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateType(db: Executor, code: string, patch: Partial<TypeRow>): Promise<void> {
    const values: Record<string, unknown> = { ...patch };
    if ('attributes_schema' in patch) values.attributes_schema = toJson(patch.attributes_schema);
    await db.updateTable('components_type').set(values).where('code', '=', code).execute();
  }

  // ---- components ----

  async byCode(db: Executor, code: string): Promise<ComponentRow | null> {
    return (await db.selectFrom('components_item').select(COLS).where('code', '=', code).executeTakeFirst()) ?? null;
  }

  /** The rows of `codes`; `forUpdate` locks them until the transaction ends (PostgreSQL; SQLite has one writer). */
  async byCodes(db: Executor, codes: string[], opts: { forUpdate?: boolean } = {}): Promise<ComponentRow[]> {
    if (codes.length === 0) return [];
    const q = db.selectFrom('components_item').select(COLS).where('code', 'in', codes);
    return (opts.forUpdate && this.dialect === 'postgres' ? q.forUpdate() : q).execute();
  }

  async byIds(db: Executor, ids: number[]): Promise<ComponentRow[]> {
    if (ids.length === 0) return [];
    // One statement for any number of ids: an array parameter, or a JSON one SQLite looks up id by id.
    if (this.dialect === 'postgres') return db.selectFrom('components_item').select(COLS).where(sql<SqlBool>`id = any(${ids}::bigint[])`).execute();
    const q = sql`select ${sql.join(COLS.map((c) => sql.ref(c)))} from components_item where id in (select value from json_each(${JSON.stringify(ids)}))`;
    return (await this.raw!.all(db, q.compile(db))).map(rowOf);
  }

  /** The highest code taken under a prefix (district + type), for the next serial. */
  async maxCode(tx: Tx, prefix: string): Promise<string | null> {
    const r = await tx
      .selectFrom('components_item')
      .select('code')
      .where('code', '>=', prefix)
      .where('code', '<', prefix + '~')
      .orderBy('code', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r?.code ?? null;
  }

  /** Serialises serial allocation for one prefix across PostgreSQL connections (SQLite writes are serial). */
  async lockPrefix(tx: Tx, prefix: string): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${'components:' + prefix}))`.execute(tx);
  }

  async insert(tx: Tx, rows: NewComponent[]): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const values = chunk.map((r) => this.values(r));
      const inserted = await tx.insertInto('components_item').values(values as never).returning('id').execute();
      const chunkIds = inserted.map((x) => Number(x.id));
      if (this.dialect === 'sqlite') {
        await tx
          .insertInto('components_rtree' as never)
          .values(chunk.map((r, j) => ({ id: chunkIds[j], min_lon: r.min_lon, max_lon: r.max_lon, min_lat: r.min_lat, max_lat: r.max_lat })) as never)
          .execute();
      }
      ids.push(...chunkIds);
    }
    return ids;
  }

  /**
   * PostgreSQL: inserts many rows in one statement that takes one array per column (`unnest`),
   * which costs far less to build, send and plan than a VALUES list of thousands of parameters.
   * With `skipTaken`, a row whose code is taken is left out. Returns the codes inserted.
   */
  async insertMany(tx: Tx, rows: NewComponent[], opts: { skipTaken: boolean }): Promise<string[]> {
    const codes: string[] = [];
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const arrays = PG_COLUMNS.map(([c, type]) => sql`${chunk.map((r) => (c === 'attributes' || c === 'photos' ? toJson(r[c]) : r[c]))}::${sql.raw(type)}[]`);
      const names = sql.raw(PG_COLUMNS.map(([c]) => c).join(', '));
      const picked = sql.raw(PG_COLUMNS.map(([c]) => (c === 'attributes' || c === 'photos' ? `u.${c}::jsonb` : `u.${c}`)).join(', '));
      const r = await sql<{ code: string }>`insert into components_item (${names}, geom)
        select ${picked}, ST_SetSRID(ST_GeomFromGeoJSON(u.geometry), 4326) from unnest(${sql.join(arrays)}) as u(${names})
        ${opts.skipTaken ? sql`on conflict (code) do nothing` : sql``} returning code`.execute(tx);
      for (const x of r.rows) codes.push(x.code);
    }
    return codes;
  }

  async update(tx: Tx, id: number, row: NewComponent, expectedVersion: number): Promise<boolean> {
    const r = await tx
      .updateTable('components_item')
      .set(this.values(row) as never)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    if (this.dialect === 'sqlite') {
      await sql`update components_rtree set min_lon = ${row.min_lon}, max_lon = ${row.max_lon}, min_lat = ${row.min_lat}, max_lat = ${row.max_lat} where id = ${id}`.execute(tx);
    }
    return true;
  }

  async delete(tx: Tx, id: number, expectedVersion: number): Promise<boolean> {
    const r = await tx.deleteFrom('components_item').where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) return false;
    if (this.dialect === 'sqlite') await sql`delete from components_rtree where id = ${id}`.execute(tx);
    return true;
  }

  /** Column values for a write; PostgreSQL also gets its PostGIS geometry from the GeoJSON. */
  private values(r: NewComponent): Record<string, unknown> {
    const v: Record<string, unknown> = { ...r, attributes: toJson(r.attributes), photos: toJson(r.photos) };
    if (this.dialect === 'postgres') v.geom = sql`ST_SetSRID(ST_GeomFromGeoJSON(${r.geometry}), 4326)`;
    return v;
  }

  // ---- history and counts ----

  async appendHistory(tx: Tx, rows: Omit<HistoryRow, 'seq'>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('components_history')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, changes: toJson(r.changes) })) as never)
        .execute();
    }
  }

  history(db: Executor, code: string): Promise<HistoryRow[]> {
    return db.selectFrom('components_history').selectAll().where('component_code', '=', code).orderBy('seq', 'desc').limit(HISTORY_LIMIT).execute();
  }

  /** Who started an import job (null if it is gone). */
  async importStartedBy(db: Executor, jobId: string): Promise<string | null> {
    return (await db.selectFrom('components_import').select('started_by').where('id', '=', jobId).executeTakeFirst())?.started_by ?? null;
  }

  async applyCounts(tx: Tx, deltas: CountDeltas): Promise<void> {
    const rows = [...deltas].filter(([, n]) => n !== 0).map(([k, n]) => {
      const [jurisdiction_code, type_code, status] = k.split('\0') as [string, string, ComponentStatus];
      return { jurisdiction_code, type_code, status, n };
    });
    for (let i = 0; i < rows.length; i += 300) {
      await tx
        .insertInto('components_count')
        .values(rows.slice(i, i + 300))
        .onConflict((oc) => oc.columns(['jurisdiction_code', 'type_code', 'status']).doUpdateSet({ n: sql`components_count.n + excluded.n` }))
        .execute();
    }
  }

  /** Count rows under a jurisdiction prefix (the leaf codes below it). */
  counts(db: Executor, prefix: string, types?: string[]): Promise<CountRow[]> {
    let q = db.selectFrom('components_count').selectAll().where('jurisdiction_code', '>=', prefix).where('jurisdiction_code', '<', prefix + '~').where('n', '>', 0);
    if (types?.length) q = q.where('type_code', 'in', types);
    return q.execute();
  }

  /** Counts summed per jurisdiction prefix of `len` digits and status, under `prefix`. */
  async countsByPlace(db: Executor, prefix: string, len: number, types?: string[]): Promise<Array<{ code: string; status: ComponentStatus; n: number }>> {
    const typeFilter = types?.length ? sql`and type_code in (${sql.join(types)})` : sql``;
    const r = await sql<{ code: string; status: ComponentStatus; n: number }>`select substr(jurisdiction_code, 1, ${len}) as code, status, sum(n) as n
      from components_count where jurisdiction_code >= ${prefix} and jurisdiction_code < ${prefix + '~'} and n > 0 ${typeFilter}
      group by 1, 2`.execute(db);
    return r.rows.map((x) => ({ code: x.code, status: x.status, n: Number(x.n) }));
  }

  // ---- queries ----

  /** A page in (jurisdiction, id) order under a place prefix: index order, no sorting. */
  async listByPlace(db: Executor, prefix: string, f: Filters, after: { j: string; id: number } | null, limit: number): Promise<ComponentRow[]> {
    let q = db.selectFrom('components_item').select(COLS).where('jurisdiction_code', '>=', prefix).where('jurisdiction_code', '<', prefix + '~');
    q = q.where((eb) => this.filterExpr(eb, f, 'components_item'));
    if (after) q = q.where((eb) => eb.or([eb('jurisdiction_code', '>', after.j), eb.and([eb('jurisdiction_code', '=', after.j), eb('id', '>', after.id)])]));
    return q.orderBy('jurisdiction_code').orderBy('id').limit(limit).execute();
  }

  /**
   * A page of components whose bounding box overlaps `box`, after `after`. The box is cut into a
   * fixed grid of cells (boxGridFor); each component belongs to the cell holding its bounding
   * box's lower-left corner (clamped into the box), and pages run through the cells in order and
   * by id within a cell. Every page is then a few small index lookups (R*Tree or GiST on a few
   * cells), never a sort of a district's million hits, and each component appears exactly once.
   * SQLite reads a cell's ids a statement each, then the page's rows by id; PostgreSQL runs the
   * same walk inside the database, one statement a page. Rare types are paged the same way from
   * the type index (rare-types.ts).
   */
  async listInBox(db: Executor, box: Box, f: Filters, after: BoxCursor, limit: number): Promise<{ rows: ViewRow[]; cursor: BoxCursor | null }> {
    const rare = f.types?.length && RareTypes.wide(box) ? await this.rare.page(db, box, f, after, limit) : null;
    if (rare) return { rows: await this.inOrder(db, rare.ids), cursor: rare.cursor };
    if (this.dialect === 'postgres') return pgListInBox(db, box, f, after, limit);
    const grid = boxGridFor('sqlite', box);
    const ids: Array<{ cell: number; id: number }> = [];
    for (let cell = after.cell; cell < grid.n * grid.n && ids.length < limit; cell++) {
      const r = await this.sqliteCellQuery(grid, box, f, cell, cell === after.cell ? after.id : 0, limit - ids.length).execute(db);
      for (const x of r.rows) ids.push({ cell, id: Number(x.id) });
    }
    const last = ids.at(-1);
    return { rows: await this.inOrder(db, ids.map((x) => x.id)), cursor: ids.length === limit && last ? last : null };
  }

  /** The rows of `ids`, in that order (a row deleted meanwhile is left out). */
  private async inOrder(db: Executor, ids: number[]): Promise<ComponentRow[]> {
    const byId = new Map((await this.byIds(db, ids)).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is ComponentRow => !!row);
  }

  /**
   * The first `limit` components (after `afterId`) of one cell of a box's grid, as ids: the R*Tree
   * answers alone when nothing is filtered, and only the page's rows are read afterwards.
   */
  private sqliteCellQuery(grid: ReturnType<typeof boxGridFor>, box: Box, f: Filters, cell: number, afterId: number, limit: number) {
    const c = grid.cell(cell);
    // The cell's own edges bound the lower-left corner; the outer cells take every corner beyond the box.
    const corner = sql`${c.west ? sql`1 = 1` : sql`r.min_lon >= ${c.minLon}`} and ${c.east ? sql`1 = 1` : sql`r.min_lon < ${c.maxLon}`}
      and ${c.south ? sql`1 = 1` : sql`r.min_lat >= ${c.minLat}`} and ${c.north ? sql`1 = 1` : sql`r.min_lat < ${c.maxLat}`}`;
    const overlaps = sql`r.min_lon <= ${box[2]} and r.max_lon >= ${box[0]} and r.min_lat <= ${box[3]} and r.max_lat >= ${box[1]}`;
    return treeAlone(f)
      ? sql<{ id: number }>`select r.id from ${rtreeFor(f)} r where ${overlaps} and ${corner} and r.id > ${afterId} order by r.id limit ${limit}`
      : sql<{ id: number }>`select c.id from ${rtreeFor(f)} r cross join components_item c on c.id = r.id
        where ${overlaps} and ${corner} and ${rtreeScope(f)} and c.id > ${afterId} and ${this.filterSql(f, 'c')}
        order by c.id limit ${limit}`;
  }

  /** Every component overlapping `box` (up to `cap`), for nearest / within-radius refinement. */
  async allInBox(db: Executor, box: Box, f: Filters, cap: number): Promise<ComponentRow[]> {
    if (this.dialect === 'postgres') {
      return db
        .selectFrom('components_item')
        .select(COLS)
        .where(sql<SqlBool>`geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)`)
        .where(gistScope(f))
        .where(gistIssue(f))
        .where((eb) => this.filterExpr(eb, f, 'components_item'))
        .limit(cap)
        .execute();
    }
    const q = sql<ComponentRow>`select ${sql.join(COLS.map((c) => sql.ref(`c.${c}`)))} from ${rtreeFor(f)} r cross join components_item c on c.id = r.id
      where r.min_lon <= ${box[2]} and r.max_lon >= ${box[0]} and r.min_lat <= ${box[3]} and r.max_lat >= ${box[1]}
      and ${rtreeScope(f)} and ${this.filterSql(f, 'c')} limit ${cap}`;
    return (await this.raw!.all(db, q.compile(db))).map(rowOf);
  }

  /**
   * What nearest-k and within-radius rank, overlapping `box` (up to `cap`): positions and the
   * geometry of lines and areas, without the rest of each row, which only the answer's rows need.
   */
  async candidatesInBox(db: Executor, box: Box, f: Filters, cap: number): Promise<Candidate[]> {
    const geometry = sql`case when c.geometry_kind = 'point' then null else c.geometry end`;
    if (this.dialect === 'postgres') {
      const r = await sql<Candidate>`select c.id, c.geometry_kind, c.lon, c.lat, ${geometry} as geometry from components_item c
        where c.geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326) and ${gistScope(f)} and ${gistIssue(f)} and ${this.filterSql(f, 'c')} limit ${cap}`.execute(db);
      return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
    }
    const q = sql<Candidate>`select c.id, c.geometry_kind, c.lon, c.lat, ${geometry} as geometry from ${rtreeFor(f)} r cross join components_item c on c.id = r.id
      where r.min_lon <= ${box[2]} and r.max_lon >= ${box[0]} and r.min_lat <= ${box[3]} and r.max_lat >= ${box[1]}
      and ${rtreeScope(f)} and ${this.filterSql(f, 'c')} limit ${cap}`;
    return (await this.raw!.all(db, q.compile(db))).map((a) => ({ id: a[0] as number, geometry_kind: a[1] as Candidate['geometry_kind'], lon: a[2] as number, lat: a[3] as number, geometry: a[4] as string | null }));
  }

  /** How many components a box holds, counted up to `cap` (for choosing a search radius). */
  async countInBox(db: Executor, box: Box, cap: number): Promise<number> {
    const r =
      this.dialect === 'postgres'
        ? await sql<{ n: number }>`select count(*)::int as n from (select 1 from components_item where geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326) limit ${cap}) x`.execute(db)
        : await sql<{ n: number }>`select count(*) as n from (select id from components_rtree where min_lon <= ${box[2]} and max_lon >= ${box[0]} and min_lat <= ${box[3]} and max_lat >= ${box[1]} limit ${cap})`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  private filterExpr(eb: any, f: Filters, _table: string): Expression<SqlBool> {
    const parts: Expression<SqlBool>[] = [];
    if (f.scopePrefix) parts.push(eb.and([eb('jurisdiction_code', '>=', f.scopePrefix), eb('jurisdiction_code', '<', f.scopePrefix + '~')]));
    if (f.types?.length) parts.push(eb('type_code', 'in', f.types));
    if (f.statuses?.length) parts.push(eb('status', 'in', f.statuses));
    return parts.length ? eb.and(parts) : sql<SqlBool>`1 = 1`;
  }

  /**
   * Filters for index-driven box queries. The unary `+` (SQLite only) keeps SQLite from using the place or type
   * index for them: it would then walk a whole district's rows and probe the R*Tree for each,
   * instead of letting the R*Tree find the few rows in the box (CROSS JOIN fixes the loop order).
   */
  private filterSql(f: Filters, alias: string) {
    const parts = [sql`1 = 1`];
    const col = (name: string) => (this.dialect === 'sqlite' ? sql`+${sql.ref(`${alias}.${name}`)}` : sql.ref(`${alias}.${name}`));
    if (f.scopePrefix && f.scopePrefix !== CITY) parts.push(sql`${col('jurisdiction_code')} >= ${f.scopePrefix} and ${col('jurisdiction_code')} < ${f.scopePrefix + '~'}`);
    if (f.types?.length) parts.push(sql`${col('type_code')} in (${sql.join(f.types)})`);
    if (f.statuses?.length) parts.push(sql`${col('status')} in (${sql.join(f.statuses)})`);
    return sql.join(parts, sql` and `);
  }
}
