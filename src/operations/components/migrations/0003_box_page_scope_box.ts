import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';

/**
 * PostgreSQL: `components_box_page(…)` gains `scope_box`, the extent of the caller's scope
 * (JurisdictionService.extent), as a second condition on the spatial index: a street's staff
 * asking about a district-wide box then visit only the candidates near their street, not every
 * component of the box. It is always given (the whole world when nothing is scoped), so that the
 * generic plan keeps it an index condition rather than a filter on rows already read.
 *
 * Otherwise as 0002_box_page: the columns are ViewRow's (component.columns.ts) and the cell.
 */
export const m0003: Migration = {
  name: '0003_box_page_scope_box',
  async up(db, d) {
    if (d !== 'postgres') return;
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
      begin
        for r in from_cell / n .. n - 1 loop
          -- A row of cells nothing overlaps is skipped with one probe instead of one per cell.
          perform 1 from components_item c
            where c.geom && ST_MakeEnvelope(lon_edges[1], lat_edges[r + 1], lon_edges[n + 1], lat_edges[r + 2], 4326)
              and c.geom && ST_MakeEnvelope(scope_box[1], scope_box[2], scope_box[3], scope_box[4], 4326)
              and c.min_lon <= box[3] and c.max_lon >= box[1] and c.min_lat <= box[4] and c.max_lat >= box[2]
              and (scope is null or (c.jurisdiction_code >= scope and c.jurisdiction_code < scope || '~'))
              and (types is null or c.type_code = any(types)) and (statuses is null or c.status = any(statuses))
            limit 1;
          continue when not found;
          for col in case when r = from_cell / n then from_cell % n else 0 end .. n - 1 loop
            -- The components whose lower-left corner (clamped into the box) lies in the cell.
            return query select c.id, c.code, c.type_code, c.jurisdiction_code, c.geometry_kind, c.geometry, c.lon, c.lat,
                c.status, c.name, c.address, c.owner_dept, c.maintainer_dept, c.attributes, c.photos, c.source, c.version,
                c.created_at, c.updated_at, r * n + col
              from components_item c
              where c.geom && ST_MakeEnvelope(lon_edges[col + 1], lat_edges[r + 1], lon_edges[col + 2], lat_edges[r + 2], 4326)
                and c.geom && ST_MakeEnvelope(scope_box[1], scope_box[2], scope_box[3], scope_box[4], 4326)
                and c.min_lon <= box[3] and c.max_lon >= box[1] and c.min_lat <= box[4] and c.max_lat >= box[2]
                and (col = 0 or c.min_lon >= lon_edges[col + 1]) and (col = n - 1 or c.min_lon < lon_edges[col + 2])
                and (r = 0 or c.min_lat >= lat_edges[r + 1]) and (r = n - 1 or c.min_lat < lat_edges[r + 2])
                and (r * n + col > from_cell or c.id > after_id)
                and (scope is null or (c.jurisdiction_code >= scope and c.jurisdiction_code < scope || '~'))
                and (types is null or c.type_code = any(types)) and (statuses is null or c.status = any(statuses))
              order by c.id + 0
              limit remaining;
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
