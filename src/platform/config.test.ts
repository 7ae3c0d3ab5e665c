import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from './config.ts';

test('with no configuration the embedded mode is chosen: port 8080, SQLite in ./var, in-process bus', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, path.resolve('./var'));
  assert.deepEqual(c.database, { dialect: 'sqlite', file: path.resolve('./var/yiwang.sqlite'), checkpointMs: 1000, telemetryThread: true });
  assert.equal(c.busUrl, undefined);
});

test('the WAL checkpoint interval is a whole number of milliseconds; 0 turns the worker off', () => {
  assert.deepEqual(loadConfig({ YIWANG_SQLITE_CHECKPOINT_MS: '0' }).database, { dialect: 'sqlite', file: path.resolve('./var/yiwang.sqlite'), checkpointMs: 0, telemetryThread: true });
  assert.throws(() => loadConfig({ YIWANG_SQLITE_CHECKPOINT_MS: 'often' }), /YIWANG_SQLITE_CHECKPOINT_MS/);
});

test('telemetry commits on a writer thread unless YIWANG_SQLITE_TELEMETRY_THREAD says otherwise', () => {
  assert.deepEqual(loadConfig({ YIWANG_SQLITE_TELEMETRY_THREAD: 'off' }).database, { dialect: 'sqlite', file: path.resolve('./var/yiwang.sqlite'), checkpointMs: 1000, telemetryThread: false });
  assert.throws(() => loadConfig({ YIWANG_SQLITE_TELEMETRY_THREAD: 'maybe' }), /YIWANG_SQLITE_TELEMETRY_THREAD/);
});

test('a postgres:// URL selects PostgreSQL and a nats:// URL selects NATS', () => {
  const c = loadConfig({ YIWANG_DATABASE_URL: 'postgres://u@db:5432/yiwang', YIWANG_BUS_URL: 'nats://bus:4222' });
  assert.equal(c.database.dialect, 'postgres');
  assert.equal(c.busUrl, 'nats://bus:4222');
});

for (const [name, value, pattern] of [
  ['YIWANG_PORT', 'eighty', /whole number/],
  ['YIWANG_PORT', '70000', /between 0 and 65535/],
  ['YIWANG_DATABASE_URL', 'mysql://x', /postgres:\/\//],
  ['YIWANG_DATABASE_URL', 'not a url', /not a URL/],
  ['YIWANG_BUS_URL', 'amqp://x', /nats:\/\//],
  ['YIWANG_SECURE_COOKIES', 'maybe', /true or false/],
  ['YIWANG_TRUST_PROXY', 'true', /list of proxy addresses/],
  ['YIWANG_ALLOWED_ORIGINS', 'https://portal.example/path', /origin like/],
  ['YIWANG_TRUST_PROXY', 'proxy.example', /list of proxy addresses/],
  ['YIWANG_LOG_LEVEL', 'loud', /one of/],
] as const) {
  test(`invalid ${name}=${value} fails naming the variable`, () => {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (err: unknown) => err instanceof ConfigError && err.variable === name && pattern.test(err.message) && err.message.startsWith(name),
    );
  });
}

test('YIWANG_TRUST_PROXY takes a list of proxy addresses, never "trust everyone"', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.deepEqual(loadConfig({ YIWANG_TRUST_PROXY: 'loopback' }).trustProxy, ['loopback']);
  assert.deepEqual(loadConfig({ YIWANG_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1']);
});

test('the CLI refuses to start on invalid configuration and names the variable', () => {
  const r = spawnSync(process.execPath, ['bin/yiwang.js', 'migrate'], { env: { ...process.env, YIWANG_PORT: 'abc' }, encoding: 'utf8' });
  assert.equal(r.status, 78);
  assert.match(r.stderr, /YIWANG_PORT: must be a whole number/);
});
