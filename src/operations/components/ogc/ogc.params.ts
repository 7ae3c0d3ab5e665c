// Query parameters of OGC API – Features, Part 1 (Core): bbox, limit, datetime, f, and our own
// opaque cursor. Pure parsing; every refusal names the parameter (FIELD_INVALID, field = its name).

import { decodeCursor } from '../../../platform/cursor.ts';
import { invalid } from '../../../platform/errors.ts';
import type { Box } from '../component.store.ts';

/** What a page holds when the client names no limit (the standard's default). */
export const DEFAULT_LIMIT = 10;
/** The maximum the API definition declares, as the standard's OpenAPI fragment does. */
export const DECLARED_MAX_LIMIT = 10_000;
/**
 * What one page holds at most. A larger limit is not an error (the standard says to serve the
 * maximum instead): the page is cut to this size and its `next` link carries on.
 */
export const PAGE_CAP = 1000;

/** The parameters each kind of resource understands; anything else is refused (/rec/core/query-param-unknown). */
export const METADATA_PARAMS = ['f'] as const;
export const ITEMS_PARAMS = ['bbox', 'limit', 'datetime', 'cursor', 'f'] as const;

export type RawQuery = Record<string, unknown>;

/** The items query, parsed. Times are epoch milliseconds, both ends inclusive; null is unbounded. */
export interface ItemsParams {
  /** One box, or two when the box crosses the antimeridian; null without bbox. */
  boxes: Box[] | null;
  from: number | null;
  to: number | null;
  /** The limit asked for (kept in the links) and what a page holds (at most PAGE_CAP). */
  requestedLimit: number;
  limit: number;
  /** Position after which this page starts (component id); 0 for the first page. */
  afterId: number;
  /** The parameters as sent, for the self and next links. */
  raw: { bbox?: string; datetime?: string; limit?: string; cursor?: string };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A '+' of a UTC offset arrives as a space when the client did not percent-encode it.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+\- ])(\d{2}):(\d{2}))$/;
const DAY_MS = 86_400_000;

/**
 * Refuses parameters the resource does not define and parameters given twice; returns the
 * single-valued ones. `f` must ask for JSON (the only encoding served).
 */
export function checkParams(q: RawQuery | undefined, allowed: readonly string[], formats: readonly string[] = ['json']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(q ?? {})) {
    const name = key.length > 60 ? `${key.slice(0, 60)}…` : key;
    if (!allowed.includes(key)) throw invalid(name, `is not a parameter of this resource; it understands ${allowed.join(', ')}`);
    if (typeof value !== 'string') throw invalid(name, 'must be given once');
    out[key] = value;
  }
  if (out.f !== undefined && !formats.includes(out.f)) throw invalid('f', `must be ${formats.join(' or ')}: this API serves ${formats.includes('geojson') ? 'GeoJSON' : 'JSON'} only`);
  return out;
}

/** Parses the items query (after checkParams). */
export function parseItemsParams(q: Record<string, string>): ItemsParams {
  const requestedLimit = q.limit === undefined ? DEFAULT_LIMIT : parseLimit(q.limit);
  const { from, to } = q.datetime === undefined ? { from: null, to: null } : parseDatetime(q.datetime);
  return {
    boxes: q.bbox === undefined ? null : parseBbox(q.bbox),
    from,
    to,
    requestedLimit,
    limit: Math.min(requestedLimit, PAGE_CAP),
    afterId: q.cursor === undefined ? 0 : parseCursor(q.cursor),
    raw: { bbox: q.bbox, datetime: q.datetime, limit: q.limit, cursor: q.cursor },
  };
}

