// Box pages and nearest-k for rare types, read from the type index instead of the spatial one.
//
// Why: the spatial index finds a box's components whatever their type. Filtered to a type the box
// barely holds, a box query reads every candidate of the box and drops nearly all of them (a
// 20 km box holds about 70,000 components at 1 million rows, a million at 15 million), and
// nearest-k grows its box across the city looking for k of them. When the types asked for have at
// most RARE_CAP components in the caller's scope — counted on the type index, which stops at the
// cap — reading those few by type is cheaper, whatever the box.
//
// It selects by place prefix alone, where the spatial path also asks for the scope's extent: the
// same rows as long as every component's point lies inside the extent of its jurisdiction, which
// holds while components are located in the jurisdiction tree they are queried with (a tree
// replaced under existing components would break both paths' scoping, not only this one's).
//
// The pages are the spatial path's pages: the same grid (boxGridFor), each component in the cell
// of its lower-left corner clamped into the box, by id within a cell, compared with the numbers
// that path compares (SQLite's R*Tree holds float32 bounds, rounded outwards). A cursor from
// either path therefore pages on in the other, and a test compares the two.
import { sql } from 'kysely';
import type { Dialect, Executor } from '../../platform/db/database.ts';
import type { RawRows } from '../../platform/db/raw-rows.ts';
import { boxGridFor, boxSideMetres, type BoxCursor } from './box-grid.ts';
import type { Box, Candidate, Filters } from './component.store.ts';

/** The most components of the asked-for types a scope may hold for them to be read by type. */
export const RARE_CAP = 10_000;

/** Boxes narrower than this the spatial index answers cheaply whatever the filter (street zoom). */
const WIDE_BOX_METRES = 2_500;

interface RareRow extends Candidate {
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

/** How long PostgreSQL's column statistics are kept here before they are read again. */
const STATS_MS = 60_000;

interface TypeStats {
  at: number;
  /** Estimated rows of each common type, and of any other type. */
  common: Map<string, number>;
  other: number;
}

/** Reads by type for one dialect's store. */
export class RareTypes {
  private stats: TypeStats | null = null;

  constructor(
    private readonly dialect: Dialect,
    private readonly raw: RawRows | null,
  ) {}

  /** Is a box wide enough for a filtered query over it to be worth asking the type index first? */
  static wide(box: Box): boolean {
    return boxSideMetres(box) > WIDE_BOX_METRES;
  }

  /**
   * Every component matching `f` when its types have at most RARE_CAP components in its scope,
   * else null (then the spatial index answers). Lines and areas carry their GeoJSON when asked.
   */
  async rows(db: Executor, f: Filters, withGeometry: boolean): Promise<RareRow[] | null> {
    if (!f.types?.length) return null;
    const prefix = f.scopePrefix ?? '31';
    const where = sql`type_code in (${sql.join(f.types)}) and jurisdiction_code >= ${prefix} and jurisdiction_code < ${prefix + '~'}`;
    const statuses = f.statuses?.length ? sql`and status in (${sql.join(f.statuses)})` : sql``;
    const geometry = withGeometry ? sql`case when geometry_kind = 'point' then null else geometry end` : sql`null`;
    const select = sql`select id, geometry_kind, lon, lat, min_lon, min_lat, max_lon, max_lat, ${geometry} as geometry from components_item where ${where} ${statuses}`;
    if (this.dialect === 'postgres') {
      // PostgreSQL would count a common type by reading its rows (no index-only scan before the
      // table is vacuumed), so its own statistics rule common types out first; the read itself
      // stops one row past the cap.
      const estimate = await this.estimate(db, f.types);
      if (estimate !== null && estimate > 4 * RARE_CAP) return null;
      const rows = (await sql<RareRow>`${select} limit ${RARE_CAP + 1}`.execute(db)).rows;
      return rows.length > RARE_CAP ? null : rows.map((r) => ({ ...r, id: Number(r.id) }));
    }
    // SQLite counts on the (type, place) index alone, and only up to the cap: a common type costs
    // a few thousand index entries here, not a read of its rows.
    const counted = await sql<{ n: number }>`select count(*) as n from (select 1 from components_item where ${where} limit ${RARE_CAP + 1}) x`.execute(db);
    if (Number(counted.rows[0]?.n ?? 0) > RARE_CAP) return null;
    return (await this.raw!.all(db, select.compile(db))).map((a) => ({
      id: a[0] as number, geometry_kind: a[1] as RareRow['geometry_kind'], lon: a[2] as number, lat: a[3] as number,
      min_lon: a[4] as number, min_lat: a[5] as number, max_lon: a[6] as number, max_lat: a[7] as number, geometry: a[8] as string | null,
    }));
  }

