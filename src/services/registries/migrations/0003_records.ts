import type { Migration } from '../../../platform/db/migrator.ts';
import { columnTypes } from '../../../platform/db/dialect.ts';

/**
 * The departments' business records the instant certificates draw on: social insurance periods
 * (人社), income tax and entities' taxes (税务), provident fund deposits (公积金), home ownership
 * (不动产登记), entities' administrative penalties, and the bare fact of a criminal record. Months are
 * `YYYY-MM` text, money whole yuan.
 */
export const m0003: Migration = {
  name: '0003_records',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('registries_insurance')
      .addColumn('person_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('from_month', 'varchar(7)', (c) => c.notNull())
      .addColumn('to_month', 'varchar(7)')
      .addColumn('employer_uscc', 'varchar(18)')
      .addColumn('base', 'integer', (c) => c.notNull())
      .addColumn('kinds', 'varchar(80)', (c) => c.notNull())
      .addPrimaryKeyConstraint('registries_insurance_pk', ['person_id', 'from_month'])
      .execute();
    await db.schema.createIndex('registries_insurance_employer').on('registries_insurance').columns(['employer_uscc']).execute();

    await db.schema
      .createTable('registries_income_tax')
      .addColumn('person_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('months', 'integer', (c) => c.notNull())
      .addColumn('income', 'integer', (c) => c.notNull())
      .addColumn('tax', 'integer', (c) => c.notNull())
      .addColumn('withholder_uscc', 'varchar(18)')
      .addPrimaryKeyConstraint('registries_income_tax_pk', ['person_id', 'year'])
      .execute();

    await db.schema
      .createTable('registries_entity_tax')
      .addColumn('uscc', 'varchar(18)', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('vat', t.float, (c) => c.notNull())
      .addColumn('income_tax', t.float, (c) => c.notNull())
      .addColumn('other', t.float, (c) => c.notNull())
      .addColumn('owed', t.float, (c) => c.notNull())
      .addPrimaryKeyConstraint('registries_entity_tax_pk', ['uscc', 'year'])
      .execute();

    await db.schema
      .createTable('registries_fund')
      .addColumn('person_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('from_month', 'varchar(7)', (c) => c.notNull())
      .addColumn('to_month', 'varchar(7)')
      .addColumn('account_no', 'varchar(20)', (c) => c.notNull())
      .addColumn('employer_uscc', 'varchar(18)', (c) => c.notNull())
      .addColumn('base', 'integer', (c) => c.notNull())
      .addColumn('rate', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('registries_fund_pk', ['person_id', 'from_month'])
      .execute();

    await db.schema
      .createTable('registries_property')
      .addColumn('certificate_no', 'varchar(40)', (c) => c.notNull())
      .addColumn('owner_id', 'varchar(18)', (c) => c.notNull())
      .addColumn('address_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('area', t.float, (c) => c.notNull())
      .addColumn('use', 'varchar(20)', (c) => c.notNull())
      .addColumn('share', 'varchar(20)', (c) => c.notNull())
      .addColumn('registered_on', 'varchar(10)', (c) => c.notNull())
      .addPrimaryKeyConstraint('registries_property_pk', ['owner_id', 'certificate_no'])
      .execute();

    await db.schema
      .createTable('registries_penalty')
      .addColumn('uscc', 'varchar(18)', (c) => c.notNull())
      .addColumn('decided_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('department_code', 'varchar(40)', (c) => c.notNull())
      .addColumn('matter', 'varchar(200)', (c) => c.notNull())
      .addColumn('amount', t.float, (c) => c.notNull())
      .addPrimaryKeyConstraint('registries_penalty_pk', ['uscc', 'decided_on', 'matter'])
      .execute();

    await db.schema
      .createTable('registries_criminal')
      .addColumn('person_id', 'varchar(18)', (c) => c.primaryKey())
      .addColumn('recorded_on', 'varchar(10)', (c) => c.notNull())
      .execute();
  },
};
