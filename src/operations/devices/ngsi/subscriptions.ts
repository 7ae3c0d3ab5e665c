// NGSI-LD subscriptions (ETSI GS CIM 009 §5.8 and §5.11), the subset device telemetry needs: watch
// entity types — optionally some of their attributes, optionally a q condition — inside the
// creator's jurisdiction, and be POSTed a Notification when a committed reading changes a match.
// Creating, reading and deleting is here; delivery is notifier.ts.
import { endpointRefusal } from './endpoint-guard.ts';
import { authorize, readFilter, UNSCOPED, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Tx } from '../../../platform/db/database.ts';
import { fromJson } from '../../../platform/db/dialect.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import type { SubscriptionRow } from '../device.schema.ts';
import type { DeviceService } from '../device.service.ts';
import type { LoadedDeviceType } from '../device-types.ts';
import { DEVICE_ATTRIBUTES, ngsiType } from './ngsi.service.ts';
import type { Notifier } from './notifier.ts';
import { parseQ } from './q.ts';
import type { SubscriptionStore } from './subscription.store.ts';

/** A subscription as NGSI-LD shows it, with the outcome of its deliveries under `notification`. */
export type SubscriptionView = Record<string, unknown> & { id: string; type: 'Subscription' };

/** What a valid body asks for. */
export interface SubscriptionInput {
  id: string | null;
  types: string[];
  watched: string[];
  q: string | null;
  uri: string;
  accept: SubscriptionRow['notification_accept'];
  attrs: string[];
  format: SubscriptionRow['format'];
  throttling: number;
  active: boolean;
}

const PREFIX = 'urn:ngsi-ld:Subscription:';
// The id column holds 80 characters.
const ID = /^urn:ngsi-ld:Subscription:[A-Za-z0-9._:-]{1,55}$/;
const MAX_URI = 2000;
const MAX_THROTTLING_S = 86_400;
const MAX_LIST = 50;
// Fields of the standard we do not implement are refused rather than ignored: a subscriber relying
// on `expiresAt` or `geoQ` must learn at once that they would not be honoured.
const TOP_KEYS = new Set(['@context', 'id', 'type', 'entities', 'watchedAttributes', 'q', 'notification', 'throttling', 'isActive']);
const NOTIFICATION_KEYS = new Set(['endpoint', 'attributes', 'format']);
const ENDPOINT_KEYS = new Set(['uri', 'accept']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKnown(obj: Record<string, unknown>, known: Set<string>, path: string): void {
  for (const k of Object.keys(obj)) if (!known.has(k)) throw invalid(path + k, 'is not supported here');
}

/** Checks a subscription body against the device types there are; pure. */
export function parseSubscription(body: unknown, types: readonly LoadedDeviceType[]): SubscriptionInput {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  onlyKnown(body, TOP_KEYS, '');
  if (body.type !== 'Subscription') throw invalid('type', 'must be "Subscription"');
  let id: string | null = null;
  if (body.id !== undefined) {
    if (typeof body.id !== 'string' || !ID.test(body.id)) throw invalid('id', `must be of the form ${PREFIX}{id} (letters, digits, . _ : -; at most 80 characters), or left out`);
    id = body.id;
  }

  if (!Array.isArray(body.entities) || body.entities.length === 0) throw invalid('entities', 'must be a non-empty list of {"type": "WaterLevelGauge"}');
  if (body.entities.length > MAX_LIST) throw invalid('entities', `may hold at most ${MAX_LIST} entries`);
  const chosen: LoadedDeviceType[] = [];
  body.entities.forEach((e, i) => {
    const at = `entities[${i}]`;
    if (!isObject(e)) throw invalid(at, 'must be an object {"type": …}');
    for (const k of Object.keys(e)) if (k !== 'type') throw invalid(`${at}.${k}`, 'is not supported here; subscribe by type and narrow with q');
    const t = typeof e.type === 'string' ? types.find((x) => ngsiType(x) === e.type || x.row.code === e.type) : undefined;
    if (!t) throw invalid(`${at}.type`, `must be an entity type here (${types.map(ngsiType).join(', ')})`);
    if (!chosen.includes(t)) chosen.push(t);
  });
  const known = new Set([...DEVICE_ATTRIBUTES, ...chosen.flatMap((t) => t.metrics.map((m) => m.key))]);
  const names = (field: string, v: unknown): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST) throw invalid(field, `must be a non-empty list of at most ${MAX_LIST} attribute names, or left out`);
    v.forEach((a, i) => {
      if (typeof a !== 'string' || !known.has(a)) throw invalid(`${field}[${i}]`, `must be an attribute of ${chosen.map(ngsiType).join(' or ')} (${[...known].join(', ')})`);
    });
    return [...new Set(v as string[])];
  };
  const watched = names('watchedAttributes', body.watchedAttributes);

  let q: string | null = null;
  if (body.q !== undefined) {
    if (typeof body.q !== 'string' || body.q.trim() === '' || body.q.length > 2000) throw invalid('q', 'must be a condition such as waterLevel>4.5 (at most 2,000 characters)');
    parseQ(body.q);
    q = body.q.trim();
  }

  const n = body.notification;
  if (!isObject(n)) throw invalid('notification', 'must be an object {"endpoint": {"uri": …}}');
  onlyKnown(n, NOTIFICATION_KEYS, 'notification.');
  const ep = n.endpoint;
  if (!isObject(ep)) throw invalid('notification.endpoint', 'must be an object {"uri": "https://…"}');
  onlyKnown(ep, ENDPOINT_KEYS, 'notification.endpoint.');
  const uri = endpointUri(ep.uri);
  if (ep.accept !== undefined && ep.accept !== 'application/json' && ep.accept !== 'application/ld+json') throw invalid('notification.endpoint.accept', 'must be application/json or application/ld+json');
  const accept = (ep.accept ?? 'application/json') as SubscriptionInput['accept'];
  const attrs = names('notification.attributes', n.attributes);
  const fmt = n.format ?? 'normalized';
  if (fmt !== 'normalized' && fmt !== 'keyValues' && fmt !== 'simplified') throw invalid('notification.format', 'must be normalized or keyValues (simplified)');

  const throttling = body.throttling ?? 0;
  if (typeof throttling !== 'number' || !Number.isInteger(throttling) || throttling < 0 || throttling > MAX_THROTTLING_S) {
    throw invalid('throttling', `must be a whole number of seconds from 0 to ${MAX_THROTTLING_S}`);
  }
  if (body.isActive !== undefined && typeof body.isActive !== 'boolean') throw invalid('isActive', 'must be true or false');
  return { id, types: chosen.map(ngsiType), watched, q, uri, accept, attrs, format: fmt === 'normalized' ? 'normalized' : 'keyValues', throttling, active: body.isActive !== false };
}