/** A whole number of at least 1; above PAGE_CAP it is served as PAGE_CAP, never refused. */
export function parseLimit(s: string): number {
  const n = /^\d{1,15}$/.test(s.trim()) ? Number(s.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalid('limit', `must be a whole number from 1 to ${DECLARED_MAX_LIMIT} (pages hold at most ${PAGE_CAP})`);
  return n;
}

/**
 * `minLon,minLat,maxLon,maxLat` (or six numbers with heights, which are ignored) in CRS84. A box
 * whose west edge lies east of its east edge crosses the antimeridian and becomes two boxes.
 */
export function parseBbox(s: string): Box[] {
  const parts = s.split(',').map((x) => x.trim());
  if (parts.length !== 4 && parts.length !== 6) throw invalid('bbox', 'must be four numbers: minLon,minLat,maxLon,maxLat (CRS84), or six with minimum and maximum heights');
  if (parts.some((x) => !NUMBER.test(x))) throw invalid('bbox', 'must be numbers only: minLon,minLat,maxLon,maxLat (CRS84)');
  const n = parts.map(Number);
  if (n.some((x) => !Number.isFinite(x))) throw invalid('bbox', 'must be finite numbers');
  const [minLon, minLat, maxLon, maxLat] = n.length === 4 ? n : [n[0]!, n[1]!, n[3]!, n[4]!];
  if (n.length === 6 && n[2]! > n[5]!) throw invalid('bbox', 'has its minimum height above its maximum height');
  if ([minLon, maxLon].some((x) => x! < -180 || x! > 180)) throw invalid('bbox', 'longitudes must lie within -180..180 (CRS84: longitude first)');
  if ([minLat, maxLat].some((x) => x! < -90 || x! > 90)) throw invalid('bbox', 'latitudes must lie within -90..90 (CRS84: longitude first, then latitude)');
  if (minLat! > maxLat!) throw invalid('bbox', 'has its southern edge north of its northern edge (minLon,minLat,maxLon,maxLat)');
  if (minLon! > maxLon!) return [[minLon!, minLat!, 180, maxLat!], [-180, minLat!, maxLon!, maxLat!]];
  return [[minLon!, minLat!, maxLon!, maxLat!]];
}

/**
 * An RFC 3339 instant (date-time, or a full date meaning that whole UTC day) or an interval
 * `start/end` whose ends may be open (`..` or empty). Returns inclusive epoch-millisecond bounds.
 */
export function parseDatetime(s: string): { from: number | null; to: number | null } {
  const value = s.trim();
  if (!value.includes('/')) {
    const t = instant(value);
    return { from: t.start, to: t.end };
  }
  const parts = value.split('/');
  if (parts.length !== 2) throw invalid('datetime', 'must be an instant or one interval start/end');
  const [a, b] = parts.map((x) => x.trim()) as [string, string];
  const open = (x: string) => x === '..' || x === '';
  const from = open(a) ? null : instant(a).start;
  const to = open(b) ? null : instant(b).end;
  if (from !== null && to !== null && from > to) throw invalid('datetime', 'has its interval end before its start');
  return { from, to };
}

/** The first and last millisecond an RFC 3339 date-time or full date stands for. */
function instant(s: string): { start: number; end: number } {
  const bad = () => invalid('datetime', 'must be an RFC 3339 date-time (2026-03-01T08:00:00Z), a date (2026-03-01), or an interval of them (a/b, ../b, a/..)');
  const d = DATE.exec(s);
  if (d) {
    const start = utc(Number(d[1]), Number(d[2]), Number(d[3]), 0, 0, 0);
    if (start === null) throw bad();
    return { start, end: start + DAY_MS - 1 };
  }
  const m = DATE_TIME.exec(s);
  if (!m) throw bad();
  const base = utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (base === null) throw bad();
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let offset = 0;
  if (!m[8]) {
    const [h, min] = [Number(m[10]), Number(m[11])];
    if (h > 23 || min > 59) throw bad();
    offset = (m[9] === '-' ? -1 : 1) * (h * 60 + min) * 60_000;
  }
  const t = base + ms - offset;
  return { start: t, end: t };
}

/** Epoch milliseconds of a calendar date and time, or null when a field is out of range. */
function utc(y: number, mo: number, d: number, h: number, mi: number, sec: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60) return null;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  // A leap second (:60) counts as the last millisecond of its minute.
  return sec === 60 ? Date.UTC(y, mo - 1, d, h, mi, 59, 999) : Date.UTC(y, mo - 1, d, h, mi, sec);
}

function parseCursor(s: string): number {
  const [id] = decodeCursor(s, 'n') as [number];
  if (!Number.isSafeInteger(id) || id < 0) throw invalid('cursor', 'is not a cursor this server gave out');
  return id;
}
