import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { invalid } from '../platform/errors.ts';
import { DeliveryError, type DeliverableMessage, type DeliveryAdapter, type DeliveryMeta, type RecipientPrefs } from './delivery.ts';
import { TOPIC_LABELS } from './topics.ts';

export const SIGNATURE_HEADER = 'x-yiwang-signature';

export interface WebhookOptions {
  /** Abandon an attempt after this long (default 5 s). */
  timeoutMs?: number;
  /**
   * Allow URLs that point into private, loopback or link-local networks. Off by default: a person's
   * webhook must not become a way to reach the city's internal services. Tests turn it on.
   */
  allowPrivateNetworks?: boolean;
}

/** A fresh per-recipient signing key. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The signature header for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. The time is
 * inside the signed text so a receiver can refuse old replays.
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does with the header (also documented for integrators): true when it matches. */
export function verifyWebhookSignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const want = Buffer.from(signWebhook(secret, body, t).split('v1=')[1], 'hex');
  const got = Buffer.from(parts.v1, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

// Where a person's webhook may not point: this host, private networks, link-local (cloud metadata),
// carrier-grade NAT, the IETF protocol block, documentation (TEST-NET-1/2/3), the 6to4 relay,
// benchmarking, multicast and reserved ranges.
const BLOCKED = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 3],
] as const) {
  BLOCKED.addSubnet(a, p, 'ipv4');
}
// IPv6: loopback and unspecified (inside ::/96, handled below), unique-local, link-local, site-local,
// multicast, NAT64 (both prefixes: they reach IPv4 hosts through a gateway), Teredo, benchmarking,
// documentation and discard-only.
for (const [a, p] of [
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2001::', 32], ['2001:2::', 48],
  ['2001:db8::', 32], ['100::', 64],
] as const) {
  BLOCKED.addSubnet(a, p, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad folded in), or null. */
function ipv6Groups(address: string): number[] | null {
  let s = address.replace(/%.*$/, '');
  if (net.isIP(s) !== 6) return null;
  const quad = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) {
    const [a, b, c, d] = quad.slice(2).map(Number);
    s = `${quad[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const part = (x: string | undefined) => (x ? x.split(':').map((h) => parseInt(h, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

const ipv4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** True for addresses a webhook may not reach unless private networks are allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address.replace(/%.*$/, ''));
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  const g = family === 6 ? ipv6Groups(address) : null;
  if (!g || g.length !== 8) return true;
  // IPv4-compatible ::/96 (deprecated; also holds :: and ::1): no public webhook lives there.
  if (g.slice(0, 6).every((x) => x === 0)) return true;
  // IPv4-mapped ::ffff:0:0/96 and 6to4 2002::/16 carry an IPv4 address: judge that address.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return BLOCKED.check(ipv4Of(g[6], g[7]), 'ipv4');
  if (g[0] === 0x2002) return BLOCKED.check(ipv4Of(g[1], g[2]), 'ipv4');
  return BLOCKED.check(address.replace(/%.*$/, ''), 'ipv6');
}

/** Longest webhook URL kept, measured after normalisation (percent-encoding can multiply the length). */
export const MAX_WEBHOOK_URL = 2000;

// Names that only mean something inside a network: this host, mDNS, cloud-internal and home zones.
const LOCAL_NAME = /^localhost$|\.localhost$|\.local$|\.localdomain$|\.internal$|\.home\.arpa$/i;
// Raw control characters, spaces and unpaired surrogates have no place in a URL someone typed.
const NOT_URL_TEXT = /[\u0000-\u0020\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks a webhook URL when a person saves it: http(s) only, no credentials, no private IP literal
 * or local name, at most MAX_WEBHOOK_URL characters once normalised. Returns the normalised URL.
 */
export function validateWebhookUrl(raw: string, opts: WebhookOptions = {}): string {
  const text = raw.trim();
  if (NOT_URL_TEXT.test(text)) throw invalid('webhook.url', 'must not contain spaces, control characters or unpaired surrogates');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw invalid('webhook.url', 'is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalid('webhook.url', 'must start with http:// or https://');
  if (u.username || u.password) throw invalid('webhook.url', 'must not contain a user name or password; verify requests by their signature instead');
  // A fully qualified name may end in a dot (`localhost.`); it names the same host.
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (!host) throw invalid('webhook.url', 'must name a host');
  if (!opts.allowPrivateNetworks) {
    const local = net.isIP(host) ? isPrivateAddress(host) : LOCAL_NAME.test(host) || !host.includes('.');
    if (local) throw invalid('webhook.url', 'must be reachable on the public internet, not a private or local address');
  }
  const url = u.toString();
  if (url.length > MAX_WEBHOOK_URL) throw invalid('webhook.url', `must be at most ${MAX_WEBHOOK_URL} characters once encoded (this one is ${url.length})`);
  return url;
}

/** The host a webhook URL points at, for notices and audit entries (the full URL may carry a secret). */
export function webhookHost(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Delivers a message by POSTing JSON to the person's webhook URL, signed with their secret.
 * 2xx is success; 408, 429 and 5xx, timeouts and network errors are retried; other answers
 * (a 404, a redirect) will not get better by retrying and end the delivery.
 */
export class WebhookAdapter implements DeliveryAdapter {
  readonly channel = 'webhook';
  private readonly timeoutMs: number;

  constructor(private readonly opts: WebhookOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  isConfigured(prefs: RecipientPrefs): boolean {
    return Boolean(prefs.webhookUrl && prefs.webhookSecret);
  }

  async deliver(message: DeliverableMessage, prefs: RecipientPrefs, meta: DeliveryMeta): Promise<void> {
    if (!prefs.webhookUrl || !prefs.webhookSecret) throw new DeliveryError('no webhook URL configured', { permanent: true });
    const body = JSON.stringify({
      type: 'notify.message',
      deliveryId: meta.deliveryId,
      attempt: meta.attempt,
      recipientId: prefs.accountId,
      message: { ...message, topicLabel: TOPIC_LABELS[message.topic] },
    });
    const status = await this.post(prefs.webhookUrl, body, {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Yiwang-Webhook/1',
      'x-yiwang-delivery': meta.deliveryId,
      'x-yiwang-event': 'notify.message',
      [SIGNATURE_HEADER]: signWebhook(prefs.webhookSecret, body, Math.floor(meta.now / 1000)),
    });
    if (status >= 200 && status < 300) return;
    const retry = status === 408 || status === 429 || status >= 500;
    throw new DeliveryError(`the webhook answered HTTP ${status}`, { permanent: !retry, statusCode: status });
  }

  /** POSTs and resolves to the status code; the response body is read and discarded. */
  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!this.opts.allowPrivateNetworks && net.isIP(host) && isPrivateAddress(host)) {
      return Promise.reject(new DeliveryError(`${host} is a private address`, { permanent: true }));
    }
    // Checking the address the connection really uses (not a lookup done earlier) defeats DNS rebinding.
    const lookup: net.LookupFunction = (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const list = addresses as dns.LookupAddress[];
        const bad = !this.opts.allowPrivateNetworks && list.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(new DeliveryError(`${hostname} resolves to the private address ${bad.address}`, { permanent: true }) as NodeJS.ErrnoException, '', 0);
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        callback(null, list[0].address, list[0].family);
      });
    };
    const client = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(u, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup, timeout: this.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      const timer = setTimeout(() => req.destroy(new DeliveryError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new DeliveryError(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof DeliveryError ? err : new DeliveryError(`could not reach the webhook: ${(err as Error).message}`)));
      req.end(body);
    });
  }
}
