// What a device sends, read and checked: pure, so MQTT, HTTP and the tests judge a payload alike.
//
// A message is JSON: one reading `{"ts": 1732780800000, "values": {"waterLevel": 4.62}}`, or a batch
// `{"readings": [{…}, {…}]}` (or a bare array of readings). `ts` is epoch milliseconds or an ISO
// 8601 time (with its zone); left out, the time of arrival. Each value is checked on its own: a good
// value is stored even when its neighbour is refused.
import type { Metric } from '../device.schema.ts';

/** One stored value. */
export interface Reading {
  deviceId: string;
  metric: string;
  at: number;
  value: number;
}

/** A part of a message that was not stored, and why (a dead letter names it). */
export interface Refusal {
  field: string;
  reason: string;
}

export interface Parsed {
  readings: Reading[];
  refusals: Refusal[];
}

/** Most readings one message may carry. */
export const MAX_READINGS = 1000;
/** How far ahead of our clock a device's time may run (clock drift), in ms. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Readings older than this are refused: a device replaying its buffer after a week offline is a fault, not data. */
export const MAX_AGE_MS = 7 * 24 * 3600_000;

/** The payload as JSON, or the refusal of the whole message. */
export function decodePayload(payload: Buffer | string): { ok: true; value: unknown } | { ok: false; refusal: Refusal } {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  if (text.trim() === '') return { ok: false, refusal: { field: 'payload', reason: 'is empty; send JSON such as {"ts": 1732780800000, "values": {"waterLevel": 4.62}}' } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, refusal: { field: 'payload', reason: `is not JSON (${(err as Error).message})` } };
  }
}

/** Metrics by key, per type's metric list: built once, not for every message. */
const metricMaps = new WeakMap<readonly Metric[], Map<string, Metric>>();

/**
 * The readings of one device's message, checked against its type's metrics. This runs for every
 * message a city sends, so the path of a good reading allocates only the reading (field names for
 * refusals are built when there is one).
 */
export function readMessage(deviceId: string, metrics: readonly Metric[], message: unknown, now: number): Parsed {
  const out: Parsed = { readings: [], refusals: [] };
  let list: unknown[];
  /** How an item's fields are named in refusals: `[i].`, `readings[i].` or nothing. */
  let style: 'array' | 'batch' | 'single';
  if (Array.isArray(message)) {
    list = message;
    style = 'array';
  } else if (isObject(message) && Array.isArray(message.readings)) {
    list = message.readings;
    style = 'batch';
  } else if (isObject(message) && 'values' in message) {
    list = [message];
    style = 'single';
  } else {
    out.refusals.push({ field: 'payload', reason: 'must be a reading {"ts", "values"}, a batch {"readings": [...]}, or an array of readings' });
    return out;
  }
  if (list.length === 0) out.refusals.push({ field: 'readings', reason: 'is empty' });
  if (list.length > MAX_READINGS) {
    out.refusals.push({ field: 'readings', reason: `holds ${list.length} readings; at most ${MAX_READINGS} per message` });
    return out;
  }
  let byKey = metricMaps.get(metrics);
  if (!byKey) metricMaps.set(metrics, (byKey = new Map(metrics.map((m) => [m.key, m]))));
  for (let i = 0; i < list.length; i++) readOne(deviceId, byKey, list[i], style === 'array' ? `[${i}]` : style === 'batch' ? `readings[${i}]` : '', now, out);
  return out;
}

function readOne(deviceId: string, metrics: Map<string, Metric>, item: unknown, at: string, now: number, out: Parsed): void {
  if (!isObject(item)) {
    out.refusals.push({ field: at || 'payload', reason: 'must be an object with "ts" and "values"' });
    return;
  }
  const time = readTime(item.ts ?? item.timestamp, now);
  if (typeof time === 'string') {
    out.refusals.push({ field: fieldName(at, 'ts'), reason: time });
    return;
  }
  const values = item.values;
  let any = false;
  if (isObject(values)) {
    for (const key in values) {
      if (!Object.hasOwn(values, key)) continue;
      any = true;
      const raw = values[key];
      const metric = metrics.get(key);
      if (!metric) {
        out.refusals.push({ field: fieldName(at, `values.${key}`), reason: `is not a metric of this device's type (it reports ${[...metrics.keys()].join(', ')})` });
        continue;
      }
      const value = typeof raw === 'boolean' && metric.unit === 'bool' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        out.refusals.push({ field: fieldName(at, `values.${key}`), reason: `must be a number${metric.unit === 'bool' ? ' (0/1) or true/false' : ''}, found ${JSON.stringify(raw)}` });
        continue;
      }
      if (value < metric.min || value > metric.max) {
        out.refusals.push({ field: fieldName(at, `values.${key}`), reason: `${value} is outside the valid range ${metric.min}–${metric.max} ${metric.unit} (a faulty reading)` });
        continue;
      }
      out.readings.push({ deviceId, metric: key, at: time, value });
    }
  }
  if (!any) out.refusals.push({ field: fieldName(at, 'values'), reason: 'must be an object of metric → value, e.g. {"waterLevel": 4.62}' });
}

const fieldName = (at: string, name: string) => (at ? `${at}.${name}` : name);

/** Epoch ms from a number or an ISO time; the reason as a string when it is not usable. */
function readTime(ts: unknown, now: number): number | string {
  if (ts === undefined || ts === null) return now;
  let t: number;
  if (typeof ts === 'number') t = ts;
  else if (typeof ts === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts)) t = Date.parse(ts);
  else return 'must be epoch milliseconds or an ISO 8601 time with its zone, e.g. 2026-07-25T11:15:00+08:00';
  if (!Number.isSafeInteger(Math.round(t)) || Number.isNaN(t)) return 'is not a valid time';
  if (t < 1e11) return 'looks like epoch seconds; send milliseconds';
  if (t > now + MAX_FUTURE_MS) return `is ${Math.round((t - now) / 60_000)} minutes in the future (device clock wrong?)`;
  if (t < now - MAX_AGE_MS) return 'is more than 7 days old';
  return Math.round(t);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
