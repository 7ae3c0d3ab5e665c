import { Type, type Static } from 'typebox';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    devices_type: DeviceTypeRow;
    devices_device: DeviceRow;
    devices_state: StateRow;
    devices_reading: ReadingRow;
    /** SQLite only: readings acknowledged and not yet moved into devices_reading (decision 0007). */
    devices_reading_landing: ReadingRow;
    /** View: devices_reading and what is still landing, as one. Read this, not the tables. */
    devices_reading_all: ReadingRow;
    devices_dead_letter: DeadLetterRow;
    devices_rollup: RollupRow;
    /** View: the rollups plus the sums of what is still landing (rows of a bucket may come twice: add them up). */
    devices_rollup_all: RollupRow;
    devices_subscription: SubscriptionRow;
  }
}

/** One metric a device type reports: its unit and the physically valid range (outside = a faulty reading). */
export interface Metric {
  key: string;
  nameZh: string;
  nameEn: string;
  unit: string;
  min: number;
  max: number;
  decimals?: number;
  /** The usual operating band, for simulating an ordinary day. */
  normal?: [number, number];
}

export interface DeviceTypeRow {
  code: string;
  name_zh: string;
  name_en: string;
  owner_sector: string | null;
  metrics: Metric[] | string;
  mount_on: string[] | string;
  offline_after_s: number;
  report_interval_s: number;
  retention_days: number;
  builtin: boolean | number;
  created_at: number;
  updated_at: number;
}

export interface DeviceRow {
  id: string;
  type_code: string;
  name: string;
  component_code: string | null;
  lon: number;
  lat: number;
  jurisdiction_code: string;
  owner_dept: string | null;
  secret_hash: string;
  last_seen_at: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface StateRow {
  device_id: string;
  metric: string;
  value: number;
  at: number;
}

export interface ReadingRow {
  device_id: string;
  metric: string;
  at: number;
  value: number;
  received_at: number;
}

/** Count, sum, min and max of one device's metric over one bucket (`size_ms` long, starting at `bucket`). */
export interface RollupRow {
  device_id: string;
  metric: string;
  size_ms: number;
  bucket: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export interface DeadLetterRow {
  id: number;
  received_at: number;
  source: 'mqtt' | 'http';
  device_id: string | null;
  jurisdiction_code: string | null;
  topic: string | null;
  field: string;
  reason: string;
  payload: string;
}

/** An NGSI-LD subscription with the outcome of its deliveries (see ngsi/subscriptions.ts). */
export interface SubscriptionRow {
  id: string;
  owner_id: string;
  /** The creator's scope: only devices inside it are ever notified about. */
  jurisdiction_code: string;
  entity_types: string[] | string;
  /** Empty: any attribute. */
  watched_attributes: string[] | string;
  q: string | null;
  notification_uri: string;
  notification_accept: 'application/json' | 'application/ld+json';
  /** Empty: all attributes. */
  notification_attrs: string[] | string;
  format: 'normalized' | 'keyValues';
  throttling_s: number;
  status: 'active' | 'paused';
  times_sent: number;
  last_notification_at: number | null;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

// ---- API ----

export const MetricSchema = Type.Object({
  key: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  unit: Type.String(),
  min: Type.Number(),
  max: Type.Number(),
  decimals: Type.Optional(Type.Integer()),
  normal: Type.Optional(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 })),
});

export const DeviceTypeSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  ownerSector: Type.Union([Type.String(), Type.Null()]),
  metrics: Type.Array(MetricSchema),
  mountOn: Type.Array(Type.String()),
  offlineAfterS: Type.Integer(),
  reportIntervalS: Type.Integer(),
  retentionDays: Type.Integer(),
});
export type DeviceTypeView = Static<typeof DeviceTypeSchema>;

const Value = Type.Object({ value: Type.Number(), at: Type.Integer({ description: 'epoch milliseconds of the reading' }) });

export const DeviceSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  typeName: Type.String(),
  name: Type.String(),
  componentCode: Type.Union([Type.String(), Type.Null()]),
  point: Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat], WGS84' }),
  jurisdictionCode: Type.String(),
  ownerDept: Type.Union([Type.String(), Type.Null()]),
  online: Type.Boolean({ description: 'heard from within its type\'s offline time' }),
  lastSeenAt: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.Record(Type.String(), Value, { description: 'latest value per metric' }),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export type DeviceView = Static<typeof DeviceSchema>;

export const DeviceWithSecretSchema = Type.Intersect([
  DeviceSchema,
  Type.Object({ secret: Type.String({ description: 'the MQTT password; shown once, only a hash is kept' }), mqtt: Type.Object({ username: Type.String(), topic: Type.String() }) }),
]);

export const CreateDeviceBody = Type.Object({
  id: Type.Optional(Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'assigned when left out' })),
  type: Type.String({ maxLength: 40 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  point: Type.Optional(Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat]; or give componentCode' })),
  componentCode: Type.Optional(Type.String({ pattern: '^\\d{16}$', description: 'the component the device is mounted on: its location is used' })),
  ownerDept: Type.Optional(Type.String({ maxLength: 64 })),
});
export type CreateDeviceInput = Static<typeof CreateDeviceBody>;

export const DeviceListQuery = Type.Object({
  jurisdiction: Type.Optional(Type.String({ pattern: '^\\d{6,15}$' })),
  type: Type.Optional(Type.String({ maxLength: 40 })),
  componentCode: Type.Optional(Type.String({ pattern: '^\\d{16}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const DevicePageSchema = Type.Object({ items: Type.Array(DeviceSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const DeadLetterSchema = Type.Object({
  id: Type.Integer(),
  receivedAt: Type.Integer(),
  source: Type.String(),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  topic: Type.Union([Type.String(), Type.Null()]),
  field: Type.String(),
  reason: Type.String(),
  payload: Type.String({ description: 'what arrived, cut to 2,000 characters' }),
});
export const DeadLetterPageSchema = Type.Object({ items: Type.Array(DeadLetterSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
