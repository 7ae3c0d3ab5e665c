// Consuming from an external broker (YIWANG_MQTT_URL, e.g. Mosquitto in production). Devices
// authenticate to that broker, which must restrict each to its own topics (docs/devices.md shows a
// Mosquitto ACL); Yiwang trusts the device id in the topic. Every Yiwang process joins one shared
// subscription, so the broker splits the devices' messages between them. Yiwang acknowledges a
// message (PUBACK) only after storing it: if a process dies first, the broker delivers the message
// again.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { AppContext } from '../../../platform/context.ts';
import type { IngestService } from '../telemetry/ingest.service.ts';
import { parseDeviceTopic, sharedTelemetry } from './topics.ts';

export interface BrokerConsumer {
  close(): Promise<void>;
}

export async function consumeExternalBroker(ctx: AppContext, ingest: IngestService, url: string): Promise<BrokerConsumer> {
  const instance = ctx.config.mqttClientId;
  const client = mqtt.connect(url, {
    // With a stable instance name the broker keeps this process's session across restarts, so a
    // message it had not acknowledged waits for it. Without one the session ends with the process:
    // a broker that keeps no session may drop what was in flight to it (see docs/devices.md). A
    // name must not be shared or abandoned: a shared subscription queues messages for a persistent
    // session that never returns.
    clientId: instance ?? `yiwang-${randomBytes(6).toString('hex')}`,
    clean: !instance,
    reconnectPeriod: 1000,
  });
  // mqtt.js sends a message's PUBACK only after handleMessage calls back: so it is sent after the
  // commit, and an error leaves the message unacknowledged for the broker to deliver again.
  client.handleMessage = (packet, callback) => {
    const t = parseDeviceTopic(packet.topic);
    if (!t || t.kind !== 'telemetry') return callback();
    ingest.message('mqtt', t.deviceId, packet.payload as Buffer, packet.topic).then(
      () => callback(),
      (err) => {
        ctx.log.error({ err, topic: packet.topic }, 'mqtt: a reading could not be stored; not acknowledged');
        callback(err as Error);
      },
    );
  };
  client.on('error', (err) => ctx.log.warn({ err: err.message }, 'mqtt: external broker error'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`YIWANG_MQTT_URL: no answer from ${new URL(url).host} within 10 s`)), 10_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  }).catch(async (err) => {
    await client.endAsync(true);
    throw err;
  });
  await client.subscribeAsync(sharedTelemetry(ctx.config.mqttShareGroup), { qos: 1 });
  ctx.log.info({ broker: new URL(url).host }, 'consuming device telemetry from the external MQTT broker');
  return { close: () => client.endAsync() };
}
