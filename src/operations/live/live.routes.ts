import { Type } from 'typebox';
import type { WebSocket } from 'ws';
import type { HttpApp } from '../../platform/module.ts';
import { readFilter } from '../../platform/access.ts';
import { sameOrAllowedOrigin } from '../../platform/http/app.ts';
import { inBox, parseBox, type Box, type LiveService } from './live.service.ts';

const tags = ['live'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

const Device = Type.Object({ id: Type.String(), jurisdictionCode: Type.String(), type: Type.String(), name: Type.String(), point: Type.Tuple([Type.Number(), Type.Number()]), status: Type.String(), severity: Type.Union([Type.String(), Type.Null()]) });

/** Bytes a viewer may have waiting to be sent before it is dropped. */
const MAX_BUFFERED = 4 << 20;

interface Viewer {
  socket: WebSocket;
  prefix: string;
  box: Box | null;
}

/**
 * /api/devices/map (devices in a box) and the /api/live WebSocket: a viewer sends
 * `{"type":"viewport","bbox":[w,s,e,n]}` and gets `{"type":"devices","items":[…]}` once a second with
 * the devices that changed inside it and inside their jurisdiction — only what changed.
 */
export function liveRoutes(app: HttpApp, live: LiveService, allowedOrigins: string[]): { tick(): Promise<void> } {
  const viewers = new Set<Viewer>();

  app.get('/devices/map', {
    schema: { tags, security, summary: 'Devices in a box with their live status (ok, alert, offline), at most 5,000', querystring: Type.Object({ bbox: Type.String({ maxLength: 200 }) }), response: { 200: Type.Object({ items: Type.Array(Device), truncated: Type.Boolean() }) } },
  }, async (req) => live.inBox(req.principal, req.query.bbox));

  app.get('/devices/map/rows', {
    schema: {
      tags,
      security,
      summary: 'The same, compact, for drawing a district at once: rows of [id, lon, lat, status, type, severity], at most 60,000',
      querystring: Type.Object({ bbox: Type.String({ maxLength: 200 }) }),
      // Rows as plain arrays of scalars: the serializer's tuple support would cost more than it checks.
      response: { 200: Type.Object({ rows: Type.Array(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()]), { minItems: 6, maxItems: 6 })), truncated: Type.Boolean() }) },
    },
  }, async (req) => live.rowsInBox(req.principal, req.query.bbox));

  app.get('/live', { websocket: true, schema: { tags, summary: 'WebSocket: live device changes in your viewport (see docs/devices.md)', hide: true } }, (socket, req) => {
    // A browser names the page that opened the socket; a page of another site must not read the feed with the user's cookie.
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrAllowedOrigin(origin, req.host, allowedOrigins)) {
      socket.close(4403, 'a page of another site may not open this feed');
      return;
    }
    const f = req.principal ? readFilter(req.principal) : null;
    if (!f || f.kind !== 'scope') {
      socket.close(4401, 'sign in as an official');
      return;
    }
    const viewer: Viewer = { socket, prefix: f.prefix, box: null };
    viewers.add(viewer);
    socket.on('message', (data: Buffer) => {
      try {
        const m = JSON.parse(data.toString()) as { type?: string; bbox?: number[] };
        if (m.type === 'viewport' && Array.isArray(m.bbox)) viewer.box = parseBox(m.bbox.join(','));
      } catch {
        socket.send(JSON.stringify({ type: 'error', reason: 'send {"type":"viewport","bbox":[west,south,east,north]}' }));
      }
    });
    socket.on('close', () => viewers.delete(viewer));
  });

  return {
    async tick() {
      const changed = await live.drain();
      if (changed.length === 0) return;
      for (const v of viewers) {
        if (!v.box) continue;
        const items = changed.filter((d) => d.jurisdictionCode.startsWith(v.prefix) && inBox(v.box!, d.point));
        if (!items.length || v.socket.readyState !== v.socket.OPEN) continue;
        // A viewer that cannot keep up (a slow link, a frozen tab) would make the server hold every
        // second's changes for it: past a few MiB it is told to come back, and reloads its view then.
        if (v.socket.bufferedAmount > MAX_BUFFERED) {
          // terminate, not close: a close frame would queue behind the backlog it is meant to free.
          v.socket.terminate();
          viewers.delete(v);
          continue;
        }
        v.socket.send(JSON.stringify({ type: 'devices', items }));
      }
    },
  };
}
