import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { createTestDatabase, type TestDatabase } from '../src/platform/db/testing.ts';

// The distributed mode, as an operator runs it: several `yiwang` processes on one PostgreSQL
// database and one NATS server. Proves that concurrent migrations are safe, that the processes are
// stateless (a session made on one works on the other) and that readiness reports both services.
const NATS = process.env.YIWANG_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const BIN = path.resolve('bin/yiwang.js');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

function serve(env: Record<string, string>): Promise<{ proc: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env, YIWANG_PORT: '0', YIWANG_HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /serving (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, base: m[1].replace('localhost', '127.0.0.1') });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

describe('scale-out: two processes on PostgreSQL and NATS', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const procs: ChildProcess[] = [];
  let a: string;
  let b: string;
  let streamName = '';

  before(async () => {
    db = await createTestDatabase('postgres');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-scale-'));
    // A stream and subject prefix of this run's own, so parallel runs never see each other's events.
    const tag = `scale_${process.pid}_${Date.now()}`;
    streamName = `YIWANG_TEST_${tag}`;
    env = { YIWANG_DATABASE_URL: (db.config as { url: string }).url, YIWANG_BUS_URL: `${NATS}?stream=${streamName}&prefix=${tag}`, YIWANG_DATA_DIR: dataDir, YIWANG_LOG_LEVEL: 'warn', YIWANG_DEMO_SCALE: '0.002', YIWANG_MQTT_PORT: '0' };
  });
  after(async () => {
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db?.drop();
    const nc = await connect({ servers: NATS.replace(/^nats:\/\//, '') });
    try {
      await (await nc.jetstreamManager()).streams.delete(streamName).catch(() => false);
    } finally {
      await nc.close();
    }
  });

  test('two migrators started at once both succeed and apply each migration once', async () => {
    const [one, two] = await Promise.all([run(['migrate'], env), run(['migrate'], env)]);
    assert.equal(one.code, 0, one.out);
    assert.equal(two.code, 0, two.out);
    const applied = [one.out, two.out].join('\n').match(/migrating platform\/0001_init/g) ?? [];
    assert.equal(applied.length, 1, 'exactly one process applied the platform migration');
  });

  test('seeding the demo city on PostgreSQL succeeds and is idempotent', async () => {
    const first = await run(['seed', '--demo'], env);
    assert.equal(first.code, 0, first.out);
    const second = await run(['seed', '--demo'], env);
    assert.equal(second.code, 0, second.out);
    assert.match(first.out, /demo components/);
    assert.match(second.out, /demo components \(already seeded\)/, 'the second run recognises the seeded components');
  });

  test('both servers are ready, on PostgreSQL and NATS', async () => {
    const [sa, sb] = await Promise.all([serve(env), serve(env)]);
    procs.push(sa.proc, sb.proc);
    a = sa.base;
    b = sb.base;
    for (const base of [a, b]) {
      const ready = await (await fetch(`${base}/readyz`)).json();
      assert.equal(ready.status, 'ready');
      assert.equal(ready.dialect, 'postgres');
      assert.equal(ready.bus, 'nats');
    }
  });

  test('a session made on one process is valid on the other (no state in a process)', async () => {
    const login = await fetch(`${a}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lujiazui.operator', password: 'Yiwang@2026' }),
    });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    assert.match(cookie, /^yiwang_session=/);
    const me = await fetch(`${b}/api/auth/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).account.username, 'lujiazui.operator');
  });

  test('both processes locate with the same tree', async () => {
    const q = '/api/jurisdictions/locate?lon=121.5065&lat=31.2397';
    const [ra, rb] = await Promise.all([fetch(a + q).then((r) => r.json()), fetch(b + q).then((r) => r.json())]);
    assert.equal(ra.node.code, rb.node.code);
    assert.ok(ra.node.code.startsWith('310115'));
  });

  test("a component changed on one process shows in the other process's cached map tile (cache dropped over NATS)", async () => {
    const login = await fetch(`${a}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lujiazui.operator', password: 'Yiwang@2026' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const street = await (await fetch(`${a}/api/jurisdictions/310115005`)).json();
    let at: [number, number] | null = null;
    for (const n of street.children as Array<{ centroid: [number, number] }>) {
      const hit = await (await fetch(`${a}/api/jurisdictions/locate?lon=${n.centroid[0]}&lat=${n.centroid[1]}`)).json();
      if (hit.node?.code?.startsWith('310115005')) {
        at = n.centroid;
        break;
      }
    }
    assert.ok(at, 'a point inside 陆家嘴');
    const created = await fetch(`${a}/api/components`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ type: '0118', geometry: { type: 'Point', coordinates: at }, attributes: { lamp_type: 'LED' } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const c = await created.json();
    const z = 17;
    const x = Math.floor(((at[0] + 180) / 360) * 2 ** z);
    const latR = (at[1] * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(latR) + 1 / Math.cos(latR)) / Math.PI) / 2) * 2 ** z);
    const tile = async () => {
      const r = await fetch(`${b}/tiles/components/${z}/${x}/${y}.mvt`, { headers: { cookie } });
      assert.equal(r.status, 200);
      return Buffer.from(await r.arrayBuffer()).toString('latin1');
    };
    assert.ok((await tile()).includes(c.code), 'process b serves the new component (and caches the tile)');
    const patched = await fetch(`${a}/api/components/${c.code}`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ version: 1, status: 'damaged' }) });
    assert.equal(patched.status, 200);
    // Process b hears the change over NATS and drops its cached tile; give the event a moment.
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      seen = (await tile()).includes('damaged');
      if (!seen) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(seen, 'process b shows the new status');
  });
});