function endpointUri(v: unknown): string {
  const field = 'notification.endpoint.uri';
  if (typeof v !== 'string' || v.trim() === '') throw invalid(field, 'is required: the http(s) URL notifications are POSTed to');
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    throw invalid(field, 'is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalid(field, `must be an http:// or https:// URL (${u.protocol.slice(0, 20)} is not delivered to)`);
  // The URL is shown to everyone who may read the subscription; a password belongs in no URL.
  if (u.username || u.password) throw invalid(field, 'must not contain a user name or password');
  const out = u.toString();
  if (out.length > MAX_URI) throw invalid(field, `must be at most ${MAX_URI} characters`);
  return out;
}

const iso = (t: number | string | null) => (t === null ? undefined : new Date(Number(t)).toISOString());

/** The NGSI-LD representation of a stored subscription. */
export function subscriptionView(r: SubscriptionRow): SubscriptionView {
  const watched = fromJson<string[]>(r.watched_attributes);
  const attrs = fromJson<string[]>(r.notification_attrs);
  const failing = r.last_failure_at !== null && (r.last_success_at === null || Number(r.last_failure_at) > Number(r.last_success_at));
  const notification: Record<string, unknown> = {
    ...(attrs.length ? { attributes: attrs } : {}),
    format: r.format,
    endpoint: { uri: r.notification_uri, accept: r.notification_accept },
    status: failing ? 'failed' : 'ok',
    timesSent: Number(r.times_sent),
  };
  for (const [k, v] of [['lastNotification', r.last_notification_at], ['lastSuccess', r.last_success_at], ['lastFailure', r.last_failure_at]] as const) {
    const t = iso(v);
    if (t) notification[k] = t;
  }
  if (r.last_error) notification.lastError = r.last_error;
  return {
    id: r.id,
    type: 'Subscription',
    entities: fromJson<string[]>(r.entity_types).map((type) => ({ type })),
    ...(watched.length ? { watchedAttributes: watched } : {}),
    ...(r.q ? { q: r.q } : {}),
    notification,
    throttling: Number(r.throttling_s),
    isActive: r.status === 'active',
    status: r.status,
    createdAt: iso(r.created_at),
    modifiedAt: iso(r.updated_at),
  };
}

/**
 * Who may subscribe to what: operators (device.manage) subscribe within their own jurisdiction and
 * only ever hear of devices inside it; whoever may read devices there may read the subscriptions.
 */
export class SubscriptionService {
  constructor(
    private readonly ctx: AppContext,
    private readonly devices: DeviceService,
    private readonly store: SubscriptionStore,
    readonly notifier: Notifier,
  ) {}

  async create(p: Principal | null, body: unknown): Promise<SubscriptionView> {
    authorize(p, 'device.manage', UNSCOPED);
    if (readFilter(p).kind !== 'scope' || !p.scopeCode) throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    await this.devices.types.ready(this.ctx.db);
    const s = parseSubscription(body, this.devices.types.all());
    const refusal = endpointRefusal(s.uri, this.ctx.config.notifyPrivateHosts);
    if (refusal) throw invalid('notification.endpoint.uri', refusal);
    const now = this.ctx.clock.now();
    const row: SubscriptionRow = {
      id: s.id ?? `${PREFIX}${this.ctx.random.uuid()}`,
      owner_id: p.accountId,
      jurisdiction_code: p.scopeCode,
      entity_types: s.types,
      watched_attributes: s.watched,
      q: s.q,
      notification_uri: s.uri,
      notification_accept: s.accept,
      notification_attrs: s.attrs,
      format: s.format,
      throttling_s: s.throttling,
      status: s.active ? 'active' : 'paused',
      times_sent: 0,
      last_notification_at: null,
      last_success_at: null,
      last_failure_at: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.transaction(async (tx) => {
      if (await this.store.get(tx, row.id)) throw new AppError('CONFLICT', `A subscription ${row.id} already exists`, 'id');
      await this.store.insert(tx, row);
      await this.record(tx, p, 'devices.subscription.created', row);
    });
    // This process notifies at once; the others reload on the event.
    await this.notifier.load();
    return subscriptionView(row);
  }

  async list(p: Principal | null): Promise<SubscriptionView[]> {
    const prefix = this.prefix(p);
    return (await this.store.list(this.ctx.db, prefix)).map(subscriptionView);
  }

  async get(p: Principal | null, id: string): Promise<SubscriptionView> {
    return subscriptionView(await this.readable(p, id));
  }

  async remove(p: Principal | null, id: string): Promise<void> {
    const row = await this.readable(p, id);
    authorize(p, 'device.manage', { jurisdictionCode: row.jurisdiction_code });
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.remove(tx, id))) throw new AppError('NOT_FOUND', `No subscription ${id} in your jurisdiction`);
      await this.record(tx, p!, 'devices.subscription.deleted', row);
    });
    await this.notifier.load();
  }

  private prefix(p: Principal | null): string {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    return f.prefix;
  }

  private async readable(p: Principal | null, id: string): Promise<SubscriptionRow> {
    const prefix = this.prefix(p);
    const row = id.length <= 80 ? await this.store.get(this.ctx.db, id) : undefined;
    // Another jurisdiction's subscription is "not found", not "forbidden": its existence is not theirs to learn.
    if (!row || !row.jurisdiction_code.startsWith(prefix)) throw new AppError('NOT_FOUND', `No subscription ${id} in your jurisdiction`);
    return row;
  }

  private async record(tx: Tx, p: Principal, action: string, row: SubscriptionRow): Promise<void> {
    // The endpoint's host only: the full URL may carry a token of the subscriber's.
    const detail = { types: row.entity_types, endpointHost: new URL(row.notification_uri).host };
    await this.ctx.audit.record(tx, { actorId: p.accountId, actorKind: 'account', action, subjectType: 'ngsi-subscription', subjectId: row.id, jurisdictionCode: row.jurisdiction_code, detail });
    await this.ctx.outbox.add(tx, 'devices.subscription.changed', { v: 1, id: row.id, action: action.split('.').pop()! });
  }
}
