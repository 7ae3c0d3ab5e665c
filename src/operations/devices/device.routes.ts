import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import { CreateDeviceBody, DeadLetterPageSchema, DevicePageSchema, DeviceListQuery, DeviceSchema, DeviceTypeSchema, DeviceWithSecretSchema } from './device.schema.ts';
import type { DeviceService } from './device.service.ts';
import type { DeadLetterService } from './telemetry/dead-letters.ts';
import type { HistoryService } from './telemetry/history.ts';
import type { IngestService } from './telemetry/ingest.service.ts';
import { DETECTION_CLASSES, type DetectionService } from './telemetry/detections.ts';

const tags = ['devices'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });

const Refused = Type.Object({ deviceId: Type.Union([Type.String(), Type.Null()]), field: Type.String(), reason: Type.String() });
const IngestReply = Type.Object({ accepted: Type.Integer({ description: 'values stored (committed before this reply)' }), refused: Type.Array(Refused) });
const Reading = Type.Object({
  deviceId: Type.String(),
  ts: Type.Optional(Type.Union([Type.Integer(), Type.String()], { description: 'epoch ms or ISO 8601 with zone; default: arrival' })),
  values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Boolean()])),
});

/** /api/devices, /api/device-types, /api/telemetry and /api/telemetry/dead-letters. */
export function deviceRoutes(app: HttpApp, devices: DeviceService, ingest: IngestService, deadLetters: DeadLetterService, history: HistoryService): void {
  app.get('/device-types', {
    schema: { tags, security, summary: 'Device types: metrics with units and valid ranges, offline time, retention', response: { 200: Type.Object({ items: Type.Array(DeviceTypeSchema) }) } },
  }, async (req) => ({ items: await devices.listTypes(req.principal) }));

  app.get('/devices', {
    schema: { tags, security, summary: 'Devices in your jurisdiction with their latest values (by place, type or component; cursor pages)', querystring: DeviceListQuery, response: { 200: DevicePageSchema } },
  }, async (req) => devices.list(req.principal, req.query));

  app.post('/devices', {
    schema: { tags, security, summary: 'Register a device (at a point, or on a component); the reply holds its MQTT secret, shown once', body: CreateDeviceBody, response: { 201: DeviceWithSecretSchema } },
  }, async (req, reply) => reply.status(201).send(await devices.create(req.principal, req.body)));

  app.get('/devices/:id', {
    schema: { tags, security, summary: 'One device with its latest values and online state', params: IdParam, response: { 200: DeviceSchema } },
  }, async (req) => devices.get(req.principal, req.params.id));

  app.get('/devices/:id/history', {
    schema: {
      tags,
      security,
      summary: 'One metric over time: raw readings, or count/avg/min/max per 1m, 1h or 1d bucket (days in Shanghai time); default span 24 h',
      params: IdParam,
      querystring: Type.Object({
        metric: Type.String({ maxLength: 64 }),
        from: Type.Optional(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'epoch ms (inclusive)' })),
        to: Type.Optional(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'epoch ms (exclusive); default now' })),
        bucket: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h'), Type.Literal('1d')])),
      }),
      response: {
        200: Type.Object({
          deviceId: Type.String(),
          metric: Type.String(),
          unit: Type.String(),
          from: Type.Integer(),
          to: Type.Integer(),
          bucket: Type.String(),
          points: Type.Array(Type.Object({ at: Type.Integer(), value: Type.Number() })),
          buckets: Type.Array(Type.Object({ start: Type.Integer(), n: Type.Integer(), avg: Type.Number(), min: Type.Number(), max: Type.Number() })),
        }),
      },
    },
  }, async (req) => history.history(req.principal, req.params.id, req.query));

  app.post('/devices/:id/secret', {
    schema: { tags, security, summary: 'A new MQTT secret for the device (the old one stops working)', params: IdParam, response: { 200: Type.Object({ id: Type.String(), secret: Type.String() }) } },
  }, async (req) => devices.rotateSecret(req.principal, req.params.id));

  app.delete('/devices/:id', {
    schema: { tags, security, summary: 'Remove a device (its readings stay until their retention ends)', params: IdParam, querystring: Type.Object({ version: Type.Integer({ minimum: 1 }) }), response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await devices.remove(req.principal, req.params.id, req.query.version);
    return reply.status(204).send(null);
  });

  app.post('/telemetry', {
    schema: {
      tags,
      security,
      summary: 'Readings from a gateway or an AI system (API token of a system account); answered once stored',
      body: Type.Object({ readings: Type.Array(Reading, { maxItems: 5000 }) }),
      response: { 200: IngestReply },
    },
  }, async (req) => ingest.batch(req.principal, req.body));

  app.get('/telemetry/dead-letters', {
    schema: {
      tags,
      security,
      summary: 'What ingestion refused in your jurisdiction (unknown devices and bad credentials: city level only), newest first',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), cursor: Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 200: DeadLetterPageSchema },
    },
  }, async (req) => deadLetters.list(req.principal, req.query));
}

/** /api/detections: what AI vision systems saw; the rules decide which become alerts. */
export function detectionRoutes(app: HttpApp, detections: DetectionService): void {
  app.post('/detections', {
    schema: {
      tags,
      security,
      summary: 'A detection from an AI vision system (API token of a system account): camera, class, confidence, time, snapshot',
      body: Type.Object({
        cameraId: Type.String({ maxLength: 64 }),
        class: Type.String({ maxLength: 40, description: DETECTION_CLASSES.join(', ') }),
        confidence: Type.Number({ minimum: 0, maximum: 1 }),
        ts: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 40 })])),
        snapshotUrl: Type.Optional(Type.String({ maxLength: 1000 })),
      }),
      response: { 201: Type.Object({ id: Type.String(), at: Type.Integer() }) },
    },
  }, async (req, reply) => reply.status(201).send(await detections.post(req.principal, req.body)));
}
