import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../../../platform/module.ts';
import { toProblem } from '../../../platform/http/problem.ts';
import { CORE_CONTEXT, LINK, type Entity, type NgsiService } from './ngsi.service.ts';
import type { SubscriptionService, SubscriptionView } from './subscriptions.ts';

const tags = ['ngsi-ld'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const Loose = Type.Object({}, { additionalProperties: true });

/** What selects entities (GET /entities and its temporal form). */
const ENTITY_FILTERS = {
  type: Type.Optional(Type.String({ maxLength: 1000 })),
  id: Type.Optional(Type.String({ maxLength: 10_000 })),
  q: Type.Optional(Type.String({ maxLength: 2000 })),
  attrs: Type.Optional(Type.String({ maxLength: 2000 })),
  georel: Type.Optional(Type.String({ maxLength: 100 })),
  geometry: Type.Optional(Type.String({ maxLength: 20 })),
  coordinates: Type.Optional(Type.String({ maxLength: 100_000 })),
};
const PAGE = { limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) };
/** The time part of a temporal query. */
const TIME = {
  timerel: Type.Optional(Type.String({ maxLength: 10 })),
  timeAt: Type.Optional(Type.String({ maxLength: 40 })),
  endTimeAt: Type.Optional(Type.String({ maxLength: 40 })),
  lastN: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
};

/** NGSI-LD names its errors by URI; ours map onto them. */
const NGSI_ERRORS: Record<number, string> = { 400: 'BadRequestData', 401: 'NoAuthorization', 403: 'NoAuthorization', 404: 'ResourceNotFound', 409: 'AlreadyExists', 413: 'RequestEntityTooLarge' };

/** JSON with the core @context in a Link header, or JSON-LD with the @context in the body when asked. */
function send(req: FastifyRequest, reply: FastifyReply, body: Entity | Entity[] | SubscriptionView | SubscriptionView[]) {
  if (/application\/ld\+json/.test(req.headers.accept ?? '')) {
    const withContext = (e: Entity | SubscriptionView) => ({ ...e, '@context': CORE_CONTEXT });
    return reply.type('application/ld+json').send(Array.isArray(body) ? body.map(withContext) : withContext(body));
  }
  return reply.type('application/json').header('link', LINK).send(body);
}

/** /ngsi-ld/v1: entities and their temporal representation (ETSI GS CIM 009), read-only; subscriptions to their changes. */
export function ngsiRoutes(app: HttpApp, svc: NgsiService, subscriptions: SubscriptionService): void {
  // NGSI-LD clients send bodies as JSON-LD, the @context inside.
  app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'ignore'));

  // JSON bodies go out as plain `application/json` / `application/ld+json`, as the standard's
  // examples and other brokers send them: some NGSI-LD clients (ngsijs) compare the media type
  // exactly and would not read an error body that carries `; charset=utf-8`.
  app.addHook('onSend', async (req, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (req.url.startsWith('/ngsi-ld/') && typeof type === 'string') reply.header('content-type', type.replace(/;\s*charset=utf-8$/i, ''));
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    const name = NGSI_ERRORS[p.status] ?? (p.status >= 500 ? 'InternalError' : 'BadRequestData');
    return reply.status(p.status).type('application/json').send({ type: `https://uri.etsi.org/ngsi-ld/errors/${name}`, title: p.title, detail: p.detail, status: p.status, ...(p.field ? { field: p.field } : {}) });
  });

  app.get('/ngsi-ld/v1/entities', {
    schema: {
      tags,
      security,
      summary: 'Devices as NGSI-LD entities: type, id, q (waterLevel>4.5), attrs, georel (near;maxDistance==500 / within), limit, offset, count, options=keyValues',
      querystring: Type.Object({
        ...ENTITY_FILTERS,
        ...PAGE,
        count: Type.Optional(Type.Boolean()),
        options: Type.Optional(Type.String({ maxLength: 100 })),
      }),
      response: { 200: Type.Array(Loose) },
    },
  }, async (req, reply) => {
    const { entities, count } = await svc.query(req.principal, req.query);
    if (req.query.count) reply.header('ngsild-results-count', String(count));
    return send(req, reply, entities);
  });

  app.get('/ngsi-ld/v1/entities/:id', {
    schema: { tags, security, summary: 'One entity', params: Type.Object({ id: Type.String({ maxLength: 200 }) }), querystring: Type.Object({ attrs: Type.Optional(Type.String({ maxLength: 2000 })), options: Type.Optional(Type.String({ maxLength: 100 })) }), response: { 200: Loose } },
  }, async (req, reply) => send(req, reply, await svc.get(req.principal, req.params.id, req.query)));

  app.get('/ngsi-ld/v1/temporal/entities', {
    schema: {
      tags,
      security,
      summary: 'Readings over time of the entities a query matches (type or id required; q, georel as for /entities; limit ≤ 100), with timerel/timeAt/endTimeAt, lastN, attrs',
      querystring: Type.Object({ ...ENTITY_FILTERS, ...TIME, ...PAGE }),
      response: { 200: Type.Array(Loose) },
    },
  }, async (req, reply) => send(req, reply, await svc.temporalQuery(req.principal, req.query)));

  app.get('/ngsi-ld/v1/temporal/entities/:id', {
    schema: {
      tags,
      security,
      summary: 'An entity\'s readings over time: timerel (before, after, between) with timeAt/endTimeAt, lastN, attrs',
      params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
      querystring: Type.Object({ attrs: ENTITY_FILTERS.attrs, ...TIME }),
      response: { 200: Loose },
    },
  }, async (req, reply) => send(req, reply, await svc.temporal(req.principal, req.params.id, req.query)));

  const SubscriptionId = Type.Object({ id: Type.String({ maxLength: 200 }) });

  app.post('/ngsi-ld/v1/subscriptions', {
    schema: {
      tags,
      security,
      summary: 'Subscribe to changes of device entities: entities [{type}], watchedAttributes, q, notification {endpoint {uri, accept}, attributes, format}, throttling (s); 201 with a Location',
      body: Loose,
    },
  }, async (req, reply) => {
    const sub = await subscriptions.create(req.principal, req.body);
    return reply.status(201).header('location', `/ngsi-ld/v1/subscriptions/${sub.id}`).send();
  });

  app.get('/ngsi-ld/v1/subscriptions', {
    schema: { tags, security, summary: 'The subscriptions of your jurisdiction, each with how its notifications fared (notification.timesSent, lastSuccess, lastFailure, lastError)', response: { 200: Type.Array(Loose) } },
  }, async (req, reply) => send(req, reply, await subscriptions.list(req.principal)));

  app.get('/ngsi-ld/v1/subscriptions/:id', {
    schema: { tags, security, summary: 'One subscription', params: SubscriptionId, response: { 200: Loose } },
  }, async (req, reply) => send(req, reply, await subscriptions.get(req.principal, req.params.id)));

  app.delete('/ngsi-ld/v1/subscriptions/:id', {
    schema: { tags, security, summary: 'Delete a subscription: its pending notifications are dropped', params: SubscriptionId, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await subscriptions.remove(req.principal, req.params.id);
    return reply.status(204).send(null);
  });
}
