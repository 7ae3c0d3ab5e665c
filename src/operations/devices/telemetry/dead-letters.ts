import { authorize, readFilter, UNSCOPED, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.ts';
import type { TelemetryStore } from './telemetry.store.ts';

/**
 * The dead-letter view: every message or value ingestion refused, with its reason. Operators see
 * those of devices in their jurisdiction; refusals that name no known device (unknown ids, wrong
 * credentials) belong to no place and are shown at city level only.
 */
export class DeadLetterService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: TelemetryStore,
  ) {}

  async list(p: Principal | null, q: { limit?: number; cursor?: string }) {
    authorize(p, 'telemetry.deadletter.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') return { items: [], nextCursor: null };
    const limit = q.limit ?? 100;
    const before = q.cursor ? Number(decodeCursor(q.cursor, 'n')[0]) : null;
    const city = f.prefix === '' || f.prefix === '31';
    const rows = await this.store.deadLetters(this.ctx.db, city ? null : f.prefix, before, limit);
    const items = rows.map((r) => ({ id: Number(r.id), receivedAt: Number(r.received_at), source: r.source, deviceId: r.device_id, topic: r.topic, field: r.field, reason: r.reason, payload: r.payload }));
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? encodeCursor([last.id]) : null };
  }
}
