import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import { toProblem } from '../../../platform/http/problem.ts';
import { storableText } from '../../../platform/http/text-guard.ts';
import type { HttpApp } from '../../../platform/module.ts';
import type { Category } from '../categories.ts';
import type { CaseRow } from '../case.schema.ts';
import type { CaseQueries } from '../case.queries.ts';
import type { CaseService } from '../case.service.ts';
import { isOpen } from '../workflow.ts';
import { render, renderOne, type Format, type Record311 } from './format.ts';
import { shanghaiIso } from '../../../platform/calendar/working-calendar.ts';

const tags = ['open311'];
const FILE = /^(.{1,40})\.(json|xml)$/;
const DAY = 86_400_000;
const MAX_RESULTS = 1000;

/** `requests.json` → ['requests', 'json']; anything else is not a GeoReport resource. */
function split(file: string): [string, Format] {
  const m = FILE.exec(file);
  if (!m) throw new AppError('ROUTE_NOT_FOUND', `${file.slice(0, 60)}: GeoReport resources end in .json or .xml`);
  return [m[1]!, m[2] as Format];
}

const formatOf = (url: string): Format => (/\.json(\?|$)/.test(url) ? 'json' : 'xml');

function send(reply: FastifyReply, status: number, out: { type: string; body: string }) {
  return reply.status(status).header('content-type', out.type).send(out.body);
}

/** Open311's date parameters: ISO 8601 (a zone is required by the standard; without one, Shanghai time is assumed). */
function date(value: unknown, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const s = String(value);
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || !s.includes('T') ? s : `${s}+08:00`);
  if (!Number.isFinite(t)) throw invalid(field, 'must be an ISO 8601 date-time, e.g. 2026-11-29T08:00:00+08:00');
  return t;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
/** At most n characters, cut between characters (never inside an emoji), without what storage refuses. */
const clip = (v: string, n: number) => [...storableText(v)].slice(0, n).join('');

/**
 * Open311 GeoReport v2 at /open311/v2: the city's categories as services, citizen reports as
 * service requests. GETs are public and show public fields only; POST needs an API key (an API
 * token of a citizen's account, or of a system account for a 311 app whose users stay private).
 */
