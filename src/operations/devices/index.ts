import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_rollups.ts';
import { m0003 } from './migrations/0003_subscriptions.ts';
import { m0004 } from './migrations/0004_detections.ts';
import { m0005 } from './migrations/0005_clustered_readings.ts';
import { m0006 } from './migrations/0006_reading_landing.ts';
import { DetectionService } from './telemetry/detections.ts';
import { DeviceService } from './device.service.ts';
import { DeviceStore } from './device.store.ts';
import { DeviceTypes } from './device-types.ts';
import { seedDemoDevices } from './demo/seed-devices.ts';
import { deviceRoutes, detectionRoutes } from './device.routes.ts';
import { startEmbeddedBroker } from './mqtt/broker.ts';
import { DeadLetterService } from './telemetry/dead-letters.ts';
import { HistoryService } from './telemetry/history.ts';
import { NgsiService } from './ngsi/ngsi.service.ts';
import { ngsiRoutes } from './ngsi/ngsi.routes.ts';
import { Notifier, type NotifierOptions } from './ngsi/notifier.ts';
import { SubscriptionStore } from './ngsi/subscription.store.ts';
import { SubscriptionService } from './ngsi/subscriptions.ts';
import { applyRetention } from './telemetry/retention.ts';
import { IngestService } from './telemetry/ingest.service.ts';
import { TelemetryStore } from './telemetry/telemetry.store.ts';
import { TelemetryWriter } from './telemetry/writer.ts';
import './device.events.ts';

export type { DeviceService } from './device.service.ts';
export type { IngestService } from './telemetry/ingest.service.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** IoT devices: registry, credentials, latest values. */
    devices: DeviceService;
    /** Telemetry ingestion (MQTT, HTTP) with group commit and dead letters. */
    ingest: IngestService;
    /** What ingestion refused, with reasons. */
    deadLetters: DeadLetterService;
    /** Readings over time: raw, or per 1-minute / 1-hour / 1-day bucket. */
    telemetryHistory: HistoryService;
    /** Devices as NGSI-LD entities. */
    ngsi: NgsiService;
    /** NGSI-LD subscriptions: external systems are POSTed the entities whose watched attributes changed. */
    ngsiSubscriptions: SubscriptionService;
    /** Detections posted by AI vision systems. */
    detections: DetectionService;
    /** The group-commit writer (rules and the live map listen to its commits). */
    telemetryWriter: TelemetryWriter;
    /** Where devices connect: the embedded broker's port once started (null with an external broker or before start). */
    mqtt: { port: number | null; disconnect(deviceId: string): void };
  }
}

export interface DevicesOptions {
  /** Delivery of NGSI-LD notifications (tests shorten the retry delays and the timeout). */
  notifier?: NotifierOptions;
}

/** Devices and their telemetry: registry, MQTT (embedded broker or an external one), HTTP ingestion, dead letters, NGSI-LD. */
export function createDevicesModule(opts: DevicesOptions = {}): Module {
  return {
    name: 'devices',
    migrations: [m0001, m0002, m0003, m0004, m0005, m0006],

    init(ctx) {
      const store = new DeviceStore(ctx.dialect);
      const telemetry = new TelemetryStore(ctx.database, ctx.config.database);
      ctx.services.devices = new DeviceService(ctx, store, telemetry, new DeviceTypes(store));
      ctx.services.telemetryWriter = new TelemetryWriter(ctx, telemetry);
      ctx.services.ingest = new IngestService(ctx, ctx.services.devices, ctx.services.telemetryWriter);
      ctx.services.deadLetters = new DeadLetterService(ctx, telemetry);
      ctx.services.telemetryHistory = new HistoryService(ctx, ctx.services.devices);
      ctx.services.ngsi = new NgsiService(ctx, ctx.services.devices, store, telemetry);
      const subscriptions = new SubscriptionStore();
      const notifier = new Notifier(ctx, ctx.services.devices, ctx.services.ngsi, subscriptions, opts.notifier);
      ctx.services.detections = new DetectionService(ctx, ctx.services.devices);
      ctx.services.ngsiSubscriptions = new SubscriptionService(ctx, ctx.services.devices, subscriptions, notifier);
      ctx.services.mqtt = { port: null, disconnect: () => {} };
    },

    routes(app, ctx) {
      deviceRoutes(app, ctx.services.devices, ctx.services.ingest, ctx.services.deadLetters, ctx.services.telemetryHistory);
      detectionRoutes(app, ctx.services.detections);
    },

    rootRoutes(app, ctx) {
      ngsiRoutes(app, ctx.services.ngsi, ctx.services.ngsiSubscriptions);
    },

    async subscribe(ctx) {
      // A device changed in any process (credentials rotated, deleted): drop it from this one's cache.
      // Its open connections close too: a rotated secret or a deleted device stops publishing at once.
      await ctx.bus.listen('devices.device.changed', async (e) => {
        ctx.services.devices.forget(e.payload.id);
        if (e.payload.action !== 'created') ctx.services.mqtt.disconnect(e.payload.id);
      });
      // A subscription was made or deleted in some process: every process notifies by the same list.
      await ctx.bus.listen('devices.subscription.changed', async () => ctx.services.ngsiSubscriptions.notifier.load());
    },

    async seed(ctx, { progress, demo }) {
      const added = await ctx.services.devices.types.seed(ctx.db, ctx.clock.now());
      progress('device types', added, added);
      if (demo && ctx.config.demoScale > 0) await seedDemoDevices(ctx, new DeviceStore(ctx.dialect), ctx.config.demoScale, progress);
    },

    async start(ctx) {
      const { devices, ingest, telemetryWriter } = ctx.services;
      const notifier = ctx.services.ngsiSubscriptions.notifier;
      await notifier.load();
      telemetryWriter.open();
      telemetryWriter.onCommitted((readings) => notifier.changed(readings));
      let mqtt: { close(): Promise<void> };
      // The MQTT client library is loaded only by a server that uses an external broker.
      if (ctx.config.mqttUrl) mqtt = await (await import('./mqtt/consumer.ts')).consumeExternalBroker(ctx, ingest, ctx.config.mqttUrl);
      else {
        const broker = await startEmbeddedBroker(ctx, devices, ingest, ctx.config.mqttPort, ctx.config.host);
        ctx.services.mqtt.port = broker.port;
        ctx.services.mqtt.disconnect = (id) => broker.disconnect(id);
        mqtt = broker;
      }
      // Retention once an hour (the first pass a minute after start, off the start's critical path).
      const sweep = () => applyRetention(ctx, devices.types, ctx.clock.now()).catch((err) => ctx.log.error({ err }, 'telemetry retention failed'));
      const first = setTimeout(sweep, 60_000);
      const hourly = setInterval(sweep, 3_600_000);
      first.unref();
      hourly.unref();
      return async () => {
        clearTimeout(first);
        clearInterval(hourly);
        ctx.services.mqtt.port = null;
        ctx.services.mqtt.disconnect = () => {};
        await mqtt.close();
        await telemetryWriter.close();
        await notifier.stop();
      };
    },
  };
}

/** The devices module with its default settings. */
export const devicesModule: Module = createDevicesModule();
