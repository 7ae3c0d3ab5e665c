import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { DIALECTS } from '../../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../../components/testing.ts';
import { connectDevice, registerDevice, startDevicesYiwang, telemetryTopic } from '../testing.ts';

for (const dialect of DIALECTS) {
  describe(`embedded MQTT broker (${dialect})`, () => {
    let y: ComponentsYiwang;
    const clients: mqtt.MqttClient[] = [];
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'city.operator']);
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await y?.close();
    });
    const device = async (id: string) => (await y.app.inject({ url: `/api/devices/${id}`, headers: y.as['lujiazui.operator'] })).json();
    const letters = async () => (await y.app.inject({ url: '/api/telemetry/dead-letters?limit=500', headers: y.as['city.operator'] })).json().items as Array<{ deviceId: string | null; field: string; reason: string; topic: string | null; payload: string }>;

    test('a device publishes with QoS 1: once the PUBACK arrives, the reading is stored and is the latest value', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const client = await connectDevice(y, d.id, d.secret);
      clients.push(client);
      const at = y.clock.now() - 1000;
      await client.publishAsync(telemetryTopic(d.id), JSON.stringify({ ts: at, values: { waterLevel: 4.62, supplyVoltage: 12.8 } }), { qos: 1 });
      // No waiting: PUBACK is sent only after the commit.
      const got = await device(d.id);
      assert.deepEqual(got.state.waterLevel, { value: 4.62, at });
      assert.equal(got.online, true);
      // A batch in one message, with ISO times.
      await client.publishAsync(telemetryTopic(d.id), JSON.stringify({ readings: [{ ts: new Date(at + 100).toISOString(), values: { waterLevel: 4.7 } }, { ts: at + 200, values: { waterLevel: 4.75 } }] }), { qos: 1 });
      assert.equal((await device(d.id)).state.waterLevel.value, 4.75);
      const rows = await y.ctx.db.selectFrom('devices_reading_all').select(['at', 'value']).where('device_id', '=', d.id).where('metric', '=', 'waterLevel').orderBy('at').execute();
      assert.deepEqual(rows.map((r) => Number(r.value)), [4.62, 4.7, 4.75]);
    });

    test('bad readings go to the dead-letter view with their reason, and the connection keeps working', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const client = await connectDevice(y, d.id, d.secret);
      clients.push(client);
      const topic = telemetryTopic(d.id);
      await client.publishAsync(topic, '{"values": {"waterLevel": ', { qos: 1 });
      await client.publishAsync(topic, JSON.stringify({ values: { waterLevel: 40, supplyVoltage: 12 } }), { qos: 1 });
      await client.publishAsync(topic, JSON.stringify({ ts: y.clock.now() + 86_400_000, values: { waterLevel: 2 } }), { qos: 1 });
      await client.publishAsync(topic, JSON.stringify({ values: { waterLevel: 'high' } }), { qos: 1 });
      await client.publishAsync(topic, JSON.stringify({ values: { waterLevel: 2.5 } }), { qos: 1 });
      const mine = (await letters()).filter((l) => l.deviceId === d.id);
      assert.deepEqual(mine.map((l) => l.field).reverse(), ['payload', 'values.waterLevel', 'ts', 'values.waterLevel']);
      assert.match(mine.at(-1)!.reason, /is not JSON/);
      assert.match(mine.at(-2)!.reason, /40 is outside the valid range/);
      assert.equal(mine.at(-1)!.topic, topic);
      assert.equal(mine.at(-1)!.payload, '{"values": {"waterLevel": ');
      const got = await device(d.id);
      assert.equal(got.state.waterLevel.value, 2.5, 'the connection survived every bad message');
      assert.equal(got.state.supplyVoltage.value, 12, 'a good value beside a bad one is kept');
    });

    test('wrong credentials are refused at CONNECT; a device cannot publish or subscribe on another device\'s topics', async () => {
      const a = await registerDevice(y, 'lujiazui.operator');
      const b = await registerDevice(y, 'lujiazui.operator');
      await assert.rejects(connectDevice(y, a.id, 'not-the-secret'), /Bad username or password|Not authorized|connack/i);
      await assert.rejects(connectDevice(y, 'no-such-device', 'x'), /Bad username or password|Not authorized|connack/i);
      await assert.rejects(mqtt.connectAsync(`mqtt://127.0.0.1:${y.ctx.services.mqtt.port}`, { reconnectPeriod: 0 }), /Bad username or password|Not authorized|connack/i);
      assert.ok((await letters()).some((l) => l.deviceId === a.id && l.field === 'credentials'));

      const client = await connectDevice(y, a.id, a.secret);
      clients.push(client);
      await assert.rejects(client.subscribeAsync(`yiwang/v1/devices/${b.id}/#`), (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0] === 128, 'subscribing to another device is refused (granted 128)');
      await client.subscribeAsync(`yiwang/v1/devices/${a.id}/#`);
      const closed = new Promise<void>((r) => client.once('close', () => r()));
      client.publish(telemetryTopic(b.id), JSON.stringify({ values: { waterLevel: 9 } }), { qos: 1 });
      await closed;
      assert.equal(Object.keys((await device(b.id)).state).length, 0, 'nothing was stored for b');
      assert.ok((await letters()).some((l) => l.deviceId === a.id && l.field === 'topic' && l.topic === telemetryTopic(b.id)));
    });

    test('a NUL in a payload is a dead letter like any other and does not fail the readings beside it', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const client = await connectDevice(y, d.id, d.secret);
      clients.push(client);
      await Promise.all([
        client.publishAsync(telemetryTopic(d.id), JSON.stringify({ values: { '\u0000': 1, waterLevel: 2.2 } }), { qos: 1 }),
        client.publishAsync(telemetryTopic(d.id), Buffer.from([0x7b, 0x00, 0x7d]), { qos: 1 }),
      ]);
      assert.equal((await device(d.id)).state.waterLevel.value, 2.2);
      const mine = (await letters()).filter((l) => l.deviceId === d.id);
      assert.equal(mine.length, 2);
      assert.ok(mine.every((l) => !l.payload.includes('\u0000')));
    });

    test('a device cannot take over another\'s client id, nor publish outside its telemetry topic', async () => {
      const a = await registerDevice(y, 'lujiazui.operator');
      const b = await registerDevice(y, 'lujiazui.operator');
      const first = await mqtt.connectAsync(`mqtt://127.0.0.1:${y.ctx.services.mqtt.port}`, { username: a.id, password: a.secret, clientId: `shared-${a.id}`, reconnectPeriod: 0 });
      clients.push(first);
      await assert.rejects(mqtt.connectAsync(`mqtt://127.0.0.1:${y.ctx.services.mqtt.port}`, { username: b.id, password: b.secret, clientId: `shared-${a.id}`, reconnectPeriod: 0 }), /Identifier rejected|identifier/i);
      assert.ok(first.connected, 'the first device stays connected');
      const closed = new Promise<void>((r) => first.once('close', () => r()));
      first.publish(`yiwang/v1/devices/${a.id}/anything`, 'x', { qos: 1, retain: true });
      await closed;
    });

    test('a rotated secret stops working at once, and closes the open connection', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const open = await connectDevice(y, d.id, d.secret);
      clients.push(open);
      const closed = new Promise<void>((r) => open.once('close', () => r()));
      const res = await y.app.inject({ method: 'POST', url: `/api/devices/${d.id}/secret`, headers: y.as['lujiazui.operator'] });
      await closed;
      await assert.rejects(connectDevice(y, d.id, d.secret));
      const client = await connectDevice(y, d.id, res.json().secret);
      clients.push(client);
    });
  });
}
