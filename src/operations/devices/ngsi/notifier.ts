// Delivers NGSI-LD notifications for committed readings. Each subscription has its own lane: its
// own pending changes, its own timers, its own request in flight. Nothing awaits across lanes, so an
// endpoint that hangs or keeps failing delays only its own subscriber. A lane holds the latest
// entity per device, so changes arriving while it waits (throttling, a retry) are coalesced into
// the next notification instead of queueing one notification each.
//
// Lanes live in this process: with several processes each notifies for the readings it ingested,
// and throttling holds per process.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, literalRefusal, PrivateEndpointError } from './endpoint-guard.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { scopePrefix } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { fromJson } from '../../../platform/db/dialect.ts';
import type { SubscriptionRow } from '../device.schema.ts';
import type { DeviceService } from '../device.service.ts';
import type { Reading } from '../telemetry/reading.ts';
import { CORE_CONTEXT, LINK, ngsiType, type Entity, type NgsiService } from './ngsi.service.ts';
import { matches, parseQ, type Query } from './q.ts';
import type { SubscriptionStore } from './subscription.store.ts';

export interface NotifierOptions {
  /** Wait before the first retry; it doubles with each further one (default 1 s). */
  baseDelayMs?: number;
  /** Longest wait between retries (default 60 s). */
  maxDelayMs?: number;
  /** Attempts per notification before it is given up (default 6). */
  attempts?: number;
  /** Abandon a request after this long (default 5 s). */
  timeoutMs?: number;
  /** Changed entities a lane holds at most; beyond it the oldest is dropped (default 1000). */
  maxPending?: number;
}

/** A subscription compiled for matching. */
interface Active {
  id: string;
  prefix: string;
  types: Set<string>;
  watched: Set<string> | null;
  q: Query | null;
  attrs: Set<string> | null;
  keyValues: boolean;
  uri: string;
  ld: boolean;
  throttleMs: number;
}

interface Lane {
  sub: Active;
  /** The latest entity per entity id, oldest change first. */
  pending: Map<string, Entity>;
  dropped: number;
  running: Promise<void> | null;
  /** performance.now() before which the next notification may not go out (throttling). */
  nextAt: number;
  /** Aborts the lane's waits and its request in flight: the subscription was removed, or we stop. */
  abort: AbortController;
}

type Outcome = { ok: true } | { ok: false; reason: string; retry: boolean };

function compile(r: SubscriptionRow): Active {
  const watched = fromJson<string[]>(r.watched_attributes);
  const attrs = fromJson<string[]>(r.notification_attrs);
  return {
    id: r.id,
    prefix: scopePrefix(r.jurisdiction_code),
    types: new Set(fromJson<string[]>(r.entity_types)),
    watched: watched.length ? new Set(watched) : null,
    q: r.q ? parseQ(r.q) : null,
    attrs: attrs.length ? new Set(attrs) : null,
    keyValues: r.format === 'keyValues',
    uri: r.notification_uri,
    ld: r.notification_accept === 'application/ld+json',
    throttleMs: Number(r.throttling_s) * 1000,
  };
}

/** Matches committed readings against active subscriptions and delivers the notifications. */
export class Notifier {
  private active = new Map<string, Active>();
  private readonly lanes = new Map<string, Lane>();
  /** Matching is serialised so a later batch's entity never gives way to an earlier one's. */
  private chain: Promise<void> = Promise.resolve();
  private loads = 0;
  private stopped = false;
  private readonly o: Required<NotifierOptions>;
  /** Resolves endpoint hosts for the delivery's own connection, refusing private addresses. */
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(
    private readonly ctx: AppContext,
    private readonly devices: DeviceService,
    private readonly ngsi: NgsiService,
    private readonly store: SubscriptionStore,
    opts: NotifierOptions = {},
  ) {
    this.o = { baseDelayMs: 1000, maxDelayMs: 60_000, attempts: 6, timeoutMs: 5000, maxPending: 1000, ...opts };
    this.lookup = guardedLookup(ctx.config.notifyPrivateHosts);
  }

