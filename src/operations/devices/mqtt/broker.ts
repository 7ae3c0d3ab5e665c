// The embedded MQTT broker (Aedes): devices connect with nothing else installed.
//
// - CONNECT: username = device id, password = the device's secret; anything else is refused
//   (return code 4) and leaves a dead letter, at most one per device and reason per minute.
// - PUBLISH: a device may publish only under its own topics; on its telemetry topic the reading is
//   stored before the broker answers — Aedes sends PUBACK (QoS 1) only after `authorizePublish`
//   calls back, so an acknowledged reading survives a crash.
// - SUBSCRIBE: a device may subscribe only to its own topics.
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { AppContext } from '../../../platform/context.ts';
import type { DeviceService } from '../device.service.ts';
import type { IngestService } from '../telemetry/ingest.service.ts';
import { ownsTopic, parseDeviceTopic } from './topics.ts';

export interface EmbeddedBroker {
  port: number;
  /** Closes a device's connections (its secret was rotated or it was deleted). */
  disconnect(deviceId: string): void;
  close(): Promise<void>;
}

const deviceOf = new WeakMap<Client, string>();
const REFUSAL_LOG_MS = 60_000;

export async function startEmbeddedBroker(ctx: AppContext, devices: DeviceService, ingest: IngestService, port: number, host: string): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ drainTimeout: 30_000, maxClientsIdLength: 128 });
  const lastRefusal = new Map<string, number>();
  const connected = new Map<string, Set<Client>>();
  broker.on('clientDisconnect', (client) => {
    const id = deviceOf.get(client);
    if (id) connected.get(id)?.delete(client);
  });
  /** Records a refusal (at most one per device and kind a minute); resolves once it is stored, so the broker answers after. */
  const refuseOnce = (deviceId: string | null, refusal: { field: string; reason: string }, payload: Buffer | string, topic: string | null): Promise<void> => {
    const key = `${deviceId?.slice(0, 64)}\0${refusal.field}`;
    const now = ctx.clock.now();
    if ((lastRefusal.get(key) ?? -Infinity) > now - REFUSAL_LOG_MS) return Promise.resolve();
    if (lastRefusal.size > 10_000) lastRefusal.clear();
    lastRefusal.set(key, now);
    return ingest.refuse('mqtt', deviceId, topic, refusal, payload).catch((err) => ctx.log.error({ err }, 'mqtt: could not record a refusal'));
  };

  broker.authenticate = (client, username, password, done) => {
    const fail = (reason: string) => {
      const err = new Error(reason) as AuthenticateError;
      err.returnCode = 4;
      void refuseOnce(username ?? null, { field: 'credentials', reason }, '', null).finally(() => done(err, false));
    };
    if (!username || !password) return fail('a device connects with its id as username and its secret as password');
    if (username.length > 64) return fail('the username is longer than any device id');
    devices.authenticate(username, password.toString('utf8')).then(
      (info) => {
        if (!info) return fail(`wrong id or secret for device ${username}`);
        // A client id held by another device's connection would make the broker drop that device.
        const holder = (broker as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
        if (holder && deviceOf.get(holder) !== info.id) {
          const err = new Error(`client id ${client.id} is in use by another device`) as AuthenticateError;
          err.returnCode = 2;
          return done(err, false);
        }
        deviceOf.set(client, info.id);
        let set = connected.get(info.id);
        if (!set) connected.set(info.id, (set = new Set()));
        set.add(client);
        done(null, true);
      },
      (err) => {
        ctx.log.error({ err }, 'mqtt: authentication failed');
        const e = new Error('server unavailable') as AuthenticateError;
        e.returnCode = 3;
        done(e, false);
      },
    );
  };

  broker.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // a will message published by the broker itself
    const deviceId = deviceOf.get(client);
    if (!deviceId || !ownsTopic(deviceId, packet.topic)) {
      void refuseOnce(deviceId ?? null, { field: 'topic', reason: `device ${deviceId} may publish only under its own topics, not ${packet.topic}` }, packet.payload, packet.topic).finally(() => done(new Error('not your topic')));
      return;
    }
    const t = parseDeviceTopic(packet.topic);
    // Only telemetry is taken, and nothing is retained: a device must not fill the broker's memory.
    if (t?.kind !== 'telemetry') {
      void refuseOnce(deviceId, { field: 'topic', reason: `only ${deviceId}/telemetry is accepted, not ${packet.topic}` }, packet.payload, packet.topic).finally(() => done(new Error('not a telemetry topic')));
      return;
    }
    packet.retain = false;
    ingest.message('mqtt', deviceId, packet.payload as Buffer, packet.topic).then(
      () => done(null),
      // Storage failed: no PUBACK, the connection closes, and a QoS 1 device sends the reading again.
      (err) => {
        ctx.log.error({ err, deviceId }, 'mqtt: a reading could not be stored');
        done(err as Error);
      },
    );
  };

  broker.authorizeSubscribe = (client, sub, done) => {
    const deviceId = deviceOf.get(client);
    done(null, deviceId && ownsTopic(deviceId, sub.topic) ? sub : null);
  };

  const server = net.createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as net.AddressInfo).port;
  ctx.log.info({ port: actual }, 'embedded MQTT broker listening');
  return {
    port: actual,
    disconnect(deviceId) {
      for (const c of connected.get(deviceId) ?? []) c.close();
      connected.delete(deviceId);
    },
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
