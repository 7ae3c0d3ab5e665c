import { sql } from 'kysely';
import type { Migration } from '../../platform/db/migrator.ts';
import { columnTypes } from '../../platform/db/dialect.ts';

/** The jurisdiction tree; in PostgreSQL also a PostGIS geometry with a GiST index. */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('jurisdictions_node')
      .addColumn('code', 'varchar(15)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(200)', (c) => c.notNull())
      .addColumn('level', 'varchar(10)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('parent_code', 'varchar(15)')
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('special', t.bool, (c) => c.notNull())
      .addColumn('synthetic', t.bool, (c) => c.notNull())
      .addColumn('centroid_lon', t.float, (c) => c.notNull())
      .addColumn('centroid_lat', t.float, (c) => c.notNull())
      .addColumn('min_lon', t.float, (c) => c.notNull())
      .addColumn('min_lat', t.float, (c) => c.notNull())
      .addColumn('max_lon', t.float, (c) => c.notNull())
      .addColumn('max_lat', t.float, (c) => c.notNull())
      .addColumn('area_km2', t.float, (c) => c.notNull())
      .addColumn('geometry', t.json, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jurisdictions_node_parent').on('jurisdictions_node').column('parent_code').execute();
    await db.schema.createIndex('jurisdictions_node_level').on('jurisdictions_node').column('level').execute();
    if (d === 'postgres') {
      await sql`alter table jurisdictions_node add column geom geometry(MultiPolygon, 4326)`.execute(db);
      await sql`create index jurisdictions_node_geom on jurisdictions_node using gist (geom)`.execute(db);
    }
  },
};
