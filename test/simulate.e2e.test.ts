import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

// `yiwang simulate` against a running `yiwang serve`: the demo city's water gauges, rain gauges and
// ponding sensors report over MQTT through a typhoon sped up 3,600 times, and alerts follow (the
// rules' own durations are in the server's real time, so only rules without one can fire this fast).

const BIN = path.resolve('bin/yiwang.js');

function env(dataDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, YIWANG_DATA_DIR: dataDir, YIWANG_LOG_LEVEL: 'warn', YIWANG_PORT: '0', YIWANG_HOST: '127.0.0.1', YIWANG_MQTT_PORT: '0', YIWANG_DEMO_SCALE: '0.005' };
  for (const k of ['YIWANG_DATABASE_URL', 'YIWANG_BUS_URL', 'YIWANG_MQTT_URL']) delete e[k];
  return e;
}

function run(dataDir: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

describe('yiwang simulate (typhoon) against a running server', () => {
  let dataDir: string;
  let server: ChildProcess | null = null;
  let mqttPort = 0;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-simulate-'));
    assert.equal((await run(dataDir, ['migrate'])).code, 0);
    const seeded = await run(dataDir, ['seed', '--demo']);
    assert.equal(seeded.code, 0, seeded.out);
    server = spawn(process.execPath, [BIN, 'serve'], { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    mqttPort = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d;
        const m = /devices connect to mqtt:\/\/[^:]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
    });
  });
  after(() => {
    server?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the typhoon raises water-level and road-ponding alerts from readings the devices sent over MQTT', async () => {
    const r = await run(dataDir, ['simulate', '--scenario', 'typhoon', '--devices', '12', '--speed', '3600', '--minutes', '0.2', '--broker', `mqtt://127.0.0.1:${mqttPort}`]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /simulating 12 devices \(typhoon, ×3600\)/);
    const sent = Number(/done: (\d+) messages sent, (\d+) acknowledged/.exec(r.out)?.[2]);
    assert.ok(sent >= 12, r.out);
    await new Promise((res) => setTimeout(res, 1500)); // the rule engine's last evaluations
    const db = new SQLite(path.join(dataDir, 'yiwang.sqlite'), { readonly: true });
    try {
      const stored = db.prepare("select count(*) as n from devices_reading_all where device_id like 'demo-%'").get() as { n: number };
      assert.ok(stored.n >= sent, `${stored.n} readings stored for ${sent} acknowledged messages`);
      const alerts = db.prepare('select rule_id, subject_id, severity from rules_alert').all() as Array<{ rule_id: string; subject_id: string }>;
      const rules = new Set(alerts.map((a) => a.rule_id));
      assert.ok([...rules].some((r) => r.startsWith('typhoon.water_level')), `alerts: ${[...rules].join(', ')}`);
      assert.ok([...rules].some((r) => r.startsWith('typhoon.road_ponding')), `alerts: ${[...rules].join(', ')}`);
    } finally {
      db.close();
    }
  });
});
