import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { buildYiwang } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Principal } from '../src/platform/access.ts';
import { pointIn } from '../src/operations/components/testing.ts';
import { telemetryTopic } from '../src/operations/devices/mqtt/topics.ts';

// The real `yiwang serve` with devices speaking MQTT: a reading acknowledged (PUBACK) survives
// `kill -9`; and telemetry is consumed from the machine's Mosquitto when YIWANG_MQTT_URL points at it.

const BIN = path.resolve('bin/yiwang.js');
const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const ADMIN: Principal = { accountId: 'e2e', username: 'e2e', displayName: 'e2e', roles: ['admin'], departmentCode: null, scopeCode: '310000', via: 'session' };

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, YIWANG_DATA_DIR: dataDir, YIWANG_LOG_LEVEL: 'warn', YIWANG_PORT: '0', YIWANG_HOST: '127.0.0.1', YIWANG_MQTT_PORT: '0', ...extra };
  delete e.YIWANG_DATABASE_URL;
  delete e.YIWANG_BUS_URL;
  if (!extra.YIWANG_MQTT_URL) delete e.YIWANG_MQTT_URL;
  return e;
}

function run(dataDir: string, ...args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn(process.execPath, [BIN, ...args], { env: env(dataDir), stdio: 'ignore' }).on('exit', resolve));
}

/** Starts `yiwang serve`; resolves once it names its HTTP address (and its MQTT port, when embedded). */
function serve(dataDir: string, extra: Record<string, string> = {}): Promise<{ proc: ChildProcess; mqttPort: number | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'serve'], { env: env(dataDir, extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d;
      if (!/serving http/.test(out)) return;
      const m = /devices connect to mqtt:\/\/[^:]+:(\d+)/.exec(out);
      if (!m && !extra.YIWANG_MQTT_URL) return;
      clearTimeout(timer);
      resolve({ proc, mqttPort: m ? Number(m[1]) : null });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

describe('devices over MQTT with the real server', () => {
  let dataDir: string;
  const devices: Array<{ id: string; secret: string }> = [];
  const procs: ChildProcess[] = [];

  /** The stored readings of a device (read straight from the SQLite file, as after a restart). */
  async function stored(id: string): Promise<Set<number>> {
    const y = await buildYiwang(loadConfig(env(dataDir)), { migrate: false });
    try {
      const rows = await y.ctx.db.selectFrom('devices_reading_all').select('at').where('device_id', '=', id).execute();
      return new Set(rows.map((r) => Number(r.at)));
    } finally {
      await y.close();
    }
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-mqtt-e2e-'));
    assert.equal(await run(dataDir, 'migrate'), 0);
    assert.equal(await run(dataDir, 'seed'), 0);
    const y = await buildYiwang(loadConfig(env(dataDir)), { migrate: false });
    try {
      await y.ctx.services.jurisdictions.load();
      const at = pointIn(y.ctx, '310115005');
      for (let i = 0; i < 2; i++) {
        const d = await y.ctx.services.devices.create(ADMIN, { id: `e2e-wl-${process.pid}-${i}`, type: 'water_level', name: `陆家嘴下立交水位计 ${i}`, point: at });
        devices.push({ id: d.id, secret: d.secret });
      }
    } finally {
      await y.close();
    }
  });
  after(() => {
    for (const p of procs) p.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('every reading acknowledged with PUBACK is stored after kill -9 and a restart', async () => {
    const server = await serve(dataDir);
    procs.push(server.proc);
    const d = devices[0]!;
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, { username: d.id, password: d.secret, reconnectPeriod: 0 });
    const acked = new Set<number>();
    const start = Date.now() - 60_000;
    let killed = false;
    const exited = new Promise<void>((r) => server.proc.once('exit', () => r()));
    // Many QoS 1 publishes in flight at once; the server is killed while they stream.
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 3000 && !killed; i++) {
      const ts = start + i;
      sends.push(
        client.publishAsync(telemetryTopic(d.id), JSON.stringify({ ts, values: { waterLevel: 2 + (i % 100) / 100 } }), { qos: 1 }).then(
          () => {
            acked.add(ts);
            if (acked.size >= 400 && !killed) {
              killed = true;
              server.proc.kill('SIGKILL');
            }
          },
          () => undefined,
        ),
      );
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }
    await exited;
    client.end(true);
    await Promise.allSettled(sends);
    assert.ok(killed && acked.size >= 400, `killed after ${acked.size} acknowledgements`);
    const kept = await stored(d.id);
    const lost = [...acked].filter((ts) => !kept.has(ts));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged readings were lost`);

    // The restarted server takes readings again.
    const again = await serve(dataDir);
    procs.push(again.proc);
    const c2 = await mqtt.connectAsync(`mqtt://127.0.0.1:${again.mqttPort}`, { username: d.id, password: d.secret, reconnectPeriod: 0 });
    await c2.publishAsync(telemetryTopic(d.id), JSON.stringify({ ts: start - 1, values: { waterLevel: 1.5 } }), { qos: 1 });
    await c2.endAsync();
    again.proc.kill('SIGTERM');
    await new Promise((r) => again.proc.once('exit', r));
    assert.ok((await stored(d.id)).has(start - 1));
  });

  test(`with YIWANG_MQTT_URL (${MOSQUITTO}) the server consumes device telemetry from that broker`, async () => {
    // A share group of its own: the machine's broker may hold other runs' subscribers.
    const server = await serve(dataDir, { YIWANG_MQTT_URL: MOSQUITTO, YIWANG_MQTT_SHARE_GROUP: `e2e-${process.pid}` });
    procs.push(server.proc);
    assert.equal(server.mqttPort, null, 'no embedded broker');
    const d = devices[1]!;
    const device = await mqtt.connectAsync(MOSQUITTO, { clientId: `e2e-device-${process.pid}`, reconnectPeriod: 0 });
    const base = Date.now() - 30_000;
    for (let i = 0; i < 50; i++) await device.publishAsync(telemetryTopic(d.id), JSON.stringify({ ts: base + i, values: { waterLevel: 3 } }), { qos: 1 });
    await device.endAsync();
    // The device's PUBACK came from Mosquitto; Yiwang stores as it consumes.
    const deadline = Date.now() + 15_000;
    let kept = await stored(d.id);
    while (kept.size < 50 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      kept = await stored(d.id);
    }
    server.proc.kill('SIGTERM');
    await new Promise((r) => server.proc.once('exit', r));
    assert.equal(kept.size, 50);
  });
});
