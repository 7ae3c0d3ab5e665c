import type { Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { invalid } from '../../../platform/errors.ts';
import type { DeviceService } from '../device.service.ts';

export type BucketSize = 'raw' | '1m' | '1h' | '1d';
const SIZE_MS = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
/** Shanghai's days start at 16:00 UTC: daily buckets follow the city's calendar. */
const CST_MS = 8 * 3_600_000;
const MAX_POINTS = 20_000;

export interface HistoryQuery {
  metric: string;
  from?: number;
  to?: number;
  /** Default: chosen from the span (raw up to 6 h, 1 minute up to 7 days, 1 hour up to 90 days, then 1 day). */
  bucket?: BucketSize;
}

export interface HistoryReply {
  deviceId: string;
  metric: string;
  unit: string;
  from: number;
  to: number;
  bucket: BucketSize;
  points: Array<{ at: number; value: number }>;
  buckets: Array<{ start: number; n: number; avg: number; min: number; max: number }>;
}

/** A device's history of one metric: raw points, or count/avg/min/max per bucket from the rollups. */
export class HistoryService {
  constructor(
    private readonly ctx: AppContext,
    private readonly devices: DeviceService,
  ) {}

  async history(p: Principal | null, deviceId: string, q: HistoryQuery): Promise<HistoryReply> {
    const device = await this.devices.get(p, deviceId);
    const metric = this.devices.types.get(device.type)?.metrics.find((m) => m.key === q.metric);
    if (!metric) throw invalid('metric', `${JSON.stringify(q.metric)} is not a metric of ${device.typeName} (${this.devices.types.get(device.type)?.metrics.map((m) => m.key).join(', ')})`);
    const to = q.to ?? this.ctx.clock.now();
    const from = q.from ?? to - 86_400_000;
    if (from >= to) throw invalid('from', 'must be before to');
    const span = to - from;
    const bucket: BucketSize = q.bucket ?? (span <= 6 * 3_600_000 ? 'raw' : span <= 7 * 86_400_000 ? '1m' : span <= 90 * 86_400_000 ? '1h' : '1d');
    if (bucket !== 'raw' && span / SIZE_MS[bucket] > MAX_POINTS) throw invalid('bucket', `${bucket} buckets over this span would be more than ${MAX_POINTS}; choose a larger bucket or a shorter span`);
    const reply: HistoryReply = { deviceId, metric: metric.key, unit: metric.unit, from, to, bucket, points: [], buckets: [] };
    const db = this.ctx.db;
    if (bucket === 'raw') {
      const rows = await db.selectFrom('devices_reading_all').select(['at', 'value']).where('device_id', '=', deviceId).where('metric', '=', metric.key).where('at', '>=', from).where('at', '<', to).orderBy('at').limit(MAX_POINTS + 1).execute();
      if (rows.length > MAX_POINTS) throw invalid('bucket', `more than ${MAX_POINTS} readings in this span; ask for 1m or 1h buckets`);
      reply.points = rows.map((r) => ({ at: Number(r.at), value: Number(r.value) }));
      return reply;
    }
    // Daily buckets are summed from the hourly rollups. The view adds what is still landing as rows
    // of their own (a bucket may come twice): they are added up below.
    const size = bucket === '1d' ? SIZE_MS['1h'] : SIZE_MS[bucket];
    const rows = await db.selectFrom('devices_rollup_all').select(['bucket', 'n', 'sum', 'min', 'max']).where('device_id', '=', deviceId).where('metric', '=', metric.key).where('size_ms', '=', size).where('bucket', '>=', from - size + 1).where('bucket', '<', to).orderBy('bucket').execute();
    const out = new Map<number, { n: number; sum: number; min: number; max: number }>();
    for (const r of rows) {
      const b = Number(r.bucket);
      const start = bucket === '1d' ? Math.floor((b + CST_MS) / SIZE_MS['1d']) * SIZE_MS['1d'] - CST_MS : b;
      const g = out.get(start);
      if (!g) out.set(start, { n: Number(r.n), sum: Number(r.sum), min: Number(r.min), max: Number(r.max) });
      else {
        g.n += Number(r.n);
        g.sum += Number(r.sum);
        g.min = Math.min(g.min, Number(r.min));
        g.max = Math.max(g.max, Number(r.max));
      }
    }
    const round = (v: number) => Math.round(v * 1e6) / 1e6;
    reply.buckets = [...out].map(([start, g]) => ({ start, n: g.n, avg: round(g.sum / g.n), min: g.min, max: g.max }));
    return reply;
  }
}
