import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import {
  ComponentSchema,
  CountsQuery,
  CountsSchema,
  CreateBody,
  HistorySchema,
  ListQuery,
  PageSchema,
  TypeBody,
  TypeSchema,
  TypeUpdateBody,
  UpdateBody,
} from './component.schema.ts';
import type { ComponentService } from './component.service.ts';
import type { TypeService } from './type.service.ts';

const tags = ['components'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const CodeParam = Type.Object({ code: Type.String({ maxLength: 20 }) });

/** /api/components and /api/component-types. */
export function componentRoutes(app: HttpApp, svc: ComponentService, types: TypeService): void {
  app.get('/components', {
    schema: {
      tags,
      security,
      summary: 'Components in your jurisdiction: near=lon,lat with k (nearest) or radius (metres); bbox; or by jurisdiction; filter by type, class, status; cursor pages',
      querystring: ListQuery,
      response: { 200: PageSchema },
    },
  }, async (req) => svc.query(req.principal, req.query));

  app.post('/components', {
    schema: { tags, security, summary: 'Register a component (code assigned when left out; jurisdiction from the geometry)', body: CreateBody, response: { 201: ComponentSchema } },
  }, async (req, reply) => reply.status(201).send(await svc.create(req.principal, req.body)));

  app.get('/components/counts', {
    schema: { tags, security, summary: 'Counts per type and status, and per child jurisdiction, under a jurisdiction', querystring: CountsQuery, response: { 200: CountsSchema } },
  }, async (req) => svc.counts(req.principal, req.query));

  app.get('/components/:code', {
    schema: { tags, security, summary: 'One component', params: CodeParam, response: { 200: ComponentSchema } },
  }, async (req) => svc.get(req.principal, req.params.code));

  app.patch('/components/:code', {
    schema: { tags, security, summary: 'Change a component (send the version you read); grid workers may change status and photos', params: CodeParam, body: UpdateBody, response: { 200: ComponentSchema } },
  }, async (req) => svc.update(req.principal, req.params.code, req.body));

  app.delete('/components/:code', {
    schema: { tags, security, summary: 'Delete a component (its history stays)', params: CodeParam, querystring: Type.Object({ version: Type.Integer({ minimum: 1 }) }), response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await svc.remove(req.principal, req.params.code, req.query.version);
    return reply.status(204).send(null);
  });

  app.get('/components/:code/history', {
    schema: { tags, security, summary: 'Who changed what, and when (newest first)', params: CodeParam, response: { 200: HistorySchema } },
  }, async (req) => svc.history(req.principal, req.params.code));

  app.get('/component-types', {
    schema: {
      tags,
      security,
      summary: 'The GB/T 30428.2 classes, the component types with their attribute schemas, and the statuses',
      response: { 200: Type.Object({ classes: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })), types: Type.Array(TypeSchema), statuses: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })) }) },
    },
  }, async (req) => types.list(req.principal));

  app.get('/component-types/:code', {
    schema: { tags, security, summary: 'One component type', params: CodeParam, response: { 200: TypeSchema } },
  }, async (req) => types.get(req.principal, req.params.code));

  app.post('/component-types', {
    schema: { tags, security, summary: 'Add a component type (city administrators)', body: TypeBody, response: { 201: TypeSchema } },
  }, async (req, reply) => reply.status(201).send(await types.create(req.principal, req.body)));

  app.patch('/component-types/:code', {
    schema: { tags, security, summary: 'Rename a type or replace its attribute schema (city administrators)', params: CodeParam, body: TypeUpdateBody, response: { 200: TypeSchema } },
  }, async (req) => types.update(req.principal, req.params.code, req.body));
}
