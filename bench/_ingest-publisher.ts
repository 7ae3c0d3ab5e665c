// The devices of bench/ingest.ts, in a worker thread (the other core): each connects to the broker
// (a lean MQTT 3.1.1 client, _mqtt-device.ts) with its own credentials and publishes QoS 1
// readings, keeping a few in flight, for a fixed time.
// Reports readings acknowledged and the publish → PUBACK latency (PUBACK = stored, in Yiwang).
import { parentPort } from 'node:worker_threads';
import { MqttDevice } from './_mqtt-device.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { workerInput } from '../src/platform/workers/run.ts';

interface Input {
  port: number;
  devices: Array<{ id: string; secret: string | null }>;
  seconds: number;
  inflight: number;
  /** Devices crossing the critical water level, per second across the fleet: device k crosses once, k / alertsPerS seconds after the first second. */
  alertsPerS: number;
  /** Topic per device; `{id}` is replaced. */
  topic: string;
  /** Readings per message (a gateway or a buffering device sends several). */
  batch: number;
  /** Values per reading: 1 (the water level) or 2 (and the supply voltage, as a gauge reports them). */
  values: number;
  /** Offered load in values a second across all devices (each device paced); 0: as fast as acknowledged. */
  rate: number;
}

const input = workerInput<Input>();
const clients: MqttDevice[] = [];
for (let i = 0; i < input.devices.length; i += 100) {
  const batch = input.devices.slice(i, i + 100);
  clients.push(...(await Promise.all(batch.map((d) => MqttDevice.connect({ port: input.port, clientId: d.id, username: d.secret ? d.id : undefined, password: d.secret ?? undefined, keepalive: 120 })))));
  parentPort!.postMessage({ type: 'connected', n: clients.length });
}

const latencies: number[] = [];
const alertSent: Array<[string, number]> = [];
let acked = 0;
let failed = 0;
const start = Date.now();
const end = start + input.seconds * 1000;
/** Paced mode: seconds (in ms) between one device's messages. */
const interval = input.rate > 0 ? (input.devices.length * input.batch * input.values * 1000) / input.rate : 0;
/** Milliseconds between the readings of one message (spread over the time since the device's last). */
const step = Math.max(1, Math.floor(interval / input.batch));
/** Crossings are ranked by this stride (crossingRank). */
const crossStride = coprimeStride(input.devices.length);

await Promise.all(
  clients.map(async (c, k) => {
    const id = input.devices[k]!.id;
    const topic = input.topic.replace('{id}', id);
    let n = 0;
    let alerted = false; // a device crosses once; its alert stays open for the rest of the run
    // Device k crosses at its rank's time. Ranks are spread over the devices' phases (a device's
    // slot in the pacing interval follows k): with rank k, the ~8 devices due in one 385 ms interval
    // sent their crossings within a millisecond of each other, so the p99 measured one moment.
    const crossAt = input.alertsPerS > 0 ? start + 1000 + (crossingRank(k, input.devices.length, crossStride) / input.alertsPerS) * 1000 : Infinity;
    // A device's readings are taken at its own clock, the batch's readings spread over the time
    // since its last message (at least 1 ms apart: a series holds one reading per time).
    let lastTs = 0;
    let inflight = 0;
    let freed: (() => void) | null = null;
    const lane = async () => {
      while (Date.now() < end) {
        n++;
        if (interval > 0) {
          // Paced: this device's n-th message is due at its slot; a late one goes at once.
          const due = start + (n - 1 + k / input.devices.length) * interval;
          if (due > Date.now()) await sleep(due - Date.now());
          if (Date.now() >= end) break;
        }
        // Crossings come at a steady rate in time (device k at its time), however fast readings flow.
        const alert = !alerted && Date.now() >= crossAt;
        const now = Date.now();
        const first = Math.max(lastTs + 1, now - (input.batch - 1) * step);
        lastTs = first + (input.batch - 1) * step;
        const readings = Array.from({ length: input.batch }, (_, j) => {
          // Normal levels wander within 10 cm (2.00–2.09 m): the rising-water rule (0.3 m in 30 min)
          // must not fire on them, or every device would raise an alert in the first seconds.
          const level = alert && j === input.batch - 1 ? 5.6 : 2 + (n % 10) / 100;
          return { ts: first + j * step, values: input.values > 1 ? { waterLevel: level, supplyVoltage: 12 + (n % 10) / 10 } : { waterLevel: level } };
        });
        const payload = JSON.stringify(input.batch === 1 ? readings[0] : { readings });
        const send = async () => {
          const t = performance.now();
          const sentAt = Date.now();
          try {
            await c.publish(topic, payload);
            acked += input.batch * input.values;
            if (latencies.length < 200_000) latencies.push(performance.now() - t);
            if (alert && !alerted) {
              alerted = true;
              alertSent.push([id, sentAt]);
            }
          } catch {
            failed++;
          }
        };
        if (interval === 0) {
          await send();
          continue;
        }
        // Paced, a device publishes on its own clock as a real one does, not when its last message
        // was acknowledged (that would synchronise the fleet into waves); at most --inflight
        // unacknowledged, after which it waits (MQTT's receive maximum).
        while (inflight >= input.inflight) await new Promise<void>((r) => (freed = r));
        inflight++;
        pending.push(
          send().finally(() => {
            inflight--;
            freed?.();
            freed = null;
          }),
        );
      }
    };
    const pending: Array<Promise<void>> = [];
    await Promise.all(Array.from({ length: interval > 0 ? 1 : input.inflight }, lane));
    await Promise.all(pending);
  }),
);
const seconds = (Date.now() - start) / 1000;
await Promise.all(clients.map((c) => c.end()));
parentPort!.postMessage({ type: 'done', acked, failed, seconds, latencies, alertSent });

/** A permutation of 0..n-1 that sends neighbours far apart: k times a stride coprime with n, mod n. */
function crossingRank(k: number, n: number, stride: number): number {
  return (k * stride) % n;
}

/** A stride near n × 0.618 (golden-ratio steps spread evenly) that is coprime with n. */
function coprimeStride(n: number): number {
  if (n <= 1) return 1;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = Math.max(2, Math.round(n * 0.618));
  while (gcd(stride, n) !== 1) stride++;
  return stride;
}
