import { Type } from 'typebox';
import type { HttpApp } from '../platform/module.ts';
import { AppError } from '../platform/errors.ts';
import { SHANGHAI_CODE } from './divisions.ts';
import { CodeParam, LocateBatchBody, LocateQuery, NodeQuery, NodeSchema, SearchQuery, TreeQuery } from './jurisdiction.schema.ts';
import type { JurisdictionService } from './jurisdiction.service.ts';

const Node = Type.Ref('JurisdictionNode');
const tags = ['jurisdictions'];

/**
 * Division codes, names and outlines are public reference data (the statistical codes are
 * published), so these reads need no login; records that *belong* to a jurisdiction are what
 * scopes protect.
 */
export function jurisdictionRoutes(app: HttpApp, svc: JurisdictionService): void {
  app.addSchema(NodeSchema);

  app.get('/jurisdictions/tree', {
    schema: { tags, summary: 'The tree under a node, some levels deep', querystring: TreeQuery },
  }, async (req) => ({ root: svc.tree(req.query.root ?? SHANGHAI_CODE, req.query.depth ?? 1) }));

  app.get('/jurisdictions/locate', {
    schema: {
      tags,
      summary: 'The deepest jurisdiction (grid cell) containing a WGS84 point',
      querystring: LocateQuery,
      response: { 200: Type.Object({ node: Node, ancestors: Type.Array(Node) }) },
    },
  }, async (req) => {
    const node = svc.locate(req.query.lon, req.query.lat);
    if (!node) throw new AppError('JURISDICTION_NOT_FOUND', `(${req.query.lon}, ${req.query.lat}) is outside Shanghai`, 'lon');
    return { node, ancestors: svc.ancestors(node.code) };
  });

  app.post('/jurisdictions/locate', {
    schema: {
      tags,
      summary: 'Locate up to 1,000 points at once (gateways, imports); null for points outside Shanghai',
      body: LocateBatchBody,
    },
  }, async (req) => ({
    results: req.body.points.map(([lon, lat]) => {
      const node = svc.locate(lon, lat);
      return node ? { code: node.code, name: node.name, path: [...svc.ancestors(node.code).map((a) => a.code), node.code] } : null;
    }),
  }));

  app.get('/jurisdictions/search', {
    schema: { tags, summary: 'Find jurisdictions by Chinese or English name or code', querystring: SearchQuery, response: { 200: Type.Object({ items: Type.Array(Node) }) } },
  }, async (req) => ({ items: svc.search(req.query.q, req.query.level, req.query.limit ?? 20) }));

  app.get('/jurisdictions/:code', {
    schema: {
      tags,
      summary: 'One jurisdiction with its ancestors and children (and its outline with ?geometry=true)',
      params: CodeParam,
      querystring: NodeQuery,
    },
  }, async (req) => {
    const node = svc.require(req.params.code);
    return {
      node,
      ancestors: svc.ancestors(node.code),
      children: svc.children(node.code),
      ...(req.query.geometry ? { geometry: { type: 'MultiPolygon', coordinates: svc.geometry(node.code) } } : {}),
    };
  });

  app.get('/jurisdictions/:code/children.geojson', {
    schema: { tags, summary: 'The children of a jurisdiction as a GeoJSON FeatureCollection (for maps)', params: CodeParam },
  }, async (req, reply) => {
    svc.require(req.params.code);
    reply.type('application/geo+json');
    return {
      type: 'FeatureCollection',
      features: svc.children(req.params.code).map((n) => ({
        type: 'Feature',
        id: n.code,
        properties: { code: n.code, name: n.name, nameEn: n.nameEn, level: n.level, kind: n.kind, special: n.special, synthetic: n.synthetic },
        geometry: { type: 'MultiPolygon', coordinates: svc.geometry(n.code) },
      })),
    };
  });
}
