// Benchmark: device telemetry end to end — devices publishing QoS 1 readings over MQTT to the
// embedded broker, every reading checked, stored by group commit (PUBACK only after the commit) and
// evaluated by the shipped rule packs; some readings cross the critical water level and raise alerts.
//   npm run bench -- ingest [--devices=2000] [--seconds=20] [--inflight=4] [--batch=1] [--values=2] [--rate=0] [--alerts-per-s=20] [--worst] [--no-baselines]
// A reading is one stored value (device, metric, time): a gauge's message carries its water level and
// its supply voltage (--values=2), or several timed readings (--batch). --rate paces the devices to
// an offered load (values/s) so publish → alert is measured below saturation; 0 publishes as fast as
// the acknowledgements come (throughput; latencies then include the queue). --alerts-per-s sets how
// many devices cross the critical level each second (each crosses once, staggered in time, so the
// alert load does not grow with the reading rate); 1000 makes a storm of the whole fleet at once.
// --worst lists the slowest alerts with where their time went. --no-baselines skips the baselines.
// Prints sustained readings/s, publish → stored (PUBACK) and publish → alert (event on the bus)
// latencies, memory per 100,000 devices, beside two baselines measured in the same run: the broker
// alone (no authentication, no storage: publish → subscriber) and raw batched SQLite inserts of as
// many readings. Publishers run in a worker thread (the second core).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import SQLite from 'better-sqlite3';
import v8 from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import vm from 'node:vm';
import { buildYiwang } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Principal } from '../src/platform/access.ts';
import { startWorker } from '../src/platform/workers/run.ts';
import { progressPrinter } from '../src/cli/progress.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const DEVICES = arg('devices', 2000);
const SECONDS = arg('seconds', 20);
const INFLIGHT = arg('inflight', 4);
const ALERTS_PER_S = arg('alerts-per-s', 20);
const BATCH = arg('batch', 1);
const VALUES = Math.min(2, Math.max(1, arg('values', 2)));
const RATE = arg('rate', 0);
const progress = progressPrinter();
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Heap in use after a full collection. */
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const ADMIN: Principal = { accountId: 'bench', username: 'bench', displayName: 'bench', roles: ['admin'], departmentCode: null, scopeCode: '310000', via: 'session' };

interface Published {
  acked: number;
  failed: number;
  seconds: number;
  latencies: number[];
  alertSent: Array<[string, number]>;
}