  /** (Re)reads the active subscriptions; lanes of those gone are closed. Never throws. */
  async load(): Promise<void> {
    const n = ++this.loads;
    try {
      const rows = await this.store.active(this.ctx.db);
      if (n !== this.loads) return; // a later load is under way and will be fresher
      const next = new Map<string, Active>();
      for (const r of rows) {
        try {
          next.set(r.id, compile(r));
        } catch (err) {
          this.ctx.log.error({ err, subscription: r.id }, 'ngsi subscriptions: a stored subscription cannot be read; skipped');
        }
      }
      this.active = next;
      for (const [id, lane] of this.lanes) {
        const sub = next.get(id);
        if (sub) lane.sub = sub;
        else this.close(id, lane);
      }
    } catch (err) {
      this.ctx.log.error({ err }, 'ngsi subscriptions: could not load subscriptions');
    }
  }

  /** A committed batch (telemetryWriter.onCommitted): returns at once, the work goes on behind. */
  changed(readings: Reading[]): void {
    if (this.stopped || this.active.size === 0 || readings.length === 0) return;
    this.chain = this.chain.then(() => this.match(readings)).catch((err) => this.ctx.log.error({ err }, 'ngsi subscriptions: matching failed'));
  }

  /** Resolves when every batch seen so far has been matched (its notifications queued, not sent). */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Stops delivering: requests in flight are aborted, waits cut short, pending changes dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.lanes.values()].map((l) => l.running);
    for (const [id, lane] of this.lanes) this.close(id, lane);
    await this.chain;
    await Promise.allSettled(running);
  }

  private async match(readings: Reading[]): Promise<void> {
    const metrics = new Map<string, Set<string>>();
    for (const r of readings) {
      const m = metrics.get(r.deviceId);
      if (m) m.add(r.metric);
      else metrics.set(r.deviceId, new Set([r.metric]));
    }
    const subs = [...this.active.values()];
    // The cached device tells type and place, so only devices some subscription wants are read.
    const wanted = new Map<string, Active[]>();
    for (const [id, changed] of metrics) {
      const info = await this.devices.info(id);
      if (!info) continue;
      const type = ngsiType(info.type);
      const hit = subs.filter((s) => s.types.has(type) && info.jurisdictionCode.startsWith(s.prefix) && (!s.watched || [...changed].some((m) => s.watched!.has(m))));
      if (hit.length) wanted.set(id, hit);
    }
    if (wanted.size === 0) return;
    const snapshots = await this.ngsi.snapshots([...wanted.keys()]);
    for (const [id, hit] of wanted) {
      const snap = snapshots.get(id);
      if (!snap) continue;
      for (const s of hit) {
        if (s.q && !matches(s.q, snap.value)) continue;
        if (this.stopped || !this.active.has(s.id)) continue;
        this.enqueue(s, snap.render(s.attrs, s.keyValues ? 'keyValues' : undefined));
      }
    }
  }

  private enqueue(sub: Active, entity: Entity): void {
    let lane = this.lanes.get(sub.id);
    if (!lane) {
      lane = { sub, pending: new Map(), dropped: 0, running: null, nextAt: 0, abort: new AbortController() };
      this.lanes.set(sub.id, lane);
    }
    lane.pending.delete(entity.id); // re-inserted at the back: its change is now the newest
    lane.pending.set(entity.id, entity);
    if (lane.pending.size > this.o.maxPending) {
      lane.pending.delete(lane.pending.keys().next().value!);
      if (lane.dropped++ === 0) this.ctx.log.warn({ subscription: sub.id, max: this.o.maxPending }, 'ngsi subscriptions: the endpoint falls behind; dropping the oldest pending changes');
    }
    this.kick(lane);
  }

  private kick(lane: Lane): void {
    if (lane.running || lane.abort.signal.aborted) return;
    lane.running = this.pump(lane)
      .catch((err) => this.ctx.log.error({ err, subscription: lane.sub.id }, 'ngsi subscriptions: delivery failed'))
      .finally(() => {
        lane.running = null;
        // A change that came in as the pump was finishing would otherwise wait for the next one.
        if (lane.pending.size) this.kick(lane);
      });
  }

  private async pump(lane: Lane): Promise<void> {
    const signal = lane.abort.signal;
    while (lane.pending.size && !signal.aborted) {
      const wait = lane.nextAt - performance.now();
      if (wait > 0 && !(await pause(wait, signal))) return;
      const data = [...lane.pending.values()];
      lane.pending.clear();
      if (lane.dropped) {
        this.ctx.log.warn({ subscription: lane.sub.id, dropped: lane.dropped }, 'ngsi subscriptions: pending changes were dropped');
        lane.dropped = 0;
      }
      lane.nextAt = performance.now() + lane.sub.throttleMs;
      await this.deliver(lane, data);
    }
  }

  /** One notification, retried with backoff; its outcome is recorded on the subscription. */
  private async deliver(lane: Lane, data: Entity[]): Promise<void> {
    const sub = lane.sub;
    const notification = {
      id: `urn:ngsi-ld:Notification:${this.ctx.random.uuid()}`,
      type: 'Notification',
      subscriptionId: sub.id,
      notifiedAt: new Date(this.ctx.clock.now()).toISOString(),
      data,
      ...(sub.ld ? { '@context': CORE_CONTEXT } : {}),
    };
    const body = JSON.stringify(notification);
    const headers: Record<string, string> = sub.ld ? { 'content-type': 'application/ld+json' } : { 'content-type': 'application/json', link: LINK };
    for (let attempt = 1; ; attempt++) {
      const out = await this.post(sub.uri, body, headers, lane.abort.signal);
      if (lane.abort.signal.aborted) return;
      const now = this.ctx.clock.now();
      if (out.ok) {
        await this.record(() => this.store.delivered(this.ctx.db, sub.id, now), sub.id);
        return;
      }
      const last = !out.retry || attempt >= this.o.attempts;
      const error = last ? `gave up after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${out.reason}` : `attempt ${attempt} of ${this.o.attempts}: ${out.reason}`;
      await this.record(() => this.store.failed(this.ctx.db, sub.id, now, error), sub.id);
      if (last) {
        this.ctx.log.warn({ subscription: sub.id, notification: notification.id, reason: out.reason, attempts: attempt }, 'ngsi subscriptions: a notification was given up');
        return;
      }
      if (!(await pause(Math.min(this.o.baseDelayMs * 2 ** (attempt - 1), this.o.maxDelayMs), lane.abort.signal))) return;
    }
  }

  /** POSTs once; 2xx is success, 408, 429, 5xx and no answer are worth retrying, other answers are not. */
  private async post(uri: string, body: string, headers: Record<string, string>, lane: AbortSignal): Promise<Outcome> {
    const ac = new AbortController();
    const timeout = new Error(`no answer within ${this.o.timeoutMs} ms`);
    const timer = setTimeout(() => ac.abort(timeout), this.o.timeoutMs);
    const onAbort = () => ac.abort(lane.reason);
    lane.addEventListener('abort', onAbort, { once: true });
    try {
      const refused = literalRefusal(uri, this.ctx.config.notifyPrivateHosts);
      if (refused) return { ok: false, reason: refused, retry: false };
      const status = await postOnce(uri, headers, body, ac.signal, this.lookup);
      if (status >= 200 && status < 300) return { ok: true };
      return { ok: false, reason: `the endpoint answered HTTP ${status}`, retry: status === 408 || status === 429 || status >= 500 };
    } catch (err) {
      if (ac.signal.reason === timeout) return { ok: false, reason: timeout.message, retry: true };
      if (err instanceof PrivateEndpointError) return { ok: false, reason: err.message, retry: false };
      const e = err as Error & { cause?: Error };
      return { ok: false, reason: `could not reach the endpoint: ${e.cause?.message ?? e.message}`, retry: true };
    } finally {
      clearTimeout(timer);
      lane.removeEventListener('abort', onAbort);
    }
  }

  private async record(write: () => Promise<void>, id: string): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.ctx.log.error({ err, subscription: id }, 'ngsi subscriptions: could not record a delivery');
    }
  }

  private close(id: string, lane: Lane): void {
    lane.abort.abort();
    lane.pending.clear();
    this.lanes.delete(id);
  }
}

/** Waits `ms`; false when cut short by the signal. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, undefined, { signal }).then(
    () => true,
    () => false,
  );
}

/**
 * One POST with node's http client, whose connection resolves the host through `lookup` (so the
 * address checked is the address used). Redirects are not followed — the subscriber named this URL,
 * and a redirect could lead anywhere. Resolves with the status once the answer is read to the end.
 */
function postOnce(uri: string, headers: Record<string, string>, body: string, signal: AbortSignal, lookup: ReturnType<typeof guardedLookup>): Promise<number> {
  const u = new URL(uri);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(u, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, lookup: lookup as never }, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.on('error', reject);
    req.end(body);
  });
}
