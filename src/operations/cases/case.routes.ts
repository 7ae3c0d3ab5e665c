import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import type { CaseActions } from './case.actions.ts';
import type { CaseQueries } from './case.queries.ts';
import { AcceptBody, CaseSummary, CaseView, CategorySchema, DispatchBody, FileBody, HandleBody, ListQuery, MergeBody, PublicCase, RateBody, RejectBody, ReportBody, ReturnBody, SuperviseBody, VerifyBody } from './case.schema.ts';
import type { CaseService } from './case.service.ts';
import type { DispatchTable } from './dispatch-table.ts';
import type { CaseFigures } from './figures.ts';
import { PHOTO_MAX_BYTES, PHOTO_TYPES, type PhotoService } from './photos.ts';

const tags = ['cases'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ maxLength: 20 }) });

export interface CaseRouteDeps {
  cases: CaseService;
  queries: CaseQueries;
  actions: CaseActions;
  photos: PhotoService;
  table: DispatchTable;
  figures: CaseFigures;
}

/** /api/cases: report, queues, the case page's actions, photos, the dispatch table and figures. */
export function caseRoutes(app: HttpApp, d: CaseRouteDeps): void {
  app.get('/cases/categories', {
    schema: { tags, security, summary: 'Case categories (GB/T 30428.2 events and components) with their responsible sector and stage limits', response: { 200: Type.Object({ items: Type.Array(CategorySchema) }) } },
  }, async () => ({
    items: d.cases.catalogue.all().map((c) => ({ code: c.code, groupCode: c.groupCode, groupZh: c.groupZh, groupEn: c.groupEn, nameZh: c.nameZh, nameEn: c.nameEn, kind: c.kind, urgent: c.urgent, responsible: `${c.sector}/${c.level}`, limits: c.limits })),
  }));

  app.post('/cases', {
    schema: { tags, security, summary: 'Report a problem (citizens, grid workers, staff; operators with a hotline caller)', body: ReportBody, response: { 201: CaseView } },
  }, async (req, reply) => reply.status(201).send(await d.actions.report(req.principal, req.body)));

  app.get('/cases', {
    schema: { tags, security, summary: 'Cases you may see, newest first (or nearest first with near=lon,lat): officials their queue, the public their own reports', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(CaseSummary), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (req) => d.queries.list(req.principal, req.query));

  app.get('/cases/nearby', {
    schema: { tags, security, summary: 'Public reports of the last 30 days in a box (public fields only)', querystring: Type.Object({ bbox: Type.String({ maxLength: 100, description: 'west,south,east,north' }) }), response: { 200: Type.Object({ items: Type.Array(PublicCase) }) } },
  }, async (req) => d.queries.nearby(req.principal, req.query.bbox));

  app.get('/cases/map/rows', {
    schema: { tags, security, summary: 'Open cases in a box for the command map, compact: [id, lon, lat, colour, category, level], most urgent first (≤ 5,000)', querystring: Type.Object({ bbox: Type.String({ maxLength: 100 }) }) },
  }, async (req) => d.queries.mapRows(req.principal, req.query.bbox));

  app.get('/cases/figures', {
    schema: {
      tags,
      security,
      summary: 'On-time, closure and reopen rates and average time per stage over a period, in your scope',
      querystring: Type.Object({ from: Type.Integer({ minimum: 0, maximum: 8.64e15, description: 'epoch ms' }), to: Type.Integer({ minimum: 0, maximum: 8.64e15, description: 'epoch ms' }), by: Type.Union([Type.Literal('department'), Type.Literal('category'), Type.Literal('jurisdiction')]) }),
    },
  }, async (req) => d.figures.figures(req.principal, req.query));

  const DispatchRule = Type.Object({ categoryCode: Type.String({ maxLength: 8 }), jurisdictionCode: Type.String({ maxLength: 15 }), departmentCode: Type.String({ maxLength: 40 }), team: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
  app.get('/cases/dispatch-rules', { schema: { tags, security, summary: 'The dispatch table in your scope' } }, async (req) => d.table.list(req.principal));
  app.put('/cases/dispatch-rules', { schema: { tags, security, summary: 'Set the department (and team) for a category in a jurisdiction (administrators)', body: DispatchRule } }, async (req) => d.table.put(req.principal, req.body));
  app.delete('/cases/dispatch-rules/:category/:jurisdiction', {
    schema: { tags, security, summary: 'Remove a dispatch-table row', params: Type.Object({ category: Type.String({ maxLength: 8 }), jurisdiction: Type.String({ maxLength: 15 }) }), response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await d.table.remove(req.principal, req.params.category, req.params.jurisdiction);
    return reply.status(204).send(null);
  });

  // Photos arrive as the raw image body; this context parses only images, as a buffer.
  app.register(async (scoped) => {
    const s = scoped as unknown as HttpApp;
    s.removeAllContentTypeParsers();
    s.addContentTypeParser([...PHOTO_TYPES, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
    s.post('/cases/photos', {
      schema: { tags, security, summary: 'Upload an evidence photo (JPEG, PNG or WebP, up to 8 MiB) as the body; use its id in a report or action', consumes: [...PHOTO_TYPES], response: { 201: Type.Object({ id: Type.String(), url: Type.String(), contentType: Type.String(), bytes: Type.Integer() }) } },
    }, async (req, reply) => reply.status(201).send(await d.photos.upload(req.principal, req.body, req.headers['content-type'])));
  });

  app.get('/cases/photos/:id', { schema: { tags, security, summary: 'A photo', params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (req, reply) => {
    const photo = await d.photos.read(req.principal, req.params.id);
    return reply.header('content-type', photo.type).header('cache-control', 'private, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(photo.body);
  });

  app.get('/cases/:id', { schema: { tags, security, summary: 'One case: the whole record for officials in reach, the timeline for its reporters, public fields for others', params: IdParam, response: { 200: CaseView } } }, async (req) => d.queries.get(req.principal, req.params.id));

  const action = <B>(path: string, summary: string, body: B, run: (req: { principal: any; params: { id: string }; body: any }) => Promise<unknown>) =>
    app.post(`/cases/:id/${path}`, { schema: { tags, security, summary, params: IdParam, body: body as any, response: { 200: CaseView } } }, async (req) => run(req as never) as never);

  action('accept', '受理: accept a report at intake (operations centre)', AcceptBody, (r) => d.actions.accept(r.principal, r.params.id, r.body.note));
  action('reject', 'Reject a report at intake with a reason', RejectBody, (r) => d.actions.reject(r.principal, r.params.id, r.body.reason, r.body.note));
  action('merge', 'Merge a duplicate into an open case; its reporters follow that case', MergeBody, (r) => d.actions.merge(r.principal, r.params.id, r.body.into, r.body.note));
  action('file', '立案: confirm category, severity and place', FileBody, (r) => d.actions.file(r.principal, r.params.id, r.body));
  action('dispatch', '派遣: to the proposed department or another, with team, assignee and supporting departments', DispatchBody, (r) => d.actions.dispatch(r.principal, r.params.id, r.body));
  action('handle', '处置: done, with a note and evidence photos (lead department or assignee)', HandleBody, (r) => d.actions.handle(r.principal, r.params.id, r.body.note, r.body.photos));
  action('return', '退回: wrongly dispatched, back to dispatch with the reason', ReturnBody, (r) => d.actions.returnCase(r.principal, r.params.id, r.body.reason));
  action('verify', '核查: a grid worker other than the handler checks the site (photo required); passed closes, failed reopens', VerifyBody, (r) => d.actions.verify(r.principal, r.params.id, r.body.passed, r.body.photos, r.body.note));
  action('rate', '评价: a reporter rates the closed case', RateBody, (r) => d.actions.rate(r.principal, r.params.id, r.body.rating, r.body.comment));
  action('supervise', '督办: a district or city centre supervises an open case', SuperviseBody, (r) => d.actions.supervise(r.principal, r.params.id, r.body.note));
}
