// The devices of bench/ingest.ts, in a worker thread (the other core): each connects to the broker
// with its own credentials and publishes QoS 1 readings, keeping a few in flight, for a fixed time.
// Reports readings acknowledged and the publish → PUBACK latency (PUBACK = stored, in Yiwang).
import { parentPort } from 'node:worker_threads';
import mqtt from 'mqtt';
import { workerInput } from '../src/platform/workers/run.ts';

interface Input {
  port: number;
  devices: Array<{ id: string; secret: string | null }>;
  seconds: number;
  inflight: number;
  /** Every Nth reading of a device (counted in readings, whatever the batch) is above the critical water level. */
  alertEvery: number;
  /** Topic per device; `{id}` is replaced. */
  topic: string;
  /** Readings per message (a gateway or a buffering device sends several). */
  batch: number;
}

const input = workerInput<Input>();
const clients: mqtt.MqttClient[] = [];
for (let i = 0; i < input.devices.length; i += 100) {
  const batch = input.devices.slice(i, i + 100);
  clients.push(...(await Promise.all(batch.map((d) => mqtt.connectAsync(`mqtt://127.0.0.1:${input.port}`, { username: d.secret ? d.id : undefined, password: d.secret ?? undefined, reconnectPeriod: 0, keepalive: 120 })))));
  parentPort!.postMessage({ type: 'connected', n: clients.length });
}

const latencies: number[] = [];
const alertSent: Array<[string, number]> = [];
let acked = 0;
let failed = 0;
const start = Date.now();
const end = start + input.seconds * 1000;
let ts = start - 600_000; // readings carry distinct times; start in the recent past

await Promise.all(
  clients.map(async (c, k) => {
    const id = input.devices[k]!.id;
    const topic = input.topic.replace('{id}', id);
    let n = 0;
    let alerted = false; // the first crossing raises the alert; later ones find it open
    const lane = async () => {
      while (Date.now() < end) {
        n++;
        const alert = Math.floor((n * input.batch) / input.alertEvery) > Math.floor(((n - 1) * input.batch) / input.alertEvery);
        const readings = Array.from({ length: input.batch }, (_, j) => ({ ts: ts++, values: { waterLevel: alert && j === input.batch - 1 ? 5.6 : 2 + (n % 100) / 100 } }));
        const payload = JSON.stringify(input.batch === 1 ? readings[0] : { readings });
        const t = performance.now();
        const sentAt = Date.now();
        try {
          await c.publishAsync(topic, payload, { qos: 1 });
          acked += input.batch;
          if (latencies.length < 200_000) latencies.push(performance.now() - t);
          if (alert && !alerted) {
            alerted = true;
            alertSent.push([id, sentAt]);
          }
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: input.inflight }, lane));
  }),
);
const seconds = (Date.now() - start) / 1000;
await Promise.all(clients.map((c) => c.endAsync(true)));
parentPort!.postMessage({ type: 'done', acked, failed, seconds, latencies, alertSent });
