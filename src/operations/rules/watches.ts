// The rule engine's per-device state: its watches (a rule being judged for a device, with what it
// remembers) and the facts a rule is judged on.
import type { Detection } from '../devices/telemetry/detections.ts';
import type { Evaluation, DeviceFacts } from './condition.ts';
import type { LoadedRule } from './rule.service.ts';
import { EMPTY_SERIES, type Series, type SeriesView } from './series.ts';

/** A device's recent readings per metric. */
export type DeviceSeries = Map<string, Series>;

export interface Watch {
  rule: LoadedRule;
  deviceId: string;
  evaluation: Evaluation;
  alert: { id: string; rule_id: string; subject_id: string; jurisdiction_code: string } | null;
  /** Its alert is fired and being written (the raise lane): no later round raises it again. */
  raising: boolean;
  falseSince: number | null;
  holding: boolean;
}

/** What the evaluator reads for one device (condition.ts); a class, so that no closure is made per evaluation. */
export class Facts implements DeviceFacts {
  constructor(
    readonly now: number,
    readonly lastSeen: number | null,
    readonly recent: DeviceSeries | undefined,
    private readonly seen: Detection[] | undefined,
  ) {}

  series(metric: string): SeriesView {
    return this.recent?.get(metric) ?? EMPTY_SERIES;
  }

  detections(): Detection[] {
    return this.seen ?? [];
  }
}

/** The watches by device, then by rule id (no key string made per lookup). */
export class WatchMap {
  private readonly byDevice = new Map<string, Map<string, Watch>>();

  get(rule: LoadedRule, deviceId: string): Watch | undefined {
    return this.byDevice.get(deviceId)?.get(rule.row.id);
  }

  set(w: Watch): void {
    let m = this.byDevice.get(w.deviceId);
    if (!m) this.byDevice.set(w.deviceId, (m = new Map()));
    m.set(w.rule.row.id, w);
  }

  /** Removes this watch (not a newer one for the same rule and device). */
  delete(w: Watch): void {
    const m = this.byDevice.get(w.deviceId);
    if (m?.get(w.rule.row.id) !== w) return;
    m.delete(w.rule.row.id);
    if (m.size === 0) this.byDevice.delete(w.deviceId);
  }

  *values(): IterableIterator<Watch> {
    for (const m of this.byDevice.values()) yield* m.values();
  }
}
