import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../platform/context.ts';
import type { HttpApp } from '../../../platform/module.ts';
import { featureSchema, GEOJSON_TYPE, JSON_TYPE, OPENAPI_TYPE, SCHEMA_TYPE, toCollection, type Link } from './ogc.features.ts';
import { ogcOpenApi } from './ogc.openapi.ts';
import { checkParams, ITEMS_PARAMS, METADATA_PARAMS, parseItemsParams } from './ogc.params.ts';
import { OgcService } from './ogc.service.ts';

/** The conformance classes of OGC API – Features – Part 1 this API implements. */
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

const tags = ['ogc'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const Collection = Type.Object({ collectionId: Type.String({ maxLength: 100 }) });
const Feature = Type.Object({ collectionId: Type.String({ maxLength: 100 }), featureId: Type.String({ maxLength: 100 }) });
const FEATURE_FORMATS = ['json', 'geojson'];

/** This server as its clients reach it (scheme and host, behind a trusted proxy too): links are absolute. */
function baseUrl(req: FastifyRequest): string {
  const host = /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(req.host) ? req.host : 'localhost';
  return `${req.protocol === 'https' ? 'https' : 'http'}://${host}`;
}

/** A query string from the parameters given, commas, slashes and colons left readable. */
function query(params: Array<[string, string | undefined]>): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%2F/gi, '/').replace(/%3A/gi, ':');
  const parts = params.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${enc(v!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function send(reply: FastifyReply, type: string, body: unknown): FastifyReply {
  return reply.header('content-type', `${type}; charset=utf-8`).send(JSON.stringify(body));
}

/**
 * OGC API – Features – Part 1 (Core, GeoJSON, OpenAPI 3.0) under /ogc: the component registry as
 * one collection per component type. The landing page and conformance declaration are public;
 * everything else needs `component.read` and shows only the caller's jurisdiction.
 */
export function ogcRoutes(app: HttpApp, ctx: AppContext): void {
  const svc = new OgcService(ctx, ctx.services.components);

  const landing = async (req: FastifyRequest, reply: FastifyReply) => {
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS);
    const base = baseUrl(req);
    return send(reply, JSON_TYPE, {
      title: 'Yiwang 一网 — 城市部件 City components',
      description:
        'The component registry of the city operations platform (一网统管) as OGC API – Features: one collection per component type (GB/T 30428.2). ' +
        'Reading the collections needs an API token (Authorization: Bearer yw_…) of an account that may read components; answers hold only that account\'s jurisdiction.',
      links: [
        { href: `${base}/ogc`, rel: 'self', type: JSON_TYPE, title: 'This document' },
        { href: `${base}/ogc/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'The API definition (OpenAPI 3.0)' },
        { href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes implemented' },
        { href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'The collections' },
      ] satisfies Link[],
    });
  };
  app.get('/ogc', { schema: { tags, summary: 'OGC API – Features landing page (public)' } }, landing);
  // A landing-page URL typed with a trailing slash (common in GIS connection dialogs) works too.
  app.get('/ogc/', { schema: { hide: true } as never }, landing);

  app.get('/ogc/conformance', { schema: { tags, summary: 'OGC API – Features conformance classes (public)' } }, async (req, reply) => {
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS);
    return send(reply, JSON_TYPE, { conformsTo: CONFORMANCE });
  });

  app.get('/ogc/api', { schema: { tags, security, summary: 'The OGC API definition (OpenAPI 3.0)' } }, async (req, reply) => {
    svc.scope(req.principal);
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS);
    return send(reply, OPENAPI_TYPE, ogcOpenApi(baseUrl(req)));
  });

  app.get('/ogc/collections', { schema: { tags, security, summary: 'OGC collections: one per component type' } }, async (req, reply) => {
    svc.scope(req.principal);
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS);
    const base = baseUrl(req);
    const types = await svc.types(req.principal);
    return send(reply, JSON_TYPE, {
      links: [{ href: `${base}/ogc/collections`, rel: 'self', type: JSON_TYPE, title: 'The collections' }] satisfies Link[],
      collections: types.map((t) => toCollection(t, svc.classOf(t), base)),
    });
  });

  app.get('/ogc/collections/:collectionId', { schema: { tags, security, summary: 'One OGC collection (component type)', params: Collection } }, async (req, reply) => {
    svc.scope(req.principal);
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS);
    const t = await svc.collection(req.principal, req.params.collectionId);
    return send(reply, JSON_TYPE, toCollection(t, svc.classOf(t), baseUrl(req)));
  });

  app.get('/ogc/collections/:collectionId/schema', { schema: { tags, security, summary: 'JSON Schema of a collection\'s features', params: Collection } }, async (req, reply) => {
    svc.scope(req.principal);
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS);
    const t = await svc.collection(req.principal, req.params.collectionId);
    return send(reply, SCHEMA_TYPE, featureSchema(t, `${baseUrl(req)}/ogc/collections/${t.row.code}/schema`));
  });

  app.get('/ogc/collections/:collectionId/items', { schema: { tags, security, summary: 'Features of a collection in your jurisdiction (bbox, datetime, limit; next links page on)', params: Collection } }, async (req, reply) => {
    svc.scope(req.principal);
    const q = checkParams(req.query as Record<string, unknown>, ITEMS_PARAMS, FEATURE_FORMATS);
    const params = parseItemsParams(q);
    const page = await svc.items(req.principal, req.params.collectionId, params);
    const collection = `${baseUrl(req)}/ogc/collections/${req.params.collectionId}`;
    const { bbox, datetime, limit, cursor } = params.raw;
    const links: Link[] = [
      { href: `${collection}/items${query([['limit', limit], ['bbox', bbox], ['datetime', datetime], ['cursor', cursor], ['f', q.f]])}`, rel: 'self', type: GEOJSON_TYPE, title: 'This page' },
      { href: collection, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
    ];
    if (page.next) links.push({ href: `${collection}/items${query([['limit', limit], ['bbox', bbox], ['datetime', datetime], ['cursor', page.next]])}`, rel: 'next', type: GEOJSON_TYPE, title: 'Next page' });
    return send(reply, GEOJSON_TYPE, {
      type: 'FeatureCollection',
      timeStamp: new Date(ctx.clock.now()).toISOString(),
      ...(page.numberMatched !== undefined ? { numberMatched: page.numberMatched } : {}),
      numberReturned: page.features.length,
      features: page.features,
      links,
    });
  });

  app.get('/ogc/collections/:collectionId/items/:featureId', { schema: { tags, security, summary: 'One feature (the component code is its id)', params: Feature } }, async (req, reply) => {
    svc.scope(req.principal);
    checkParams(req.query as Record<string, unknown>, METADATA_PARAMS, FEATURE_FORMATS);
    const feature = await svc.feature(req.principal, req.params.collectionId, req.params.featureId);
    const collection = `${baseUrl(req)}/ogc/collections/${req.params.collectionId}`;
    return send(reply, GEOJSON_TYPE, {
      ...feature,
      links: [
        { href: `${collection}/items/${feature.id as string}`, rel: 'self', type: GEOJSON_TYPE, title: 'This feature' },
        { href: collection, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
      ] satisfies Link[],
    });
  });
}
