// AI detections: external vision systems post what a camera saw (an uncovered muck truck at 11:15,
// a blocked fire lane). Each is stored, then handed to listeners (the rule engine decides which
// become alerts).
import { authorize, UNSCOPED, withinScope, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { invalid } from '../../../platform/errors.ts';
import type { DeviceInfo, DeviceService } from '../device.service.ts';
import { MAX_AGE_MS, MAX_FUTURE_MS } from './reading.ts';

declare module '../../../platform/db/tables.ts' {
  interface Tables {
    devices_detection: DetectionRow;
  }
}

export interface DetectionRow {
  id: string;
  camera_id: string;
  class: string;
  confidence: number;
  at: number;
  snapshot_url: string | null;
  jurisdiction_code: string;
  received_at: number;
}

/** The classes vision systems report (GB/T 30428.2 events as cameras see them). */
export const DETECTION_CLASSES = [
  'uncovered_muck_truck', // 渣土车未密闭
  'exposed_garbage', // 暴露垃圾
  'fire_lane_blocked', // 消防通道占用
  'high_altitude_throwing', // 高空抛物
  'street_vending', // 占道经营
  'illegal_parking', // 机动车乱停放
  'floating_debris', // 河面漂浮物
  'road_ponding', // 道路积水
  'crowd_gathering', // 人员聚集
] as const;

export interface DetectionInput {
  cameraId: string;
  class: string;
  confidence: number;
  ts?: number | string;
  snapshotUrl?: string;
}

export interface Detection {
  id: string;
  camera: DeviceInfo;
  class: string;
  confidence: number;
  at: number;
  snapshotUrl: string | null;
}

export class DetectionService {
  private readonly listeners: Array<(d: Detection) => void> = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly devices: DeviceService,
  ) {}

  /** Called with every stored detection (the rule engine). */
  onStored(fn: (d: Detection) => void): void {
    this.listeners.push(fn);
  }

  /** Stores a detection from a system account whose jurisdiction holds the camera. */
  async post(p: Principal | null, input: DetectionInput): Promise<{ id: string; at: number }> {
    authorize(p, 'telemetry.ingest', UNSCOPED);
    const camera = await this.devices.info(input.cameraId);
    if (!camera || camera.type.row.code !== 'camera') throw invalid('cameraId', `${input.cameraId} is not a registered camera`);
    if (!p.scopeCode || !withinScope(p.scopeCode, camera.jurisdictionCode)) throw invalid('cameraId', `${input.cameraId} is outside your jurisdiction`);
    if (!(DETECTION_CLASSES as readonly string[]).includes(input.class)) throw invalid('class', `must be one of ${DETECTION_CLASSES.join(', ')}`);
    if (!(input.confidence >= 0 && input.confidence <= 1)) throw invalid('confidence', 'must be between 0 and 1');
    const now = this.ctx.clock.now();
    const at = input.ts === undefined ? now : typeof input.ts === 'number' ? input.ts : Date.parse(input.ts);
    if (!Number.isFinite(at) || at > now + MAX_FUTURE_MS || at < now - MAX_AGE_MS) throw invalid('ts', 'must be a time within the last 7 days (epoch ms or ISO 8601), not in the future');
    if (input.snapshotUrl !== undefined && !/^(https:\/\/[^\s\\]+|\/(?![/\\])[^\s\\]*)$/i.test(input.snapshotUrl)) throw invalid('snapshotUrl', 'must be an https URL or an app path (/…)');
    const row: DetectionRow = { id: this.ctx.random.uuid(), camera_id: camera.id, class: input.class, confidence: input.confidence, at, snapshot_url: input.snapshotUrl ?? null, jurisdiction_code: camera.jurisdictionCode, received_at: now };
    await this.ctx.transaction((tx) => tx.insertInto('devices_detection').values(row).execute());
    const d: Detection = { id: row.id, camera, class: row.class, confidence: row.confidence, at, snapshotUrl: row.snapshot_url };
    for (const fn of this.listeners) {
      try {
        fn(d);
      } catch (err) {
        this.ctx.log.error({ err }, 'detections: a listener failed');
      }
    }
    return { id: row.id, at };
  }
}
