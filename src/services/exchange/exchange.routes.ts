import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import { CallBody, CallReply, DecideBody, LogQuery, LogView, RequestBody, RequestView, ResourceBody, ResourceView, RevokeBody } from './exchange.schema.ts';
import type { ExchangeService } from './exchange.service.ts';

const tags = ['exchange'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ maxLength: 20 }) });
const LogPage = Type.Object({ items: Type.Array(LogView), nextBefore: Type.Union([Type.Integer(), Type.Null()]) });

/** /api/exchange: the resource catalogue, access requests and grants, calls, and the exchange log. */
export function exchangeRoutes(app: HttpApp, svc: ExchangeService): void {
  const grants = svc.grants;
  app.get('/exchange/resources', { schema: { tags, security, summary: 'The data resource catalogue: each department\'s resources, fields and sensitivity', response: { 200: Type.Object({ items: Type.Array(ResourceView) }) } } }, async (req) => ({
    items: await grants.listResources(req.principal),
  }));

  app.post('/exchange/resources', { schema: { tags, security, summary: 'Publish a data resource of your department', body: ResourceBody, response: { 201: ResourceView } } }, async (req, reply) =>
    reply.status(201).send(await grants.publish(req.principal, req.body)));

  app.get('/exchange/requests', {
    schema: { tags, security, summary: 'Access requests your department made or must decide (administrators: all)', querystring: Type.Object({ status: Type.Optional(Type.Union(['pending', 'granted', 'refused', 'revoked', 'expired'].map((v) => Type.Literal(v)))), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }), response: { 200: Type.Object({ items: Type.Array(RequestView) }) } },
  }, async (req) => ({ items: await grants.listRequests(req.principal, req.query) }));

  app.post('/exchange/requests', { schema: { tags, security, summary: 'Ask for access to another department\'s resource, with purpose and legal basis', body: RequestBody, response: { 201: RequestView } } }, async (req, reply) =>
    reply.status(201).send(await grants.request(req.principal, req.body)));

  app.get('/exchange/requests/:id', { schema: { tags, security, summary: 'One access request or grant', params: IdParam, response: { 200: RequestView } } }, async (req) => grants.getRequest(req.principal, req.params.id));

  app.post('/exchange/requests/:id/decision', { schema: { tags, security, summary: 'Grant (fields, clear fields, subjects, days) or refuse: the owner department', params: IdParam, body: DecideBody, response: { 200: RequestView } } }, async (req) =>
    grants.decide(req.principal, req.params.id, req.body));

  app.post('/exchange/requests/:id/revoke', { schema: { tags, security, summary: 'Revoke a grant: calls under it fail from now on', params: IdParam, body: RevokeBody, response: { 200: RequestView } } }, async (req) =>
    grants.revoke(req.principal, req.params.id, req.body.reason));

  app.post('/exchange/calls', { schema: { tags, security, summary: 'An exchange call: one subject\'s fields of one resource, checked against your department\'s grant, masked and logged', body: CallBody, response: { 200: CallReply } } }, async (req) =>
    svc.call(req.principal, req.body));

  app.get('/exchange/log', { schema: { tags, security, summary: 'The exchange log: your department\'s calls and calls on its resources (administrators: all)', querystring: LogQuery, response: { 200: LogPage } } }, async (req) =>
    svc.listLog(req.principal, req.query));

  app.get('/exchange/log/verify', {
    schema: { tags, security, summary: 'Check the exchange log\'s hash chain (administrators)', response: { 200: Type.Object({ checked: Type.Integer(), problems: Type.Array(Type.Object({ seq: Type.Integer(), problem: Type.String() })), head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]) }) } },
  }, async (req) => svc.verify(req.principal));

  app.get('/exchange/mine', { schema: { tags, security, summary: 'Who looked at my data, when and why (residents and companies)', querystring: Type.Pick(LogQuery, ['before', 'from', 'to', 'limit']), response: { 200: LogPage } } }, async (req) =>
    svc.mine(req.principal, req.query));
}