  /**
   * PostgreSQL's estimate of the rows of `types` city-wide, from the statistics ANALYZE keeps (an
   * initial load ends with one; autovacuum keeps them up); null before there are any.
   */
  private async estimate(db: Executor, types: string[]): Promise<number | null> {
    if (!this.stats || performance.now() - this.stats.at > STATS_MS) {
      const r = await sql<{ vals: string[] | null; freqs: number[] | null; n_distinct: number; null_frac: number; reltuples: number }>`
        select s.most_common_vals::text::text[] as vals, s.most_common_freqs as freqs, s.n_distinct, s.null_frac, c.reltuples
        from pg_stats s join pg_class c on c.oid = 'components_item'::regclass
        where s.schemaname = current_schema() and s.tablename = 'components_item' and s.attname = 'type_code'`.execute(db);
      const row = r.rows[0];
      if (!row || row.reltuples <= 0) return null;
      const vals = row.vals ?? [];
      const freqs = row.freqs ?? [];
      const distinct = row.n_distinct < 0 ? -row.n_distinct * row.reltuples : row.n_distinct;
      const left = Math.max(0, 1 - row.null_frac - freqs.reduce((a, b) => a + b, 0));
      this.stats = {
        at: performance.now(),
        common: new Map(vals.map((v, i) => [v, freqs[i]! * row.reltuples])),
        other: (left * row.reltuples) / Math.max(1, distinct - vals.length),
      };
    }
    const stats = this.stats;
    return types.reduce((sum, t) => sum + (stats.common.get(t) ?? stats.other), 0);
  }

  /**
   * A box page as the spatial path pages it (ComponentStore.listInBox): ids in (cell, id) order
   * after `after`, and the cursor of a full page. Null when the types are not rare.
   */
  async page(db: Executor, box: Box, f: Filters, after: BoxCursor, limit: number): Promise<{ ids: number[]; cursor: BoxCursor | null } | null> {
    const rows = await this.rows(db, f, false);
    if (!rows) return null;
    const grid = boxGridFor(this.dialect, box);
    // SQLite compares the R*Tree's float32 bounds (lower ones rounded down, upper ones up);
    // PostgreSQL the rows' own doubles.
    const lo = this.dialect === 'sqlite' ? float32Down : (x: number) => x;
    const hi = this.dialect === 'sqlite' ? float32Up : (x: number) => x;
    const hits: BoxCursor[] = [];
    for (const r of rows) {
      const minLon = lo(r.min_lon);
      const minLat = lo(r.min_lat);
      if (minLon > box[2] || hi(r.max_lon) < box[0] || minLat > box[3] || hi(r.max_lat) < box[1]) continue;
      const cell = edgesAtOrBelow(grid.latEdges, minLat) * grid.n + edgesAtOrBelow(grid.lonEdges, minLon);
      if (cell > after.cell || (cell === after.cell && r.id > after.id)) hits.push({ cell, id: r.id });
    }
    hits.sort((a, b) => a.cell - b.cell || a.id - b.id);
    const page = hits.slice(0, limit);
    return { ids: page.map((h) => h.id), cursor: page.length === limit ? page.at(-1)! : null };
  }
}

/** The column (or row) of a corner: how many inner edges lie at or below it (a corner on an edge starts the next cell). */
function edgesAtOrBelow(edges: number[], v: number): number {
  let i = 0;
  while (i < edges.length && v >= edges[i]!) i++;
  return i;
}

// SQLite's R*Tree (rtreeValueDown / rtreeValueUp in its source) stores a double as the nearest
// float32, and when that lies on the wrong side, as the float32 nearest the double scaled by
// 1 ∓ 2⁻²³ (which may be one or two float32 steps away). These repeat that arithmetic exactly.
const RND_TOWARDS = 1 - 1 / 8388608;
const RND_AWAY = 1 + 1 / 8388608;

/** The R*Tree's float32 of a lower bound (at or below `x`). */
export function float32Down(x: number): number {
  const f = Math.fround(x);
  return f > x ? Math.fround(x * (x < 0 ? RND_AWAY : RND_TOWARDS)) : f;
}

/** The R*Tree's float32 of an upper bound (at or above `x`). */
export function float32Up(x: number): number {
  const f = Math.fround(x);
  return f < x ? Math.fround(x * (x < 0 ? RND_TOWARDS : RND_AWAY)) : f;
}
