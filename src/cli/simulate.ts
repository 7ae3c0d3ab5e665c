// `yiwang simulate`: the demo city's devices talking over real MQTT to a running server (started with
// `yiwang demo`), on an ordinary day or through a typhoon. Each device connects with its own
// credentials (demo secrets derive from the data dir's key) and reports at its type's interval,
// sped up by --speed.
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { buildYiwang } from '../app.ts';
import type { Config } from '../platform/config.ts';
import { HUANGPU_CENTRELINE } from '../platform/geo/water.ts';
import { demoKey, demoSecret } from '../operations/devices/demo/secrets.ts';
import { simulate, type Scenario } from '../operations/devices/demo/simulation.ts';
import { telemetryTopic } from '../operations/devices/mqtt/topics.ts';

const TYPHOON_FIRST = ['water_level', 'rain_gauge', 'road_ponding'];

/** 0..1: how exposed a point is to the river (1 on the bank, 0 from 3 km away). */
function exposure(lon: number, lat: number): number {
  let best = Infinity;
  for (const [x, y] of HUANGPU_CENTRELINE) best = Math.min(best, Math.hypot((x - lon) * 95_000, (y - lat) * 111_000));
  return Math.max(0, 1 - best / 3000);
}

export async function simulateCmd(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { scenario: { type: 'string', default: 'day' }, devices: { type: 'string', default: '300' }, speed: { type: 'string', default: '60' }, minutes: { type: 'string', default: '0' }, broker: { type: 'string' } }, strict: false });
  const scenario = values.scenario as Scenario;
  const count = Number(values.devices);
  const speed = Number(values.speed);
  const minutes = Number(values.minutes);
  if (!['day', 'typhoon'].includes(scenario) || !(count >= 1 && count <= 50_000) || !(speed >= 1 && speed <= 10_000) || !(minutes >= 0)) {
    process.stderr.write('usage: yiwang simulate [--scenario day|typhoon] [--devices N (1–50000)] [--speed X (1–10000, default 60)] [--minutes M (0 = until Ctrl-C)] [--broker mqtt://host:port]\n');
    return 2;
  }
  const key = demoKey(config.dataDir, false);
  if (!key) {
    process.stderr.write(`yiwang simulate: no demo devices in ${config.dataDir}; run \`yiwang demo\` (or \`yiwang seed --demo\`) first\n`);
    return 1;
  }
  const y = await buildYiwang(config, { migrate: false });
  const clients: mqtt.MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    const types = y.ctx.services.devices.types;
    await types.ready(y.ctx.db);
    const all = await y.ctx.db.selectFrom('devices_device').select(['id', 'type_code', 'lon', 'lat']).where('id', 'like', 'demo-%').orderBy('id').execute();
    const order = (t: string) => (scenario === 'typhoon' && TYPHOON_FIRST.includes(t) ? 0 : 1);
    const chosen = all.sort((a, b) => order(a.type_code) - order(b.type_code)).slice(0, count);
    if (chosen.length === 0) {
      process.stderr.write('yiwang simulate: the database has no demo devices; run `yiwang seed --demo`\n');
      return 1;
    }
    const url = values.broker ? String(values.broker) : (config.mqttUrl ?? `mqtt://127.0.0.1:${config.mqttPort}`);
    process.stdout.write(`simulating ${chosen.length} devices (${scenario}, ×${speed}) against ${url}\n`);
    const started = Date.now();
    let sent = 0;
    let acked = 0;
    let failed = 0;
    for (const d of chosen) {
      const c = await mqtt.connectAsync(url, { username: d.id, password: demoSecret(key, d.id), reconnectPeriod: 2000, connectTimeout: 10_000 });
      clients.push(c);
      const type = types.get(d.type_code)!;
      const ex = exposure(Number(d.lon), Number(d.lat));
      const every = Math.max(1000, (type.view.reportIntervalS * 1000) / speed);
      const report = () => {
        const simulated = (Date.now() - started) * speed;
        const payload = JSON.stringify({ ts: Date.now(), values: simulate(scenario, d.id, type.metrics, simulated, ex) });
        sent++;
        c.publishAsync(telemetryTopic(d.id), payload, { qos: 1 }).then(() => acked++, () => failed++);
      };
      report();
      timers.push(setInterval(report, every));
    }
    const stop = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      if (minutes > 0) timers.push(setTimeout(resolve, minutes * 60_000));
    });
    const status = async () => {
      const open = await y.ctx.db.selectFrom('rules_alert').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '<>', 'cleared').executeTakeFirst();
      const hours = ((Date.now() - started) * speed) / 3_600_000;
      process.stderr.write(`\rsimulated ${hours.toFixed(1)} h · ${sent.toLocaleString('en')} messages sent, ${acked.toLocaleString('en')} stored, ${failed} failed · ${Number(open?.n ?? 0)} open alerts   `);
    };
    timers.push(setInterval(() => void status().catch(() => undefined), 2000));
    await stop;
    await status();
    process.stdout.write(`\ndone: ${sent} messages sent, ${acked} acknowledged (stored), ${failed} failed\n`);
    return failed > 0 && acked === 0 ? 1 : 0;
  } finally {
    for (const t of timers) clearInterval(t);
    await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
    await y.close();
  }
}
