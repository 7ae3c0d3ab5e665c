import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../../platform/module.ts';
import { ComponentTileQuery, StyleSchema, TileParams } from './map.schema.ts';
import type { MapService } from './map.service.ts';
import type { Tile } from './tile-cache.ts';
import { parseClasses, parseTile } from './tile-params.ts';

const tags = ['map'];
const MVT = 'application/vnd.mapbox-vector-tile';

/** True when the request's If-None-Match names this tag (weak or strong, or `*`). */
function notModified(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}

function sendTile(req: FastifyRequest, reply: FastifyReply, tile: Tile, cacheControl: string): FastifyReply {
  reply.header('cache-control', cacheControl).header('etag', tile.etag);
  if (notModified(req, tile.etag)) return reply.status(304).send();
  // An empty tile is a 200 with no body: MapLibre draws nothing, which is right.
  return reply.type(MVT).send(Buffer.from(tile.bytes.buffer, tile.bytes.byteOffset, tile.bytes.byteLength));
}

/** GET /tiles/basemap/{z}/{x}/{y}.mvt and /tiles/components/{z}/{x}/{y}.mvt (root level). */
export function tileRoutes(app: HttpApp, svc: MapService): void {
  app.get('/tiles/basemap/:z/:x/:y.mvt', {
    schema: { tags, summary: 'Base-map vector tile (public): land, boundaries, grid cells, labels, water, roads', params: TileParams },
  }, async (req, reply) => {
    const { z, x, y } = parseTile(req.params);
    return sendTile(req, reply, await svc.basemapTile(z, x, y), 'public, max-age=3600');
  });

  app.get('/tiles/components/:z/:x/:y.mvt', {
    schema: {
      tags,
      security: [{ session: [] }, { bearer: [] }],
      summary: 'Component vector tile for officials, narrowed to your jurisdiction: components from zoom 15, counts per place above',
      params: TileParams,
      querystring: ComponentTileQuery,
    },
  }, async (req, reply) => {
    const { z, x, y } = parseTile(req.params);
    const tile = await svc.componentTileWithTag(req.principal, z, x, y, parseClasses(req.query.classes));
    reply.header('vary', 'Cookie, Authorization');
    return sendTile(req, reply, tile, 'private, max-age=5');
  });
}

/** GET /api/map/style.json (public). */
export function styleRoutes(app: HttpApp, svc: MapService): void {
  app.get('/map/style.json', {
    schema: { tags, summary: 'MapLibre style of the command map (our own tile sources; no glyphs: labels are drawn by the client)', response: { 200: StyleSchema } },
  }, async (req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return svc.style(`${req.protocol}://${req.host}`);
  });
}