function pct(ms: number[], p: number): number {
  if (ms.length === 0) return NaN;
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

function publish(port: number, devices: Array<{ id: string; secret: string | null }>, topic: string, label: string): Promise<Published> {
  return new Promise((resolve, reject) => {
    const w = startWorker(new URL('./_ingest-publisher.ts', import.meta.url), { port, devices, seconds: SECONDS, inflight: INFLIGHT, alertsPerS: ALERTS_PER_S, topic, batch: BATCH, values: VALUES, rate: RATE });
    w.on('message', (m: { type: string; n?: number } & Published) => {
      if (m.type === 'connected') progress(`${label}: connecting devices`, m.n!, devices.length);
      else if (m.type === 'done') resolve(m);
    });
    w.on('error', reject);
  });
}

function line(label: string, p: Published, extra = ''): void {
  console.log(`  ${label.padEnd(40)} ${fmt(p.acked / p.seconds).padStart(8)} readings/s (${fmt(p.acked / p.seconds / BATCH / VALUES)} messages/s)   publish→ack p50 ${pct(p.latencies, 0.5).toFixed(1)} ms, p99 ${pct(p.latencies, 0.99).toFixed(1)} ms${extra}`);
}

async function brokerAlone(devices: Array<{ id: string }>): Promise<void> {
  // Room for every message in flight: with Aedes's default (100) the baseline measures its own queue.
  const broker = await Aedes.createBroker({ concurrency: DEVICES * INFLIGHT * 2 });
  const server = net.createServer((s) => broker.handle(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
  let received = 0;
  sub.on('message', () => received++);
  await sub.subscribeAsync('bench/+', { qos: 1 });
  const p = await publish(port, devices.map((d) => ({ id: d.id, secret: null })), 'bench/{id}', 'broker alone');
  await new Promise((r) => setTimeout(r, 500));
  line('baseline: broker alone (no auth, no store)', p, `; subscriber got ${fmt(received / p.seconds)}/s`);
  await sub.endAsync(true);
  await new Promise<void>((r) => broker.close(() => r()));
  server.close();
}

function rawInserts(dir: string, n: number): number {
  const db = new SQLite(path.join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table r (device_id text, metric text, at integer, value real, received_at integer)');
  const ins = db.prepare('insert into r values (?, ?, ?, ?, ?)');
  const t = performance.now();
  for (let done = 0; done < n; done += 5000) {
    db.transaction(() => {
      for (let i = done; i < Math.min(n, done + 5000); i++) ins.run(`dev-${i % DEVICES}`, 'waterLevel', 1_785_000_000_000 + i, 2 + (i % 100) / 100, 1_785_000_000_000);
    })();
  }
  const s = (performance.now() - t) / 1000;
  db.close();
  return n / s;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-ingest-'));
console.log(`ingest benchmark — ${fmt(DEVICES)} devices over MQTT, ${SECONDS} s, ${RATE > 0 ? `paced to ${fmt(RATE)} values/s offered` : `${INFLIGHT} in flight per device`}, ${BATCH} reading(s) of ${VALUES} value(s) per message, node ${process.version}, ${os.cpus().length} cores`);
try {
  const y = await buildYiwang(loadConfig({ YIWANG_DATA_DIR: work, YIWANG_LOG_LEVEL: 'warn', YIWANG_MQTT_PORT: '0', YIWANG_DEMO_SCALE: '0', YIWANG_SQLITE_CHECKPOINT_MS: process.env.YIWANG_SQLITE_CHECKPOINT_MS ?? '1000' }));
  await y.seed({ demo: false, progress });
  await y.ctx.services.jurisdictions.load();
  const places = y.ctx.services.jurisdictions.children('310115').map((s) => s.code);
  const centre = (code: string): [number, number] => {
    const n = y.ctx.services.jurisdictions.get(code) as unknown as { centroid: [number, number] };
    return n.centroid;
  };
  const devices: Array<{ id: string; secret: string }> = [];
  for (let i = 0; i < DEVICES; i++) {
    const [lon, lat] = centre(places[i % places.length]!);
    const d = await y.ctx.services.devices.create(ADMIN, { id: `bench-wl-${i}`, type: 'water_level', name: `水位计 ${i}`, point: [lon + ((i * 7) % 100) * 1e-5, lat + ((i * 13) % 100) * 1e-5] });
    devices.push({ id: d.id, secret: d.secret });
    if (i % 200 === 199) progress('devices', i + 1, DEVICES);
  }
  await y.start();
  // When the event reached the bus, when the rule fired (the alert's raisedAt) and when the alert's
  // transaction was under way (the event's occurredAt, taken inside it).
  const raised = new Map<string, [bus: number, fired: number, inTx: number]>();
  // The publishers' crossing readings (5.6 m) fire the critical-level rule; other rules (a rise, say) may fire too.
  await y.ctx.bus.listen('operations.alert.raised', async (e) => {
    if (e.payload.ruleId === 'typhoon.water_level_critical' && !raised.has(e.payload.subjectId)) raised.set(e.payload.subjectId, [Date.now(), e.payload.raisedAt, e.occurredAt]);
  });
  const heapBefore = heap();

  // How long the event loop was held at a time (the broker, checks, rules and GC all run on it).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const p = await publish(y.ctx.services.mqtt.port!, devices, 'yiwang/v1/devices/{id}/telemetry', 'yiwang');
  loop.disable();
  await y.ctx.services.telemetryWriter.flush();
  await y.ctx.services.ruleEngine.idle();
  await new Promise((r) => setTimeout(r, 1500)); // the outbox relay publishes the last alerts
  const heapAfter = heap(); // devices cached, rule state held, connections closed
  const stored = Number((await y.ctx.db.selectFrom('devices_reading_all').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const crossed = p.alertSent.filter(([id]) => raised.has(id)).map(([id, sent]) => [sent, ...raised.get(id)!] as const);
  const toAlert = crossed.map(([sent, bus]) => bus - sent);
  if (process.argv.includes('--worst')) {
    const t0 = Math.min(...crossed.map((c) => c[0]));
    console.log('  slowest alerts (sent at s after the first crossing: total ms = to rule fired + to its transaction + to the bus):\n   ', [...crossed].sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, 12).map(([sent, bus, fired, inTx]) => `${((sent - t0) / 1000).toFixed(1)} s: ${bus - sent} = ${fired - sent} + ${inTx - fired} + ${bus - inTx}`).join(' | '));
  }
  console.log('\n== results ==');
  line('Yiwang: MQTT → check → store → rules', p, `; ${fmt(stored)} stored of ${fmt(p.acked)} acknowledged, ${p.failed} failed`);
  console.log(`  ${'publish → alert (event on the bus)'.padEnd(40)} p50 ${pct(toAlert, 0.5).toFixed(0)} ms, p99 ${pct(toAlert, 0.99).toFixed(0)} ms   (${toAlert.length} alerts)`);
  // Where that time goes: to the rule firing (store, acknowledge, evaluate), to the alert's
  // transaction (waiting for the write turn), then to the bus (commit, outbox relay, subscribers served before).
  const split = (f: (c: (typeof crossed)[number]) => number, label: string) => {
    const ms = crossed.map(f);
    console.log(`  ${label.padEnd(40)} p50 ${pct(ms, 0.5).toFixed(0)} ms, p99 ${pct(ms, 0.99).toFixed(0)} ms`);
  };
  split(([sent, , fired]) => fired - sent, '  of which publish → rule fired');
  split(([, , fired, inTx]) => inTx - fired, '  rule fired → alert transaction');
  split(([, bus, , inTx]) => bus - inTx, '  alert transaction → on the bus');
  console.log(`  ${'event-loop delay (main thread)'.padEnd(40)} p50 ${(loop.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
  const held = y.ctx.services.ruleEngine.heldReadings();
  console.log(`  ${'memory per 100,000 devices (heap)'.padEnd(40)} ${mib(((heapAfter - heapBefore) / DEVICES) * 100_000)}   (devices cached and ${fmt(held / DEVICES)} recent readings each held for the rules' windows; rss ${mib(process.memoryUsage().rss)})`);
  await y.close();

  if (!process.argv.includes('--no-baselines')) {
    await brokerAlone(devices);
    console.log(`  ${'baseline: raw batched SQLite INSERTs'.padEnd(40)} ${fmt(rawInserts(work, Math.max(stored, 100_000))).padStart(8)} rows/s`);
  }
  console.log(`  targets (2 cores): ≥ 50,000 readings/s sustained with rules on, p99 publish → alert ≤ 200 ms`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
