// The API definition of /ogc as OpenAPI 3.0 (the `service-desc` of the landing page): generic
// paths with a collectionId parameter, the query parameters each resource understands, and every
// status code the server answers with.

import { DECLARED_MAX_LIMIT, DEFAULT_LIMIT, PAGE_CAP } from './ogc.params.ts';
import { GEOJSON_TYPE, JSON_TYPE, SCHEMA_TYPE } from './ogc.features.ts';

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), ref('responses', `P${c}`)]));
const json = (schema: object, type = JSON_TYPE) => ({ content: { [type]: { schema } } });

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('schemas', 'problem') } } });
const link = { type: 'object', required: ['href', 'rel'], properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } } };
const links = { type: 'array', items: ref('schemas', 'link') };
const feature = {
  type: 'object',
  required: ['type', 'geometry', 'properties'],
  properties: { type: { type: 'string', enum: ['Feature'] }, id: { type: 'string' }, geometry: { type: 'object', nullable: true }, properties: { type: 'object', nullable: true }, links },
};
const collection = {
  type: 'object',
  required: ['id', 'links'],
  properties: { id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, itemType: { type: 'string' }, crs: { type: 'array', items: { type: 'string' } }, extent: { type: 'object' }, links },
};

/** The OpenAPI 3.0 definition of the OGC API under `${base}/ogc`. */
export function ogcOpenApi(base: string): Record<string, unknown> {
  const data = ['Data'];
  const meta = ['Capabilities'];
  return {
    openapi: '3.0.3',
    info: {
      title: 'Yiwang 一网 — city components (城市部件) as OGC API – Features',
      version: '1.0.0',
      description:
        'OGC API – Features – Part 1: Core, with GeoJSON. One collection per component type. ' +
        'Everything but the landing page and the conformance declaration needs an account that may read the registry ' +
        '(an API token: `Authorization: Bearer yw_…`), and answers only with components in that account\'s jurisdiction.',
    },
    servers: [{ url: `${base}/ogc` }],
    tags: [{ name: 'Capabilities', description: 'What this API offers' }, { name: 'Data', description: 'The features' }],
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/': { get: { tags: meta, summary: 'Landing page', operationId: 'getLandingPage', security: [], parameters: [ref('parameters', 'f')], responses: { 200: { description: 'Links to the API definition, conformance and collections', ...json(ref('schemas', 'landingPage')) }, ...problems(400, 500) } } },
      '/conformance': { get: { tags: meta, summary: 'Conformance classes implemented', operationId: 'getConformanceDeclaration', security: [], parameters: [ref('parameters', 'f')], responses: { 200: { description: 'The conformance classes', ...json(ref('schemas', 'confClasses')) }, ...problems(400, 500) } } },
      '/api': { get: { tags: meta, summary: 'This API definition', operationId: 'getApiDefinition', parameters: [ref('parameters', 'f')], responses: { 200: { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } } }, ...problems(400, 401, 403, 500) } } },
      '/collections': { get: { tags: data, summary: 'The collections: one per component type', operationId: 'getCollections', parameters: [ref('parameters', 'f')], responses: { 200: { description: 'The collections', ...json(ref('schemas', 'collections')) }, ...problems(400, 401, 403, 500) } } },
      '/collections/{collectionId}': { get: { tags: data, summary: 'One collection', operationId: 'describeCollection', parameters: [ref('parameters', 'collectionId'), ref('parameters', 'f')], responses: { 200: { description: 'The collection', ...json(ref('schemas', 'collection')) }, ...problems(400, 401, 403, 404, 500) } } },
      '/collections/{collectionId}/schema': { get: { tags: data, summary: 'JSON Schema of the collection\'s features', operationId: 'getCollectionSchema', parameters: [ref('parameters', 'collectionId'), ref('parameters', 'f')], responses: { 200: { description: 'JSON Schema 2020-12', ...json({ type: 'object' }, SCHEMA_TYPE) }, ...problems(400, 401, 403, 404, 500) } } },
      '/collections/{collectionId}/items': {
        get: {
          tags: data,
          summary: 'Features of a collection in your jurisdiction, in a stable order, a page at a time',
          operationId: 'getFeatures',
          parameters: [ref('parameters', 'collectionId'), ref('parameters', 'limit'), ref('parameters', 'bbox'), ref('parameters', 'datetime'), ref('parameters', 'cursor'), ref('parameters', 'fFeatures')],
          responses: { 200: { description: 'A page of features; follow the `next` link for more', ...json(ref('schemas', 'featureCollectionGeoJSON'), GEOJSON_TYPE) }, ...problems(400, 401, 403, 404, 500) },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          tags: data,
          summary: 'One feature (the component code is its id)',
          operationId: 'getFeature',
          parameters: [ref('parameters', 'collectionId'), ref('parameters', 'featureId'), ref('parameters', 'fFeatures')],
          responses: { 200: { description: 'The feature', ...json(ref('schemas', 'featureGeoJSON'), GEOJSON_TYPE) }, ...problems(400, 401, 403, 404, 500) },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (yw_…) made in the workbench or with POST /api/auth/tokens' }, session: { type: 'apiKey', in: 'cookie', name: 'yiwang_session' } },
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, description: 'A component type code, e.g. 0101 (上水井盖)', schema: { type: 'string' } },
        featureId: { name: 'featureId', in: 'path', required: true, description: 'A component code (16 digits)', schema: { type: 'string' } },
        limit: {
          name: 'limit',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          description: `How many features a page should hold. Pages hold at most ${PAGE_CAP}; a larger limit is served as ${PAGE_CAP} (not refused), and the \`next\` link continues.`,
          schema: { type: 'integer', minimum: 1, maximum: DECLARED_MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        bbox: {
          name: 'bbox',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          description: 'minLon,minLat,maxLon,maxLat in CRS84 (WGS 84, longitude first); six numbers with heights are accepted and the heights ignored. Features whose geometry meets the box are returned.',
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
        },
        datetime: {
          name: 'datetime',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          description: 'Filters on when the component was last changed (updatedAt). An RFC 3339 date-time (2026-03-01T08:00:00Z), a date (that whole UTC day), or an interval: a/b, ../b, a/.. (ends inclusive).',
          schema: { type: 'string' },
        },
        cursor: { name: 'cursor', in: 'query', required: false, description: 'Opaque position of the next page, from a `next` link; do not make one up', schema: { type: 'string' } },
        f: { name: 'f', in: 'query', required: false, description: 'Encoding: JSON only', schema: { type: 'string', enum: ['json'] } },
        fFeatures: { name: 'f', in: 'query', required: false, description: 'Encoding: GeoJSON only (json and geojson both ask for it)', schema: { type: 'string', enum: ['json', 'geojson'] } },
      },
      responses: {
        P400: problem('A parameter is invalid or unknown; `field` names it'),
        P401: problem('No or an invalid API token'),
        P403: problem('The account may not read the component registry'),
        P404: problem('No such collection or feature (in your jurisdiction); `field` names the parameter'),
        P500: problem('Server error'),
      },
      schemas: {
        link,
        problem: { type: 'object', required: ['type', 'title', 'status'], properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' }, field: { type: 'string' }, instance: { type: 'string' } } },
        landingPage: { type: 'object', required: ['links'], properties: { title: { type: 'string' }, description: { type: 'string' }, links } },
        confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
        collection,
        collections: { type: 'object', required: ['links', 'collections'], properties: { links, collections: { type: 'array', items: ref('schemas', 'collection') } } },
        featureGeoJSON: feature,
        featureCollectionGeoJSON: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: ref('schemas', 'featureGeoJSON') },
            links,
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0, description: 'Given when cheap to know: without bbox and datetime' },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  };
}
