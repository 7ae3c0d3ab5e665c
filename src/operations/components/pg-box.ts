import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { Box } from '../../platform/geo/params.ts';
import { boxGridFor, type BoxCursor } from './box-grid.ts';
import type { ViewRow } from './component.columns.ts';
import type { Filters } from './component.store.ts';

type PageRow = ViewRow & { cell: number };

/**
 * A page of a box query on PostgreSQL, paged as on SQLite (ComponentStore.listInBox: cell by cell
 * of the box's grid (boxGridFor: 700 m cells on PostgreSQL), by id within a cell), with the rows clients see (ViewRow) and each one's
 * cell. One statement a page: `components_box_page` (migrations 0002, 0003) visits the cells in order
 * inside the database and stops when the page is full. Visiting them one statement each cost a
 * round trip per cell (about 0.4 ms), and a district box over fields and water asked for up to 256
 * nearly empty cells (at 1 million rows the slowest district boxes took 100–140 statements). Runs
 * of several cells per statement read too much where sparse cells meet a city centre
 * (docs/components.md).
 */
export async function pgListInBox(db: Executor, box: Box, f: Filters, after: BoxCursor, limit: number): Promise<{ rows: ViewRow[]; cursor: BoxCursor | null }> {
  const grid = boxGridFor('postgres', box);
  // The function bounds cell (row r, column c) by edges[c], edges[c + 1]: the numbers boxGrid's cells use.
  const lonEdges = [box[0], ...grid.lonEdges, box[2]];
  const latEdges = [box[1], ...grid.latEdges, box[3]];
  const scope = f.scopePrefix && f.scopePrefix !== '31' ? f.scopePrefix : null;
  const r = await sql<PageRow>`select * from components_box_page(${[...box]}::float8[], ${lonEdges}::float8[], ${latEdges}::float8[],
    ${after.cell}, ${after.id}, ${limit}, ${scope}, ${f.scopeBox ? [...f.scopeBox] : null}::float8[], ${f.types?.length ? f.types : null}::text[], ${f.statuses?.length ? f.statuses : null}::text[])`.execute(db);
  // The function returns them in this order; sorting an ordered page costs one pass, and the cursor relies on it.
  const rows = r.rows.sort((a, b) => a.cell - b.cell || a.id - b.id);
  const last = rows.at(-1);
  return { rows, cursor: rows.length === limit && last ? { cell: last.cell, id: Number(last.id) } : null };
}
