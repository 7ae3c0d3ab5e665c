import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import type { ApplicationActions } from './application.actions.ts';
import type { ApplicationQueries } from './application.queries.ts';
import { resultView } from './application.queries.ts';
import { ApplicationSummary, ApplicationView, ApproveBody, CorrectBody, CreateBody, ListQuery, NoteBody, ReasonBody, ResubmitBody, ResultView, SaveBody, SubmitBody } from './application.schema.ts';
import type { ApplicationService } from './application.service.ts';
import { FILE_MAX_BYTES, FILE_TYPES, type MaterialFiles } from './files.ts';
import type { ServiceFigures } from './figures.ts';

const tags = ['services'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ maxLength: 20 }) });

export interface ApplicationRouteDeps {
  apps: ApplicationService;
  actions: ApplicationActions;
  queries: ApplicationQueries;
  files: MaterialFiles;
  figures: ServiceFigures;
}

/** /api/services: item forms, material uploads, applications and their processing, results, figures. */
export function applicationRoutes(app: HttpApp, d: ApplicationRouteDeps): void {
  app.get('/services/items/:code/form', {
    schema: { tags, summary: "An item's application form (JSON Schema with layout hints), its materials (with the keys files are attached under) and its review steps", params: Type.Object({ code: Type.String({ maxLength: 40 }) }) },
  }, async (req) => {
    const item = d.apps.item(req.params.code, 'code');
    const form = d.apps.formOf(item);
    return { itemCode: item.code, ...d.apps.forms.view(form), materials: d.apps.materialsOf(item), steps: form.steps, promisedDays: item.promisedDays, legalDays: item.legalDays };
  });

  // Materials arrive as the raw file body; this context parses only those types, as a buffer.
  app.register(async (scoped) => {
    const s = scoped as unknown as HttpApp;
    s.removeAllContentTypeParsers();
    // Any declared type is read: the bytes decide, so a Word file gets the real reason, not a bare 415.
    s.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: FILE_MAX_BYTES }, (_req, body, done) => done(null, body));
    s.post('/services/files', {
      schema: { tags, security, summary: 'Upload a material (PDF, JPEG or PNG, up to 10 MiB) as the body; attach its id to an application', consumes: [...FILE_TYPES], querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200, description: 'the file name to show' })) }), response: { 201: Type.Object({ id: Type.String(), name: Type.String(), contentType: Type.String(), bytes: Type.Integer() }) } },
    }, async (req, reply) => reply.status(201).send(await d.files.upload(req.principal, req.body, req.headers['content-type'], req.query.name)));
  });

  const sendFile = (reply: { header: (k: string, v: string) => unknown; send: (b: Buffer) => unknown }, type: string, name: string, body: Buffer) => {
    reply.header('content-type', type);
    reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'private, max-age=3600');
    return reply.send(body);
  };
  app.get('/services/files/:id', { schema: { tags, security, summary: 'A file you uploaded', params: Type.Object({ id: Type.String({ maxLength: 40 }) }) } }, async (req, reply) => {
    const f = await d.files.readOwn(req.principal, req.params.id);
    return sendFile(reply, f.row.content_type, f.row.name, f.body);
  });

  app.post('/services/applications', { schema: { tags, security, summary: 'Start an application (a draft) for an item', body: CreateBody, response: { 201: ApplicationView } } }, async (req, reply) => reply.status(201).send(await d.actions.create(req.principal, req.body)));
  app.get('/services/applications', {
    schema: { tags, security, summary: "Applications: your own, or (staff) your department's queue in your jurisdiction, newest change first", querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(ApplicationSummary), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (req) => d.queries.list(req.principal, req.query));
  app.get('/services/applications/:id', { schema: { tags, security, summary: 'One application with its form, materials, timeline and what you may do now', params: IdParam, response: { 200: ApplicationView } } }, async (req) => d.queries.get(req.principal, req.params.id));
  app.put('/services/applications/:id', { schema: { tags, security, summary: 'Save a draft (partial forms are fine)', params: IdParam, body: SaveBody, response: { 200: ApplicationView } } }, async (req) => d.actions.save(req.principal, req.params.id, req.body));
  app.delete('/services/applications/:id', { schema: { tags, security, summary: 'Discard a draft', params: IdParam, response: { 204: Type.Null() } } }, async (req, reply) => {
    await d.actions.discard(req.principal, req.params.id);
    return reply.status(204).send(null);
  });
  app.get('/services/applications/:id/files/:file', {
    schema: { tags, security, summary: 'A material attached to an application (its applicant and the handling department)', params: Type.Object({ id: Type.String({ maxLength: 20 }), file: Type.String({ maxLength: 40 }) }) },
  }, async (req, reply) => {
    const row = await d.queries.attachedFile(req.principal, req.params.id, req.params.file);
    return sendFile(reply, row.content_type, row.name, await d.files.read(row));
  });

  const action = (path: string, summary: string, body: unknown, run: (p: never, id: string, b: never) => Promise<unknown>) =>
    app.post(`/services/applications/:id/${path}`, { schema: { tags, security, summary, params: IdParam, body: body as never, response: { 200: ApplicationView } } }, async (req) => run(req.principal as never, (req.params as { id: string }).id, (req.body ?? {}) as never) as never);

  action('submit', 'Submit a draft (complete form, required materials); with consent, documents other departments issued are fetched through data sharing', SubmitBody, (p, id, b: { note?: string; consent?: boolean }) => d.actions.submit(p, id, b.note, b.consent === true));
  action('resubmit', 'Send back the corrections asked for; the clock runs again', ResubmitBody, (p, id, b) => d.actions.resubmit(p, id, b));
  action('withdraw', 'Withdraw before a decision', NoteBody, (p, id, b: { note?: string }) => d.actions.withdraw(p, id, b.note));
  action('accept', '受理: the application is complete; the time limit starts', NoteBody, (p, id, b: { note?: string }) => d.actions.accept(p, id, b.note));
  action('correct', '补正: ask for corrections (the clock pauses until resubmission)', CorrectBody, (p, id, b) => d.actions.correct(p, id, b));
  action('reject', '不予受理: refuse at pre-check, with reasons', ReasonBody, (p, id, b: { reasons: string }) => d.actions.reject(p, id, b.reasons));
  action('pass', 'Pass the current review step on to the next', NoteBody, (p, id, b: { note?: string }) => d.actions.pass(p, id, b.note));
  action('approve', 'Approve (at the last review step): the result is recorded for the applicant', ApproveBody, (p, id, b: { note?: string; validYears?: number }) => d.actions.decide(p, id, 'approve', b.note, b.validYears));
  action('deny', 'Deny, with reasons', ReasonBody, (p, id, b: { reasons: string }) => d.actions.decide(p, id, 'deny', b.reasons));

  app.get('/services/results', { schema: { tags, security, summary: 'Results issued to you (licences, documents, decisions)', response: { 200: Type.Object({ items: Type.Array(ResultView) }) } } }, async (req) => ({ items: (await d.queries.results(req.principal)).map(resultView) }));

  app.get('/services/figures', {
    schema: { tags, security, summary: 'The service network in figures: catalogue shares, applications per day, on-time rate, average days against promised and legal limits per item and department', querystring: Type.Object({ from: Type.Optional(Type.Integer({ minimum: 0, maximum: 8.64e15 })), to: Type.Optional(Type.Integer({ minimum: 0, maximum: 8.64e15 })) }) },
  }, async (req) => d.figures.figures(req.principal, req.query));
}
