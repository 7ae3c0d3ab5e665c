import { sql, type SqlBool } from 'kysely';
import type { Dialect, Executor, Tx } from '../../platform/db/database.ts';
import type { FeatureLayer, FeatureRow, NewFeature } from './map.schema.ts';

/** [minLon, minLat, maxLon, maxLat]. */
export type Box = [number, number, number, number];

const COLS = ['id', 'layer', 'kind', 'name_zh', 'name_en', 'min_zoom', 'geometry', 'min_lon', 'min_lat', 'max_lon', 'max_lat'] as const;

/** All SQL of the map module, for both dialects. */
export class MapStore {
  constructor(private readonly dialect: Dialect) {}

  /** Deletes every feature of the given layers; returns how many went. */
  async deleteLayers(tx: Tx, layers: FeatureLayer[]): Promise<number> {
    if (layers.length === 0) return 0;
    if (this.dialect === 'sqlite') {
      await sql`delete from map_feature_rtree where id in (select id from map_feature where layer in (${sql.join(layers)}))`.execute(tx);
    }
    const r = await tx.deleteFrom('map_feature').where('layer', 'in', layers).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async insert(tx: Tx, rows: NewFeature[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const values = chunk.map((r) => (this.dialect === 'postgres' ? { ...r, geom: sql`ST_SetSRID(ST_GeomFromGeoJSON(${r.geometry}), 4326)` } : r));
      const inserted = await tx.insertInto('map_feature').values(values as never).returning('id').execute();
      if (this.dialect === 'sqlite') {
        await tx
          .insertInto('map_feature_rtree' as never)
          .values(chunk.map((r, j) => ({ id: Number(inserted[j]!.id), min_lon: r.min_lon, max_lon: r.max_lon, min_lat: r.min_lat, max_lat: r.max_lat })) as never)
          .execute();
      }
    }
  }

  /** Features whose bounding box overlaps `box` and that are drawn at zoom `z`, in id order. */
  async inBox(db: Executor, box: Box, z: number): Promise<FeatureRow[]> {
    if (this.dialect === 'postgres') {
      const rows = await db
        .selectFrom('map_feature')
        .select(COLS)
        .where(sql<SqlBool>`geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)`)
        .where('min_zoom', '<=', z)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    }
    const r = await sql<FeatureRow>`select f.id, f.layer, f.kind, f.name_zh, f.name_en, f.min_zoom, f.geometry, f.min_lon, f.min_lat, f.max_lon, f.max_lat
      from map_feature_rtree r join map_feature f on f.id = r.id
      where r.min_lon <= ${box[2]} and r.max_lon >= ${box[0]} and r.min_lat <= ${box[3]} and r.max_lat >= ${box[1]} and f.min_zoom <= ${z}
      order by f.id`.execute(db);
    return r.rows;
  }

  /** Features per layer (for the seed's report and tests). */
  async countByLayer(db: Executor): Promise<Record<string, number>> {
    const rows = await db.selectFrom('map_feature').select(['layer', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('layer').execute();
    return Object.fromEntries(rows.map((r) => [r.layer, Number(r.n)]));
  }
}
