// Rule conditions: a small JSON language, checked when a rule is saved and evaluated for each device
// as its readings arrive (and on a clock tick, so that durations and silences are noticed).
//
//   { "kind": "threshold", "metric": "waterLevel", "above": 4.8, "forS": 300 }   also below / outside [lo, hi]
//   { "kind": "rate", "metric": "waterLevel", "rise": 0.3, "withinS": 1800 }       also fall
//   { "kind": "noData", "forS": 86400 }
//   { "kind": "count", "metric": "doorOpenCount", "above": 0, "atLeast": 3, "withinS": 600 }
//   { "kind": "detection", "classes": ["uncovered_muck_truck"], "minConfidence": 0.8, "withinS": 300 }
//   { "kind": "all" | "any", "of": [ … ] }
// Any condition may carry `forS`: it must then hold that long without a break.
import { invalid } from '../../platform/errors.ts';
import type { Metric } from '../devices/device.schema.ts';
import type { SeriesView } from './series.ts';

export type Condition =
  | { kind: 'threshold'; metric: string; above?: number; below?: number; outside?: [number, number]; forS?: number }
  | { kind: 'rate'; metric: string; rise?: number; fall?: number; withinS: number; forS?: number }
  | { kind: 'noData'; forS: number }
  | { kind: 'count'; metric: string; above?: number; below?: number; atLeast: number; withinS: number; forS?: number }
  | { kind: 'detection'; classes: string[]; minConfidence: number; withinS: number; forS?: number }
  | { kind: 'all' | 'any'; of: Condition[]; forS?: number };

const MAX_DEPTH = 3;
const MAX_WINDOW_S = 7 * 86_400;

/** Checks a condition against the device type's metrics; throws FIELD_INVALID naming the part. */
export function checkCondition(c: unknown, metrics: readonly Metric[], field = 'condition', depth = 1): Condition {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw invalid(field, 'must be an object with a "kind"');
  const o = c as Record<string, unknown>;
  const num = (k: string, opts: { min?: number; required?: boolean } = {}): number | undefined => {
    const v = o[k];
    if (v === undefined) {
      if (opts.required) throw invalid(`${field}.${k}`, 'is required');
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field}.${k}`, 'must be a number');
    if (opts.min !== undefined && v < opts.min) throw invalid(`${field}.${k}`, `must be at least ${opts.min}`);
    return v;
  };
  const forS = num('forS', { min: 0 });
  if (forS !== undefined && forS > MAX_WINDOW_S) throw invalid(`${field}.forS`, `must be at most ${MAX_WINDOW_S} (7 days)`);
  const metric = (): Metric => {
    const key = o.metric;
    const m = metrics.find((x) => x.key === key);
    if (!m) throw invalid(`${field}.metric`, `${JSON.stringify(key ?? null)} is not a metric of this device type (${metrics.map((x) => x.key).join(', ')})`);
    return m;
  };
  const inRange = (m: Metric, k: string, v: number | undefined) => {
    if (v !== undefined && (v < m.min || v > m.max)) throw invalid(`${field}.${k}`, `${v} is outside ${m.key}'s range ${m.min}–${m.max} ${m.unit}: it could never be reached`);
  };
  const window = () => {
    const w = num('withinS', { min: 1, required: true })!;
    if (w > MAX_WINDOW_S) throw invalid(`${field}.withinS`, `must be at most ${MAX_WINDOW_S} (7 days)`);
    return w;
  };
  switch (o.kind) {
    case 'threshold': {
      const m = metric();
      const above = num('above');
      const below = num('below');
      const outside = o.outside;
      const given = [above !== undefined, below !== undefined, outside !== undefined].filter(Boolean).length;
      if (given !== 1) throw invalid(field, 'a threshold needs exactly one of above, below or outside');
      inRange(m, 'above', above);
      inRange(m, 'below', below);
      if (outside !== undefined) {
        if (!Array.isArray(outside) || outside.length !== 2 || !outside.every((x) => typeof x === 'number') || outside[0] >= outside[1]) throw invalid(`${field}.outside`, 'must be [low, high] with low < high');
      }
      return { kind: 'threshold', metric: m.key, ...(above !== undefined ? { above } : {}), ...(below !== undefined ? { below } : {}), ...(outside ? { outside: outside as [number, number] } : {}), ...(forS ? { forS } : {}) };
    }
    case 'rate': {
      const m = metric();
      const rise = num('rise', { min: 0 });
      const fall = num('fall', { min: 0 });
      if ((rise === undefined) === (fall === undefined)) throw invalid(field, 'a rate needs exactly one of rise or fall');
      return { kind: 'rate', metric: m.key, ...(rise !== undefined ? { rise } : { fall }), withinS: window(), ...(forS ? { forS } : {}) };
    }
    case 'noData':
      if (forS === undefined || forS < 60) throw invalid(`${field}.forS`, 'is required for noData, at least 60 seconds');
      return { kind: 'noData', forS };
    case 'count': {
      const m = metric();
      const above = num('above');
      const below = num('below');
      if ((above === undefined) === (below === undefined)) throw invalid(field, 'a count needs exactly one of above or below');
      inRange(m, 'above', above);
      inRange(m, 'below', below);
      const atLeast = num('atLeast', { min: 1, required: true })!;
      return { kind: 'count', metric: m.key, ...(above !== undefined ? { above } : { below }), atLeast, withinS: window(), ...(forS ? { forS } : {}) };
    }
    case 'detection': {
      const classes = o.classes;
      if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string' && /^[a-z_]{3,40}$/.test(c))) throw invalid(`${field}.classes`, 'must list detection classes such as uncovered_muck_truck');
      const min = num('minConfidence', { min: 0, required: true })!;
      if (min > 1) throw invalid(`${field}.minConfidence`, 'must be between 0 and 1');
      const w = o.withinS === undefined ? 300 : window();
      return { kind: 'detection', classes: classes as string[], minConfidence: min, withinS: w, ...(forS ? { forS } : {}) };
    }
    case 'all':
    case 'any': {
      if (depth >= MAX_DEPTH) throw invalid(field, `combinations nest at most ${MAX_DEPTH} deep`);
      if (!Array.isArray(o.of) || o.of.length < 1 || o.of.length > 10) throw invalid(`${field}.of`, 'must list 1 to 10 conditions');
      return { kind: o.kind, of: o.of.map((x, i) => checkCondition(x, metrics, `${field}.of[${i}]`, depth + 1)), ...(forS ? { forS } : {}) };
    }
    default:
      throw invalid(`${field}.kind`, 'must be threshold, rate, noData, count, detection, all or any');
  }
}

