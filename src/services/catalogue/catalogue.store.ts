import type { Executor } from '../../platform/db/database.ts';
import { toJson } from '../../platform/db/dialect.ts';
import type { ItemRow } from './catalogue.schema.ts';

/** All SQL of the catalogue. */
export class CatalogueStore {
  all(db: Executor): Promise<ItemRow[]> {
    return db.selectFrom('services_item').selectAll().orderBy('code').execute();
  }

  get(db: Executor, code: string): Promise<ItemRow | undefined> {
    return db.selectFrom('services_item').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** Inserts or replaces items by code (a seed run twice changes nothing but the time). */
  async upsert(db: Executor, rows: ItemRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200).map((r) => ({ ...r, applicants: toJson(r.applicants), legal_basis: toJson(r.legal_basis), materials: toJson(r.materials), life_events: toJson(r.life_events), enterprise_events: toJson(r.enterprise_events), keywords: toJson(r.keywords) }));
      await db
        .insertInto('services_item')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name_zh: eb.ref('excluded.name_zh'),
            name_en: eb.ref('excluded.name_en'),
            sector: eb.ref('excluded.sector'),
            kind: eb.ref('excluded.kind'),
            applicants: eb.ref('excluded.applicants'),
            legal_basis: eb.ref('excluded.legal_basis'),
            conditions_zh: eb.ref('excluded.conditions_zh'),
            conditions_en: eb.ref('excluded.conditions_en'),
            materials: eb.ref('excluded.materials'),
            legal_days: eb.ref('excluded.legal_days'),
            promised_days: eb.ref('excluded.promised_days'),
            fee_zh: eb.ref('excluded.fee_zh'),
            fee_en: eb.ref('excluded.fee_en'),
            online: eb.ref('excluded.online'),
            trips: eb.ref('excluded.trips'),
            inspections: eb.ref('excluded.inspections'),
            life_events: eb.ref('excluded.life_events'),
            enterprise_events: eb.ref('excluded.enterprise_events'),
            keywords: eb.ref('excluded.keywords'),
          })),
        )
        .execute();
    }
  }
}
