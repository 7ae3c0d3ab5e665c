import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * The base map's own features (roads, water) with a spatial index: in SQLite an R*Tree virtual
 * table kept in step by the store, in PostgreSQL a PostGIS column with a GiST index.
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('map_feature')
      .addColumn('id', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('layer', 'varchar(8)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('name_zh', 'varchar(100)')
      .addColumn('name_en', 'varchar(200)')
      .addColumn('min_zoom', 'integer', (c) => c.notNull())
      .addColumn('geometry', 'text', (c) => c.notNull())
      .addColumn('min_lon', t.float, (c) => c.notNull())
      .addColumn('min_lat', t.float, (c) => c.notNull())
      .addColumn('max_lon', t.float, (c) => c.notNull())
      .addColumn('max_lat', t.float, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('map_feature_layer').on('map_feature').columns(['layer', 'id']).execute();
    if (d === 'postgres') {
      await sql`alter table map_feature add column geom geometry(Geometry, 4326) not null`.execute(db);
      await sql`create index map_feature_geom on map_feature using gist (geom)`.execute(db);
    } else {
      await sql`create virtual table map_feature_rtree using rtree(id, min_lon, max_lon, min_lat, max_lat)`.execute(db);
    }
  },
};
