import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import { ItemDetail, SearchQuery, SearchReply } from './catalogue.schema.ts';
import type { CatalogueService } from './catalogue.service.ts';

const tags = ['services'];

/** /api/services: the catalogue is public reference data, readable without signing in. */
export function catalogueRoutes(app: HttpApp, svc: CatalogueService): void {
  app.get('/services/items', {
    schema: { tags, summary: 'Search the service catalogue (Chinese, pinyin, initials, English, everyday words; typos tolerated) with facets', querystring: SearchQuery, response: { 200: SearchReply } },
  }, async (req) => svc.search(req.query));

  app.get('/services/suggest', {
    schema: { tags, summary: 'Suggestions as people type', querystring: Type.Object({ q: Type.String({ maxLength: 100 }) }), response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })) }) } },
  }, async (req) => ({ items: svc.suggest(req.query.q) }));

  app.get('/services/events', { schema: { tags, summary: 'Life events and enterprise lifecycle events (facet labels)' } }, async () => ({ ...svc.eventLabels(), sectors: svc.sectorNames() }));

  app.get('/services/items/:code', {
    schema: { tags, summary: 'One service item: conditions, materials (and which are already held by a department), limits, fees, trips', params: Type.Object({ code: Type.String({ maxLength: 40 }) }), response: { 200: ItemDetail } },
  }, async (req) => svc.get(req.params.code));
}
