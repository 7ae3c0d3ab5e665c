import type { Dialect } from '../../platform/db/database.ts';
import type { Box } from '../../platform/geo/params.ts';

/** Where a box query's page ended: a grid cell and the last id in it. */
export interface BoxCursor {
  cell: number;
  id: number;
}

/** The most cells a side of any box's grid has, on either database (a cursor beyond is forged). */
export const MAX_GRID_SIDE = 32;

/** The longer side of a box, in metres (near enough at Shanghai's size). */
export function boxSideMetres(box: Box): number {
  const midLat = (box[1] + box[3]) / 2;
  const widthM = (box[2] - box[0]) * 111_320 * Math.cos((midLat * Math.PI) / 180);
  return Math.max(widthM, (box[3] - box[1]) * 110_574);
}

/**
 * A box cut into n × n cells about `cellMetres` wide (at most `maxN` × `maxN`), row by row from the
 * south-west; edge cells reach out to the box's edges.
 */
export function boxGrid(box: Box, cellMetres: number, maxN = 16) {
  const n = Math.max(1, Math.min(maxN, Math.ceil(boxSideMetres(box) / cellMetres)));
  const dx = (box[2] - box[0]) / n;
  const dy = (box[3] - box[1]) / n;
  const inner = Array.from({ length: n - 1 }, (_, i) => i + 1);
  // The edges between columns and between rows (n − 1 each): the one source of every cell's bounds.
  const lonEdges = inner.map((col) => box[0] + col * dx);
  const latEdges = inner.map((row) => box[1] + row * dy);
  return {
    n,
    lonEdges,
    latEdges,
    cell(i: number) {
      const col = i % n;
      const row = Math.floor(i / n);
      return {
        minLon: col === 0 ? box[0] : lonEdges[col - 1]!,
        maxLon: col === n - 1 ? box[2] : lonEdges[col]!,
        minLat: row === 0 ? box[1] : latEdges[row - 1]!,
        maxLat: row === n - 1 ? box[3] : latEdges[row]!,
        west: col === 0,
        east: col === n - 1,
        south: row === 0,
        north: row === n - 1,
      };
    },
  };
}


/**
 * How wide a box's cells are on each database, and how many a side has at most. SQLite reads a
 * cell's ids a statement each (no round trip), so 2 km cells, up to 16 × 16. PostgreSQL reads and
 * sorts every candidate of a cell to return its first page, so a dense cell should not hold many
 * more than a page (a 2 km cell in a city centre held about 6,500 at 15 million), while empty cells
 * cost little, because they are visited inside the database: 700 m and up to 32 × 32 gave street
 * and district boxes a p99 of about 9 ms at 15 million, against 11–15 ms for 1 km and up to
 * 16 × 16; 500 m was no better (docs/components.md).
 */
export function boxGridFor(dialect: Dialect, box: Box) {
  return dialect === 'postgres' ? boxGrid(box, 700, MAX_GRID_SIDE) : boxGrid(box, 2000, 16);
}
