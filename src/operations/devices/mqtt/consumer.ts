// Consuming from an external broker (YIWANG_MQTT_URL, e.g. Mosquitto in production). Devices
// authenticate to that broker, which must restrict each to its own topics (docs/devices.md shows a
// Mosquitto ACL); Yiwang trusts the device id in the topic. Every Yiwang process joins one shared
// subscription, so the broker splits the devices' messages between them. Yiwang acknowledges a
// message (PUBACK) only after storing it: if a process dies first, the broker delivers the message
// again.
import os from 'node:os';
import mqtt from 'mqtt';
import type { AppContext } from '../../../platform/context.ts';
import type { IngestService } from '../telemetry/ingest.service.ts';
import { parseDeviceTopic, SHARED_TELEMETRY } from './topics.ts';

export interface BrokerConsumer {
  close(): Promise<void>;
}

export async function consumeExternalBroker(ctx: AppContext, ingest: IngestService, url: string): Promise<BrokerConsumer> {
  const client = mqtt.connect(url, {
    // One session per Yiwang instance (host and HTTP port), kept across restarts (clean: false), so
    // messages that arrive while it restarts wait for it.
    clientId: `yiwang-${os.hostname()}-${ctx.config.port}`.slice(0, 128),
    clean: false,
    reconnectPeriod: 1000,
    customHandleAcks: (topic, message, _packet, done) => {
      const t = parseDeviceTopic(topic);
      if (!t || t.kind !== 'telemetry') return done(0);
      ingest.message('mqtt', t.deviceId, message, topic).then(
        () => done(0),
        (err) => {
          ctx.log.error({ err, topic }, 'mqtt: a reading could not be stored; not acknowledged');
          done(err as Error);
        },
      );
    },
  });
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
  await client.subscribeAsync(SHARED_TELEMETRY, { qos: 1 });
  ctx.log.info({ broker: new URL(url).host }, 'consuming device telemetry from the external MQTT broker');
  return { close: () => client.endAsync() };
}
