import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * The base registries (基础库): population, legal entities, standard addresses and the e-licence
 * library, plus which account is which resident or company (实名绑定). Keys are the national ones
 * (identity number, unified social credit code) so departments' records join on them.
 */
export const m0001: Migration = {
  name: '0001_init',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('registries_address')
      .addColumn('id', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('district_code', 'varchar(6)', (c) => c.notNull())
      .addColumn('street_code', 'varchar(9)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('road', 'varchar(60)', (c) => c.notNull())
      .addColumn('road_en', 'varchar(120)', (c) => c.notNull())
      .addColumn('number', 'varchar(20)', (c) => c.notNull())
      .addColumn('compound', 'varchar(60)')
      .addColumn('building', 'varchar(20)')
      .addColumn('unit', 'varchar(20)')
      .addColumn('room', 'varchar(20)')
      .addColumn('full', 'varchar(200)', (c) => c.notNull())
      .addColumn('lon', t.float, (c) => c.notNull())
      .addColumn('lat', t.float, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registries_address_jurisdiction').on('registries_address').columns(['jurisdiction_code']).execute();

    await db.schema
      .createTable('registries_person')
      .addColumn('id_number', 'varchar(18)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(40)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(80)', (c) => c.notNull())
      .addColumn('sex', 'varchar(1)', (c) => c.notNull())
      .addColumn('birth_date', 'varchar(10)', (c) => c.notNull())
      .addColumn('ethnicity', 'varchar(20)', (c) => c.notNull())
      .addColumn('phone', 'varchar(20)', (c) => c.notNull())
      .addColumn('hukou_address_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('residence_address_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('marital_status', 'varchar(12)', (c) => c.notNull())
      .addColumn('education', 'varchar(20)', (c) => c.notNull())
      .addColumn('employer_uscc', 'varchar(18)')
      .execute();
    await db.schema.createIndex('registries_person_jurisdiction').on('registries_person').columns(['jurisdiction_code']).execute();

    await db.schema
      .createTable('registries_family')
      .addColumn('person_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('related_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('relation', 'varchar(10)', (c) => c.notNull())
      .addPrimaryKeyConstraint('registries_family_pk', ['person_id', 'related_id'])
      .execute();

    await db.schema
      .createTable('registries_entity')
      .addColumn('uscc', 'varchar(18)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(120)', (c) => c.notNull())
      .addColumn('name_en', 'varchar(240)', (c) => c.notNull())
      .addColumn('type', 'varchar(60)', (c) => c.notNull())
      .addColumn('legal_representative', 'varchar(40)', (c) => c.notNull())
      .addColumn('legal_representative_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('registered_capital', t.float)
      .addColumn('established_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('address_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('jurisdiction_code', 'varchar(15)', (c) => c.notNull())
      .addColumn('business_scope', 'varchar(2000)', (c) => c.notNull())
      .addColumn('industry', 'varchar(10)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registries_entity_jurisdiction').on('registries_entity').columns(['jurisdiction_code']).execute();
    await db.schema.createIndex('registries_entity_representative').on('registries_entity').columns(['legal_representative_id']).execute();

    await db.schema
      .createTable('registries_licence')
      .addColumn('id', 'varchar(14)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(40)', (c) => c.notNull())
      .addColumn('holder_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('holder_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('number', 'varchar(40)', (c) => c.notNull())
      .addColumn('issuer_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('issued_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('valid_from', 'varchar(10)', (c) => c.notNull())
      .addColumn('valid_until', 'varchar(10)')
      .addColumn('status', 'varchar(12)', (c) => c.notNull())
      .addColumn('data', t.json, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registries_licence_holder').on('registries_licence').columns(['holder_id', 'type']).execute();

    await db.schema
      .createTable('registries_binding')
      .addColumn('account_id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('subject_kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('bound_at', t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registries_binding_subject').on('registries_binding').columns(['subject_id']).execute();
  },
};