export function open311Routes(app: HttpApp, ctx: AppContext, cases: CaseService, queries: CaseQueries): void {
  app.register(async (scoped) => {
    const s = scoped as unknown as HttpApp;
    // Clients post the standard's form encoding; JSON bodies are accepted too.
    s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
    // Errors in the standard's shape: a list of {code, description}.
    s.setErrorHandler((err, req, reply) => {
      const p = toProblem(err);
      if (p.status >= 500) req.log.error({ err }, 'open311 request failed');
      const description = p.field && !p.detail.includes(p.field) ? `${p.field}: ${p.detail}` : p.detail;
      return send(reply, p.status, render(formatOf(req.url), 'errors', 'error', [{ code: p.status, description }]));
    });
    s.setNotFoundHandler((req, reply) => send(reply, 404, render(formatOf(req.url), 'errors', 'error', [{ code: 404, description: `No GeoReport resource ${req.method} ${req.url.split('?')[0]}` }])));

    const english = (req: FastifyRequest) => /^en\b/i.test(String(req.headers['accept-language'] ?? ''));
    const service = (c: Category, en: boolean): Record311 => ({
      service_code: c.code,
      service_name: en ? c.nameEn : c.nameZh,
      description: en ? `${c.groupEn}: ${c.nameEn}` : `${c.groupZh}：${c.nameZh}`,
      metadata: false,
      type: 'realtime',
      keywords: c.keywords.join(','),
      group: en ? c.groupEn : c.groupZh,
    });
    const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
    const request = async (r: CaseRow, req: FastifyRequest, en: boolean): Promise<Record311> => {
      const c = cases.catalogue.get(r.category_code);
      const photos = cases.photosOf(r);
      return {
        service_request_id: r.id,
        status: isOpen(r.stage) ? 'open' : 'closed',
        status_notes: r.public_note,
        service_name: c ? (en ? c.nameEn : c.nameZh) : r.category_code,
        service_code: r.category_code,
        description: r.description,
        agency_responsible: await queries.agency(r),
        service_notice: null,
        requested_datetime: shanghaiIso(Number(r.created_at)),
        updated_datetime: shanghaiIso(Number(r.updated_at)),
        expected_datetime: isOpen(r.stage) && r.due_at !== null ? shanghaiIso(Number(r.due_at)) : null,
        address: r.address,
        address_id: null,
        zipcode: null,
        lat: Number(r.lat),
        long: Number(r.lon),
        media_url: photos.length ? `${origin(req)}/api/cases/photos/${photos[0]}` : r.media_url,
      };
    };

    const File = Type.Object({ file: Type.String({ maxLength: 60 }) });

    s.get('/:file', { schema: { tags, summary: 'services.{json|xml} (the categories) or requests.{json|xml} (public service requests)', params: File } }, async (req, reply) => {
      const [name, format] = split(req.params.file);
      const en = english(req);
      if (name === 'services') return send(reply, 200, render(format, 'services', 'service', cases.catalogue.all().map((c) => service(c, en))));
      if (name !== 'requests') throw new AppError('ROUTE_NOT_FOUND', `No GeoReport resource ${name}`);
      const q = req.query as Record<string, unknown>;
      const ids = str(q.service_request_id)?.split(',').map((x) => x.trim()).filter(Boolean);
      if (ids && (ids.length > MAX_RESULTS || ids.some((id) => !/^\d{14}$/.test(id)))) throw invalid('service_request_id', 'must be a comma-separated list of case numbers');
      const code = str(q.service_code);
      if (code !== undefined && !cases.catalogue.get(code)) throw invalid('service_code', `${code.slice(0, 20)} is not a service (see services.${format})`);
      const status = str(q.status);
      if (status !== undefined && status !== 'open' && status !== 'closed') throw invalid('status', 'must be open or closed');
      const now = ctx.clock.now();
      const to = date(q.end_date, 'end_date') ?? now;
      const from = date(q.start_date, 'start_date') ?? to - 90 * DAY;
      if (from > to) throw invalid('start_date', 'must not be after end_date');
      if (to - from > 90 * DAY) throw invalid('end_date', 'a query spans at most 90 days');
      const rows = await cases.store.open311(ctx.db, { ids, category: code, from, to, status: status as 'open' | 'closed' | undefined }, MAX_RESULTS);
      return send(reply, 200, render(format, 'service_requests', 'request', await Promise.all(rows.map((r) => request(r, req, en)))));
    });

    s.get('/services/:file', { schema: { tags, summary: 'A service definition (no extra attributes: every service takes a description, a place and photos)', params: File } }, async (req, reply) => {
      const [code, format] = split(req.params.file);
      const c = cases.catalogue.get(code);
      if (!c) throw new AppError('NOT_FOUND', `No service ${code}`);
      return send(reply, 200, renderOne(format, 'service_definition', { service_code: c.code, attributes: [] }));
    });

    s.get('/requests/:file', { schema: { tags, summary: 'One service request (public fields)', params: File } }, async (req, reply) => {
      const [id, format] = split(req.params.file);
      const row = /^\d{14}$/.test(id) ? (await cases.store.open311(ctx.db, { ids: [id], from: 0, to: 0 }, 1))[0] : undefined;
      if (!row) throw new AppError('NOT_FOUND', `No service request ${id.slice(0, 20)}`);
      return send(reply, 200, render(format, 'service_requests', 'request', [await request(row, req, english(req))]));
    });

    s.post('/:file', { schema: { tags, summary: 'Create a service request (form-encoded, as the standard has it; api_key = an API token)', params: File } }, async (req, reply) => {
      const [name, format] = split(req.params.file);
      if (name !== 'requests') throw new AppError('METHOD_NOT_ALLOWED', `POST ${name}.${format} is not a GeoReport operation`);
      const b = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
      const key = str(b.api_key);
      const p: Principal | null = key ? await ctx.services.tokens.authenticate(key) : req.principal;
      if (!p) throw new AppError('AUTH_REQUIRED', 'api_key is required to create a service request');
      const code = str(b.service_code);
      if (!code) throw new AppError('FIELD_REQUIRED', 'service_code is required', 'service_code');
      const category = cases.category(code, 'service_code');
      const lat = Number(str(b.lat));
      const lon = Number(str(b.long));
      if (str(b.lat) === undefined || str(b.long) === undefined) throw new AppError('FIELD_REQUIRED', 'lat and long are required: reports are filed by their place', str(b.lat) === undefined ? 'lat' : 'long');
      if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw invalid('lat', 'must be a latitude in decimal degrees (WGS84)');
      if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw invalid('long', 'must be a longitude in decimal degrees (WGS84)');
      cases.locate([lon, lat], 'lat'); // outside the city: named by the standard's field
      const description = cases.text(str(b.description) ?? '', 'description');
      if (description.length > 2000) throw invalid('description', 'is longer than 2,000 characters');
      const media = str(b.media_url);
      if (media !== undefined && (!/^https?:\/\/\S+$/i.test(media) || media.length > 500)) throw invalid('media_url', 'must be an http(s) URL of at most 500 characters');
      const name311 = [str(b.last_name), str(b.first_name)].filter(Boolean).join('');
      const contact = str(b.phone) || str(b.email) ? { name: clip(name311, 50), phone: clip(str(b.phone) ?? '', 20), email: b.email === undefined ? undefined : clip(String(b.email), 100) } : null;
      const isPerson = !p.roles.includes('system');
      const row = await cases.open({
        source: 'open311',
        category,
        severity: category.urgent ? 'urgent' : 'normal',
        description,
        point: [lon, lat],
        address: str(b.address_string) === undefined ? null : clip(String(b.address_string), 300),
        mediaUrl: media ?? null,
        reporter: isPerson ? { id: p.accountId, name: p.displayName } : undefined,
        caller: contact,
      });
      return send(reply, 201, render(format, 'service_requests', 'request', [{ service_request_id: row.id, service_notice: english(req) ? 'Received; keep the request id to follow it.' : '已登记，请保存案件编号查询办理进度。', account_id: isPerson ? p.accountId : null }]));
    });
  }, { prefix: '/open311/v2' });
}
