import { authorize, UNSCOPED, withinScope, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { invalid } from '../../../platform/errors.ts';
import { storableText } from '../../../platform/http/text-guard.ts';
import type { DeviceService } from '../device.service.ts';
import { decodePayload, readMessage, type Reading, type Refusal } from './reading.ts';
import type { NewDeadLetter } from './telemetry.store.ts';
import type { TelemetryWriter } from './writer.ts';

const PAYLOAD_CHARS = 2000;

/**
 * Text a device sent, made storable: PostgreSQL refuses NUL in text, and one such dead letter would
 * fail the whole group commit (and every reading waiting in it).
 */
const clean = storableText;
/** Most readings one HTTP batch may carry. */
export const MAX_HTTP_READINGS = 5000;

/** The outcome of one message: what was stored and what was refused (also kept as dead letters). */
export interface IngestResult {
  accepted: number;
  refused: Array<Refusal & { deviceId: string | null }>;
}

/**
 * Ingestion from every source (embedded broker, external broker, HTTP): checks each message against
 * the device's type, stores the good values and a dead letter for each refused part, and settles
 * once all of it is committed — so an acknowledgement (PUBACK, HTTP 2xx) means durable. Nothing a
 * device sends can make it throw: a fault becomes a dead letter with its reason.
 */
export class IngestService {
  constructor(
    private readonly ctx: AppContext,
    private readonly devices: DeviceService,
    private readonly writer: TelemetryWriter,
  ) {}

  /** One device's message (an MQTT publish on its telemetry topic); the device is already authenticated, or trusted by the broker. */
  async message(source: 'mqtt' | 'http', deviceId: string, payload: Buffer | string, topic: string | null): Promise<IngestResult> {
    const now = this.ctx.clock.now();
    const device = await this.devices.info(deviceId);
    if (!device) {
      const refusal = { field: 'deviceId', reason: `${deviceId} is not a registered device` };
      await this.writer.write([], [this.deadLetter(source, null, deviceId, topic, refusal, payload, now)], []);
      return { accepted: 0, refused: [{ ...refusal, deviceId }] };
    }
    const decoded = decodePayload(payload);
    const parsed = decoded.ok ? readMessage(deviceId, device.type.metrics, decoded.value, now) : { readings: [], refusals: [decoded.refusal] };
    const letters = parsed.refusals.map((r) => this.deadLetter(source, device.jurisdictionCode, deviceId, topic, r, payload, now));
    await this.writer.write(parsed.readings, letters, [deviceId]);
    return { accepted: parsed.readings.length, refused: parsed.refusals.map((r) => ({ ...r, deviceId })) };
  }

  /**
   * A gateway's or an AI system's batch over HTTP: `readings` of several devices, each
   * `{deviceId, ts, values}`. The caller's jurisdiction must hold each device; the reply comes after
   * the commit.
   */
  async batch(p: Principal | null, body: { readings: unknown }): Promise<IngestResult> {
    authorize(p, 'telemetry.ingest', UNSCOPED);
    const items = body.readings;
    if (!Array.isArray(items)) throw invalid('readings', 'must be a list of {deviceId, ts, values}');
    if (items.length > MAX_HTTP_READINGS) throw invalid('readings', `holds ${items.length} readings; at most ${MAX_HTTP_READINGS} per request`);
    const now = this.ctx.clock.now();
    const readings: Reading[] = [];
    const letters: NewDeadLetter[] = [];
    const refused: IngestResult['refused'] = [];
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as { deviceId?: unknown } | null;
      const at = `readings[${i}]`;
      const deviceId = typeof item?.deviceId === 'string' ? item.deviceId : null;
      const device = deviceId ? await this.devices.info(deviceId) : null;
      const refuse = (r: Refusal, jurisdiction: string | null) => {
        refused.push({ ...r, deviceId });
        letters.push(this.deadLetter('http', jurisdiction, deviceId, null, r, JSON.stringify(item) ?? 'null', now));
      };
      if (!deviceId) refuse({ field: `${at}.deviceId`, reason: 'is required' }, null);
      else if (!device) refuse({ field: `${at}.deviceId`, reason: `${deviceId} is not a registered device` }, null);
      else if (!p.scopeCode || !withinScope(p.scopeCode, device.jurisdictionCode)) refuse({ field: `${at}.deviceId`, reason: `${deviceId} is outside your jurisdiction` }, device.jurisdictionCode);
      else {
        const parsed = readMessage(deviceId, device.type.metrics, item, now);
        readings.push(...parsed.readings);
        for (const r of parsed.refusals) refuse({ field: `${at}.${r.field}`, reason: r.reason }, device.jurisdictionCode);
        seen.add(deviceId);
      }
    }
    await this.writer.write(readings, letters, [...seen]);
    return { accepted: readings.length, refused };
  }

  /** A message that could not even be attributed (a publish on another device's topic, bad credentials). */
  async refuse(source: 'mqtt' | 'http', deviceId: string | null, topic: string | null, refusal: Refusal, payload: Buffer | string): Promise<void> {
    const info = deviceId ? await this.devices.info(deviceId) : null;
    await this.writer.write([], [this.deadLetter(source, info?.jurisdictionCode ?? null, deviceId, topic, refusal, payload, this.ctx.clock.now())], []);
  }

  private deadLetter(source: 'mqtt' | 'http', jurisdiction: string | null, deviceId: string | null, topic: string | null, r: Refusal, payload: Buffer | string, now: number): NewDeadLetter {
    const text = clean(typeof payload === 'string' ? payload : payload.toString('utf8'));
    return {
      received_at: now,
      source,
      device_id: deviceId === null ? null : clean(deviceId).slice(0, 64),
      jurisdiction_code: jurisdiction,
      topic: topic === null ? null : clean(topic).slice(0, 300),
      field: clean(r.field).slice(0, 200),
      reason: clean(r.reason).slice(0, 500),
      payload: text.length > PAYLOAD_CHARS ? text.slice(0, PAYLOAD_CHARS - 1) + '…' : text,
    };
  }
}
