// The command map's live layer: devices with their state (ok, alert, offline) for a viewport, and a
// feed that every second sends each viewer what changed inside their viewport and jurisdiction.
import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';

export type LiveStatus = 'ok' | 'alert' | 'offline';

/** One device as the map draws it. */
export interface LiveDevice {
  id: string;
  jurisdictionCode: string;
  type: string;
  name: string;
  point: [number, number];
  status: LiveStatus;
  severity: string | null;
}

/** The map's compact form of a device: [id, lon, lat, status, type code, severity]. */
export type DeviceRow = [string, number, number, LiveStatus, string, string | null];

export type Box = [number, number, number, number];

/** Devices one full answer carries; the compact one carries a district's worth (Pudong: ~44,000). */
const MAX_DEVICES = 5000;
const MAX_ROWS = 60_000;
const SEVERITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

export class LiveService {
  /** Device → the most severe open alert's severity (kept from the alert events). */
  private readonly alerting = new Map<string, Map<string, string>>();
  private readonly dirty = new Set<string>();

  constructor(private readonly ctx: AppContext) {}

  /** Loads open alerts; then readings and alert events mark devices changed. */
  async start(): Promise<void> {
    for (const a of await this.ctx.services.alerts.openAlerts()) this.setAlert(a.subject_id, a.id, a.severity);
    this.ctx.services.telemetryWriter.onCommitted((readings) => {
      for (const r of readings) this.dirty.add(r.deviceId);
    });
    await this.ctx.bus.listen('operations.alert.raised', async (e) => {
      this.setAlert(e.payload.subjectId, e.payload.alertId, e.payload.severity);
      this.dirty.add(e.payload.subjectId);
    });
    await this.ctx.bus.listen('operations.alert.cleared', async (e) => {
      this.alerting.get(e.payload.subjectId)?.delete(e.payload.alertId);
      this.dirty.add(e.payload.subjectId);
    });
  }

  /** Devices in a box within the caller's jurisdiction (at most 5,000). */
  async inBox(p: Principal | null, bbox: string): Promise<{ items: LiveDevice[]; truncated: boolean }> {
    const { devices, truncated } = await this.find(p, bbox, MAX_DEVICES);
    return { items: devices, truncated };
  }

  /**
   * The same as rows, for a map that draws a district's tens of thousands of devices at once
   * (about 45 bytes each instead of 150): at most 60,000.
   */
  async rowsInBox(p: Principal | null, bbox: string): Promise<{ rows: DeviceRow[]; truncated: boolean }> {
    const { devices, truncated } = await this.find(p, bbox, MAX_ROWS);
    // Six decimals (≈ 0.1 m) are more than a map can show, and halve the numbers' share of the answer.
    const q = (v: number) => Math.round(v * 1e6) / 1e6;
    return { rows: devices.map((d) => [d.id, q(d.point[0]), q(d.point[1]), d.status, d.type, d.severity]), truncated };
  }

  private async find(p: Principal | null, bbox: string, max: number): Promise<{ devices: LiveDevice[]; truncated: boolean }> {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    const box = parseBox(bbox);
    if (f.kind !== 'scope') return { devices: [], truncated: false };
    const types = this.ctx.services.devices.types;
    await types.ready(this.ctx.db);
    const rows = await this.ctx.db
      .selectFrom('devices_device')
      .select(['id', 'type_code', 'name', 'lon', 'lat', 'last_seen_at', 'jurisdiction_code'])
      .where('jurisdiction_code', '>=', f.prefix)
      .where('jurisdiction_code', '<', f.prefix + '~')
      .where('lon', '>=', box[0])
      .where('lat', '>=', box[1])
      .where('lon', '<=', box[2])
      .where('lat', '<=', box[3])
      .limit(max + 1)
      .execute();
    const now = this.ctx.clock.now();
    const devices = rows.slice(0, max).map((r) => {
      const offlineAfter = (types.get(r.type_code)?.view.offlineAfterS ?? 900) * 1000;
      const seen = r.last_seen_at === null ? null : Number(r.last_seen_at);
      return this.device(r.id, r.jurisdiction_code, r.type_code, r.name, [Number(r.lon), Number(r.lat)], seen !== null && now - seen <= offlineAfter);
    });
    return { devices, truncated: rows.length > max };
  }

  /** The devices changed since the last call (their current state), and forgets them. */
  async drain(): Promise<LiveDevice[]> {
    const ids = [...this.dirty];
    this.dirty.clear();
    const out: LiveDevice[] = [];
    for (const id of ids) {
      const info = await this.ctx.services.devices.info(id);
      // A device that just changed has just been heard from (or its alert moved): it is online.
      if (info) out.push(this.device(id, info.jurisdictionCode, info.type.row.code, info.name, info.point, true));
    }
    return out;
  }

  private device(id: string, jurisdictionCode: string, type: string, name: string, point: [number, number], online: boolean): LiveDevice {
    const open = this.alerting.get(id);
    let severity: string | null = null;
    for (const s of open?.values() ?? []) if (!severity || SEVERITY_RANK[s]! > SEVERITY_RANK[severity]!) severity = s;
    return { id, jurisdictionCode, type, name, point, status: severity ? 'alert' : online ? 'ok' : 'offline', severity };
  }

  private setAlert(deviceId: string, alertId: string, severity: string): void {
    let m = this.alerting.get(deviceId);
    if (!m) this.alerting.set(deviceId, (m = new Map()));
    m.set(alertId, severity);
  }
}

export function parseBox(text: string): Box {
  const v = text.split(',').map(Number);
  if (v.length !== 4 || v.some((n) => !Number.isFinite(n)) || v[0]! >= v[2]! || v[1]! >= v[3]!) throw invalid('bbox', 'must be west,south,east,north in degrees, west < east and south < north');
  return v as Box;
}

export const inBox = (b: Box, [lon, lat]: [number, number]) => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
