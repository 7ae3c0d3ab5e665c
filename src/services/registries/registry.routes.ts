import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import type { RegistryService } from './registry.service.ts';

const tags = ['registries'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

/** /api/registries: residents and companies read what the base registries hold about them. */
export function registryRoutes(app: HttpApp, svc: RegistryService): void {
  app.get('/registries/me', {
    schema: { tags, security, summary: 'My data: what the base registries hold about me (or my company), my family links and my licences', response: { 200: Type.Unknown() } },
  }, async (req) => svc.mine(req.principal));

  const Report = Type.Object({
    id: Type.String(), subjectKind: Type.String(), field: Type.String(), fieldZh: Type.String(), fieldEn: Type.String(), proposed: Type.String(), reason: Type.String(),
    departmentCode: Type.String(), departmentName: Type.String(), status: Type.String(), reply: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Number(), resolvedAt: Type.Union([Type.Number(), Type.Null()]),
  });
  app.post('/registries/me/reports', {
    schema: {
      tags, security, summary: 'Report a value of my record as wrong (数据纠错): it goes to the department that keeps it',
      body: Type.Object({ field: Type.String({ maxLength: 40 }), proposed: Type.String({ minLength: 1, maxLength: 200, description: 'what it should say' }), reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 201: Report },
    },
  }, async (req, reply) => reply.status(201).send(await svc.reports.report(req.principal, req.body)));

  app.get('/registries/me/reports', { schema: { tags, security, summary: 'My error reports and their answers', response: { 200: Type.Object({ items: Type.Array(Report) }) } } }, async (req) => ({
    items: await svc.reports.mine(req.principal),
  }));

  app.get('/registries/reports', {
    schema: { tags, security, summary: 'Error reports sent to my department', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('corrected'), Type.Literal('rejected')])) }), response: { 200: Type.Object({ items: Type.Array(Report) }) } },
  }, async (req) => ({ items: await svc.reports.forDepartment(req.principal, req.query.status) }));

  app.post('/registries/reports/:id/answer', {
    schema: {
      tags, security, summary: 'Answer an error report: corrected (in the department\'s own records) or rejected, with a reply',
      params: Type.Object({ id: Type.String({ maxLength: 20 }) }),
      body: Type.Object({ status: Type.Union([Type.Literal('corrected'), Type.Literal('rejected')]), reply: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Report },
    },
  }, async (req) => svc.reports.resolve(req.principal, req.params.id, req.body));
}