/** The longest window a condition looks back over (readings older than this are not needed). */
export function lookbackMs(c: Condition): number {
  if (c.kind === 'all' || c.kind === 'any') return Math.max(0, ...c.of.map(lookbackMs));
  return 'withinS' in c && c.kind !== 'detection' ? c.withinS * 1000 : 0;
}

/** Whether a condition keeps time (forS, windows): its watch must stay to be re-evaluated on ticks. */
export function keepsTime(c: Condition): boolean {
  if (c.forS) return true;
  if (c.kind === 'all' || c.kind === 'any') return c.of.some(keepsTime);
  return c.kind === 'rate' || c.kind === 'count' || c.kind === 'noData' || c.kind === 'detection';
}

/** Metrics a condition reads. */
export function metricsOf(c: Condition): string[] {
  if (c.kind === 'all' || c.kind === 'any') return [...new Set(c.of.flatMap(metricsOf))];
  return 'metric' in c ? [c.metric] : [];
}

/** What a device has said recently, as the evaluator sees it. */
export interface DeviceFacts {
  now: number;
  lastSeen: number | null;
  /** Readings per metric, oldest first, covering at least the longest look-back. */
  series(metric: string): SeriesView;
  /** What AI vision saw from this device (a camera), oldest first. */
  detections(): ReadonlyArray<{ at: number; class: string; confidence: number }>;
}

/**
 * Evaluates one rule for one device, remembering since when each part has held (for `forS`).
 * Returns whether the condition holds now.
 */
export class Evaluation {
  private readonly since = new Map<string, number | null>();

  holds(c: Condition, f: DeviceFacts, path = ''): boolean {
    const now = f.now;
    let truth = this.instant(c, f, path);
    // noData's forS is the silence itself, not a time it must then hold for.
    if (c.forS && c.kind !== 'noData') {
      if (!truth) this.since.set(path, null);
      else {
        const s = this.since.get(path) ?? now;
        this.since.set(path, s);
        truth = now - s >= c.forS * 1000;
      }
    }
    return truth;
  }

  private instant(c: Condition, f: DeviceFacts, path: string): boolean {
    switch (c.kind) {
      case 'noData':
        return f.lastSeen === null ? false : f.now - f.lastSeen >= c.forS * 1000;
      case 'threshold': {
        const s = f.series(c.metric);
        if (s.length === 0) return false;
        const v = s.value(s.length - 1);
        return c.above !== undefined ? v > c.above : c.below !== undefined ? v < c.below : v < c.outside![0] || v > c.outside![1];
      }
      case 'rate': {
        const s = f.series(c.metric);
        const first = s.firstFrom(f.now - c.withinS * 1000);
        if (s.length - first < 2) return false;
        let min = Infinity;
        let max = -Infinity;
        for (let i = first; i < s.length; i++) {
          const v = s.value(i);
          if (v < min) min = v;
          if (v > max) max = v;
        }
        const last = s.value(s.length - 1);
        return c.rise !== undefined ? last - min >= c.rise : max - last >= c.fall!;
      }
      case 'count': {
        const s = f.series(c.metric);
        let n = 0;
        for (let i = s.firstFrom(f.now - c.withinS * 1000); i < s.length; i++) {
          const v = s.value(i);
          if (c.above !== undefined ? v > c.above : v < c.below!) n++;
        }
        return n >= c.atLeast;
      }
      case 'detection': {
        const from = f.now - c.withinS * 1000;
        return f.detections().some((d) => d.at >= from && d.confidence >= c.minConfidence && c.classes.includes(d.class));
      }
      case 'all':
        return c.of.map((x, i) => this.holds(x, f, `${path}.${i}`)).every(Boolean);
      case 'any':
        return c.of.map((x, i) => this.holds(x, f, `${path}.${i}`)).some(Boolean);
    }
  }
}
