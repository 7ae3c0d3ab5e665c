import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * The component registry: types (data, extensible), components with their geometry and a spatial
 * index (SQLite: an R*Tree virtual table kept in step by the store; PostgreSQL: a PostGIS column with
 * a GiST index), per-component history, counts per place/type/status, and import jobs.
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('components_type')
      .addColumn('code', 'varchar(8)', (c) => c.primaryKey())
      .addColumn('class_code', 'varchar(2)', (c) => c.notNull())
      .addColumn('name_zh', 'varchar(100)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(200)', (c) => c.notNull())
      .addColumn('geometry', 'varchar(8)', (c) => c.notNull())
      .addColumn('kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('owner_sector', 'varchar(32)')
      .addColumn('attributes_schema', t.json, (c) => c.notNull())
      .addColumn('builtin', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('components_item')
      .addColumn('id', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('code', 'varchar(20)', (c) => c.notNull().unique())
      .addColumn('type_code', 'varchar(8)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('geometry_kind', 'varchar(8)', (c) => c.notNull())
      .addColumn('geometry', 'text', (c) => c.notNull())
      .addColumn('lon', t.float, (c) => c.notNull())
      .addColumn('lat', t.float, (c) => c.notNull())
      .addColumn('min_lon', t.float, (c) => c.notNull())
      .addColumn('min_lat', t.float, (c) => c.notNull())
      .addColumn('max_lon', t.float, (c) => c.notNull())
      .addColumn('max_lat', t.float, (c) => c.notNull())
      .addColumn('status', 'varchar(10)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)')
      .addColumn('address', 'varchar(300)')
      .addColumn('owner_dept', 'varchar(64)')
      .addColumn('maintainer_dept', 'varchar(64)')
      .addColumn('attributes', t.json, (c) => c.notNull())
      .addColumn('photos', t.json, (c) => c.notNull())
      .addColumn('source', 'varchar(64)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('updated_by', 'varchar(64)')
      .execute();
    // Listing "in a place" walks (jurisdiction, id) or (type, jurisdiction, id) in index order.
    await db.schema.createIndex('components_item_place').on('components_item').columns(['jurisdiction_code', 'id']).execute();
    await db.schema.createIndex('components_item_type_place').on('components_item').columns(['type_code', 'jurisdiction_code', 'id']).execute();
    await db.schema.createIndex('components_item_updated').on('components_item').columns(['updated_at', 'id']).execute();
    if (d === 'postgres') {
      await sql`alter table components_item add column geom geometry(Geometry, 4326) not null`.execute(db);
      await sql`create index components_item_geom on components_item using gist (geom)`.execute(db);
    } else {
      await sql`create virtual table components_rtree using rtree(id, min_lon, max_lon, min_lat, max_lat)`.execute(db);
    }

    await db.schema
      .createTable('components_history')
      .addColumn('seq', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('component_code', 'varchar(20)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('action', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)')
      .addColumn('at', t.time, (c) => c.notNull())
      .addColumn('changes', t.json, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('components_history_code').on('components_history').columns(['component_code', 'seq']).execute();

    // Counts per leaf jurisdiction, type and status, kept in step with every write (the counts API
    // and the low-zoom map aggregate these instead of scanning millions of rows).
    await db.schema
      .createTable('components_count')
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('type_code', 'varchar(8)', (c) => c.notNull())
      .addColumn('status', 'varchar(10)', (c) => c.notNull())
      .addColumn('n', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('components_count_pk', ['jurisdiction_code', 'type_code', 'status'])
      .execute();

    await db.schema
      .createTable('components_import')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('file_name', 'varchar(500)', (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(200)', (c) => c.notNull())
      .addColumn('format', 'varchar(10)', (c) => c.notNull())
      .addColumn('status', 'varchar(12)', (c) => c.notNull())
      .addColumn('total_bytes', t.bigint, (c) => c.notNull())
      .addColumn('offset_bytes', t.bigint, (c) => c.notNull())
      .addColumn('next_line', t.bigint, (c) => c.notNull())
      .addColumn('next_ordinal', t.bigint, (c) => c.notNull())
      .addColumn('resume_state', t.json)
      .addColumn('created_count', t.bigint, (c) => c.notNull())
      .addColumn('updated_count', t.bigint, (c) => c.notNull())
      .addColumn('unchanged_count', t.bigint, (c) => c.notNull())
      .addColumn('failed_count', t.bigint, (c) => c.notNull())
      .addColumn('error_file', 'varchar(500)')
      .addColumn('message', 'text')
      .addColumn('scope_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('started_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('updated_at', t.time, (c) => c.notNull())
      .addColumn('finished_at', t.time)
      .execute();
    await db.schema.createIndex('components_import_fingerprint').on('components_import').columns(['fingerprint', 'status']).execute();
  },
};
