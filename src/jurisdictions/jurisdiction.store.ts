import { sql } from 'kysely';
import type { Db, Dialect } from '../platform/db/database.ts';
import { boolValue, fromJson, toBool, toJson } from '../platform/db/dialect.ts';
import { LEVEL_DEPTH } from './divisions.ts';
import type { MultiPolygon } from './geo/polygon.ts';
import type { NodeRow, NodeWithGeometry } from './jurisdiction.schema.ts';

const BATCH = 400;

/** All SQL of the jurisdictions module. */
export class JurisdictionStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  async count(): Promise<number> {
    const r = await this.db.selectFrom('jurisdictions_node').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * Writes the whole tree in batches, inside one transaction, replacing what was there, so a
   * re-seed never leaves half of an old tree beside half of a new one.
   */
  async replaceAll(nodes: NodeWithGeometry[], onProgress: (done: number) => void): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('jurisdictions_node').execute();
      for (let i = 0; i < nodes.length; i += BATCH) {
        const rows = nodes.slice(i, i + BATCH).map((n) => {
          const geometry = toJson(n.geometry);
          const row: Record<string, unknown> = {
            code: n.code,
            name: n.name,
            name_en: n.nameEn,
            level: n.level,
            kind: n.kind,
            parent_code: n.parentCode,
            depth: LEVEL_DEPTH[n.level],
            special: boolValue(this.dialect, n.special),
            synthetic: boolValue(this.dialect, n.synthetic),
            centroid_lon: n.centroid[0],
            centroid_lat: n.centroid[1],
            min_lon: n.bbox[0],
            min_lat: n.bbox[1],
            max_lon: n.bbox[2],
            max_lat: n.bbox[3],
            area_km2: n.areaKm2,
            geometry,
          };
          if (this.dialect === 'postgres') {
            row.geom = sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'MultiPolygon', coordinates: n.geometry })}), 4326))`;
          }
          return row;
        });
        await tx.insertInto('jurisdictions_node').values(rows as any).execute();
        onProgress(Math.min(i + BATCH, nodes.length));
      }
    });
  }

  /** Every node with its geometry, in code order (the service keeps the tree in memory). */
  async loadAll(): Promise<NodeWithGeometry[]> {
    const rows = await this.db.selectFrom('jurisdictions_node').selectAll().orderBy('code').execute();
    return rows.map(fromRow);
  }

  /** PostGIS's answer to "which deepest node contains this point" — a cross-check of the in-memory index. */
  async locateWithPostgis(lon: number, lat: number): Promise<string | null> {
    if (this.dialect !== 'postgres') throw new Error('locateWithPostgis needs PostgreSQL');
    const r = await sql<{ code: string }>`
      select code from jurisdictions_node
      where ST_Contains(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
      order by depth desc limit 1`.execute(this.db);
    return r.rows[0]?.code ?? null;
  }
}

function fromRow(r: NodeRow): NodeWithGeometry {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    level: r.level,
    kind: r.kind,
    parentCode: r.parent_code,
    special: toBool(r.special),
    synthetic: toBool(r.synthetic),
    centroid: [Number(r.centroid_lon), Number(r.centroid_lat)],
    bbox: [Number(r.min_lon), Number(r.min_lat), Number(r.max_lon), Number(r.max_lat)],
    areaKm2: Number(r.area_km2),
    geometry: fromJson<MultiPolygon>(r.geometry),
  };
}
