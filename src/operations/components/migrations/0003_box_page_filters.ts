import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';

/**
 * Two narrowings of spatial queries (docs/components.md, "Queries"):
 *
 * - **The scope's extent.** PostgreSQL's `components_box_page(…)` (0002) gains `scope_box`, the
 *   extent of the caller's scope (JurisdictionService.extent), as a second condition on the spatial
 *   index: a street's staff asking about a district-wide box visit only the candidates near their
 *   street. The function's queries come in variants with and without it (null when nothing is
 *   scoped), so that each generic plan keeps it an index condition where it is given and carries
 *   nothing extra where it is not (always giving the whole world cost unscoped street-zoom pages
 *   0.6–2.9 ms more at p99 at 1 million, in three runs of 600). SQLite's queries put the same
 *   condition on the R*Tree; they need no migration.
 * - **A spatial index of the components that are not intact** (damaged, missing, occupied,
 *   removed): a few percent of the registry, and what operations centres filter the map for. A
 *   query asking only for such statuses reads these candidates instead of every component of the
 *   box. SQLite: a second R*Tree, `components_rtree_issue`, kept by triggers on every write path
 *   (the API's, the bulk writer's, an initial load's), so that no writer can forget it.
 *   PostgreSQL: a partial GiST index, and a variant of each of the function's queries that names
 *   `status <> 'intact'`, which the index needs to be chosen: a generic plan cannot prove it from
 *   the `statuses` parameter.
 *
 * The function's columns are ViewRow's (component.columns.ts) and the cell.
 */

/** What a variant of a query adds: the scope's extent on the index, the not-intact only. */
interface Variant {
  scoped: boolean;
  issue: boolean;
}

const extent = (v: Variant) => (v.scoped ? `and c.geom && ST_MakeEnvelope(scope_box[1], scope_box[2], scope_box[3], scope_box[4], 4326)` : '');
const notIntact = (v: Variant) => (v.issue ? `and c.status <> 'intact'` : '');

/** The check for an empty row of cells. */
const probe = (v: Variant) => `perform 1 from components_item c
            where c.geom && ST_MakeEnvelope(lon_edges[1], lat_edges[r + 1], lon_edges[n + 1], lat_edges[r + 2], 4326) ${extent(v)}
              and c.min_lon <= box[3] and c.max_lon >= box[1] and c.min_lat <= box[4] and c.max_lat >= box[2]
              and (scope is null or (c.jurisdiction_code >= scope and c.jurisdiction_code < scope || '~'))
              and (types is null or c.type_code = any(types)) and (statuses is null or c.status = any(statuses)) ${notIntact(v)}
            limit 1;`;

/** One cell's components (lower-left corner, clamped into the box, in the cell). */
const cell = (v: Variant) => `return query select c.id, c.code, c.type_code, c.jurisdiction_code, c.geometry_kind, c.geometry, c.lon, c.lat,
                c.status, c.name, c.address, c.owner_dept, c.maintainer_dept, c.attributes, c.photos, c.source, c.version,
                c.created_at, c.updated_at, r * n + col
              from components_item c
              where c.geom && ST_MakeEnvelope(lon_edges[col + 1], lat_edges[r + 1], lon_edges[col + 2], lat_edges[r + 2], 4326) ${extent(v)}
                and c.min_lon <= box[3] and c.max_lon >= box[1] and c.min_lat <= box[4] and c.max_lat >= box[2]
                and (col = 0 or c.min_lon >= lon_edges[col + 1]) and (col = n - 1 or c.min_lon < lon_edges[col + 2])
                and (r = 0 or c.min_lat >= lat_edges[r + 1]) and (r = n - 1 or c.min_lat < lat_edges[r + 2])
                and (r * n + col > from_cell or c.id > after_id)
                and (scope is null or (c.jurisdiction_code >= scope and c.jurisdiction_code < scope || '~'))
                and (types is null or c.type_code = any(types)) and (statuses is null or c.status = any(statuses)) ${notIntact(v)}
              order by c.id + 0
              limit remaining;`;

/**
 * A query in its four variants, chosen at run time: each is planned (generically) on its own, so
 * an unscoped query carries no extra index condition and a not-intact one names the partial index's.
 */
const variants = (query: (v: Variant) => string) => `if issue and scoped then
            ${query({ issue: true, scoped: true })}
          elsif issue then
            ${query({ issue: true, scoped: false })}
          elsif scoped then
            ${query({ issue: false, scoped: true })}
          else
            ${query({ issue: false, scoped: false })}
          end if;`;

export const m0003: Migration = {
  name: '0003_box_page_filters',
  async up(db, d) {
    if (d === 'sqlite') {
      await sql`create virtual table components_rtree_issue using rtree(id, min_lon, max_lon, min_lat, max_lat)`.execute(db);
      await sql`create trigger components_issue_insert after insert on components_item when new.status <> 'intact'
        begin
          insert into components_rtree_issue (id, min_lon, max_lon, min_lat, max_lat) values (new.id, new.min_lon, new.max_lon, new.min_lat, new.max_lat);
        end`.execute(db);
      await sql`create trigger components_issue_update after update of status, min_lon, min_lat, max_lon, max_lat on components_item
        begin
          delete from components_rtree_issue where id = old.id;
          insert into components_rtree_issue (id, min_lon, max_lon, min_lat, max_lat)
            select new.id, new.min_lon, new.max_lon, new.min_lat, new.max_lat where new.status <> 'intact';
        end`.execute(db);
      await sql`create trigger components_issue_delete after delete on components_item when old.status <> 'intact'
        begin
          delete from components_rtree_issue where id = old.id;
        end`.execute(db);
      await sql`insert into components_rtree_issue (id, min_lon, max_lon, min_lat, max_lat)
        select id, min_lon, max_lon, min_lat, max_lat from components_item where status <> 'intact'`.execute(db);
      return;
    }
    await sql`create index if not exists components_item_issue_geom on components_item using gist (geom) where status <> 'intact'`.execute(db);
    await sql`drop function if exists components_box_page(float8[], float8[], float8[], int, bigint, int, text, text[], text[])`.execute(db);
    await sql`create or replace function components_box_page(
        box float8[], lon_edges float8[], lat_edges float8[], from_cell int, after_id bigint, page int,
        scope text, scope_box float8[], types text[], statuses text[])
      returns table (id bigint, code varchar, type_code varchar, jurisdiction_code varchar, geometry_kind varchar,
        geometry text, lon float8, lat float8, status varchar, name varchar, address varchar, owner_dept varchar,
        maintainer_dept varchar, attributes jsonb, photos jsonb, source varchar, version int, created_at bigint,
        updated_at bigint, cell int)
      language plpgsql stable
      set plan_cache_mode = force_generic_plan
      as $$
      #variable_conflict use_column
      declare
        n int := array_length(lon_edges, 1) - 1;
        remaining int := page;
        got int;
        -- Only statuses other than intact: the partial index of those answers.
        issue boolean := statuses is not null and not ('intact' = any(statuses));
        scoped boolean := scope_box is not null;
      begin
        for r in from_cell / n .. n - 1 loop
          -- A row of cells nothing overlaps is skipped with one probe instead of one per cell.
          ${sql.raw(variants(probe))}
          continue when not found;
          for col in case when r = from_cell / n then from_cell % n else 0 end .. n - 1 loop
            ${sql.raw(variants(cell))}
            get diagnostics got = row_count;
            remaining := remaining - got;
            if remaining <= 0 then
              return;
            end if;
          end loop;
        end loop;
      end $$`.execute(db);
  },
};
